import { Link } from "@remix-run/react";
import { formatRupiah } from "~/format";

/** One sub-activity as plans show it: code and name, funding and places, target, ceiling, the proposals behind it. */
export function SubActivityRow({
  s,
  path,
}: {
  s: { id: string; code: string; name: string; fundingSource: string; locations: string[]; indicator: string; target: string; unit: string; ceiling: string; proposals: { id: string; code: string; title: string }[] };
  /** Programme › kegiatan, when the table does not group by them. */
  path?: string;
}) {
  return (
    <tr>
      <td>
        {path ? <div className="muted">{path}</div> : null}
        <strong>
          {s.code} {s.name}
        </strong>
        <div className="muted">
          {s.fundingSource} · {s.locations.join(", ")}
        </div>
      </td>
      <td>
        {s.indicator}: {s.target} {s.unit}
      </td>
      <td className="num">{formatRupiah(s.ceiling)}</td>
      <td>
        {s.proposals.map((p) => (
          <div key={p.id}>
            <Link to={`/usulan/${p.id}`}>{p.code}</Link> {p.title}
          </div>
        ))}
      </td>
    </tr>
  );
}
