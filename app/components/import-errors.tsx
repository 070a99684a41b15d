import { useT } from "~/hooks";

export interface ImportErrorRow {
  row: number;
  column: string;
  header: string;
  message: string;
}

/** Where each problem of an uploaded file is — Excel row and column — and what is wrong there. */
export function ImportErrors({ errors }: { errors?: ImportErrorRow[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div className="table-wrap" data-testid="import-errors">
      <table className="data">
        <thead>
          <tr>
            <th>Baris</th>
            <th>Kolom</th>
            <th>{t("mus.timeline.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="num">{e.row || "—"}</td>
              <td>{e.column ? `${e.column} (${e.header})` : e.header || "—"}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
