import { Link } from "@remix-run/react";
import { formatRupiah } from "~/format";

/** What a plan shows of one sub-activity (no ids, no programme/kegiatan: the table groups by them). */
export interface SubActivityRowData {
  code: string;
  name: string;
  fundingSource: string;
  locations: string[];
  indicator: string;
  target: string;
  unit: string;
  ceiling: string;
  proposals: { id: string; code: string; title: string }[];
}

/**
 * One sub-activity as plans show it: code and name, funding and places, target, ceiling, the proposals behind it.
 * Text is joined into single strings (one text node each, no `<!-- -->` separators): public plans render
 * thousands of these rows.
 */
export function SubActivityRow({
  s,
  path,
}: {
  s: SubActivityRowData;
  /** Programme › kegiatan, when the table does not group by them. */
  path?: string;
}) {
  return (
    <tr>
      <td>
        {path ? <div className="muted">{path}</div> : null}
        <strong>{`${s.code} ${s.name}`}</strong>
        <div className="muted">{`${s.fundingSource} · ${s.locations.join(", ")}`}</div>
      </td>
      <td>{`${s.indicator}: ${s.target} ${s.unit}`}</td>
      <td className="num">{formatRupiah(s.ceiling)}</td>
      <td>
        {s.proposals.map((p) => (
          <div key={p.id}>
            <Link to={`/usulan/${p.id}`}>{p.code}</Link>
            {` ${p.title}`}
          </div>
        ))}
      </td>
    </tr>
  );
}
