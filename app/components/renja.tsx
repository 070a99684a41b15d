import { Field, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/** Edit and remove forms for one sub-activity of a Renja that is not final (optimistic lock by version). */
export function SubActivityEdit({
  s,
  fundingSources,
}: {
  s: { id: string; version: number; target: string; unit: string; locations: string[]; ceiling: string; funding_source: string; sub_kegiatan_code: string };
  fundingSources: readonly string[];
}) {
  const t = useT();
  const k = s.sub_kegiatan_code;
  return (
    <details data-testid={`edit-${k}`}>
      <summary>
        {t("renja.edit")} / {t("renja.remove")}
      </summary>
      <div className="grid2">
        <PostForm className="form" noValidate>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="sub" value={s.id} />
          <input type="hidden" name="version" value={s.version} />
          <div className="grid2">
            <Field name={`target-${k}`} label={t("rkpd.target")}>
              <input id={`target-${k}`} name="target" defaultValue={s.target} inputMode="decimal" />
            </Field>
            <Field name={`unit-${k}`} label={t("mus.field.unit")}>
              <input id={`unit-${k}`} name="unit" defaultValue={s.unit} />
            </Field>
          </div>
          <Field name={`locations-${k}`} label={t("mus.field.location")}>
            <input id={`locations-${k}`} name="locations" defaultValue={s.locations.join(", ")} />
          </Field>
          <div className="grid2">
            <Field name={`ceiling-${k}`} label={t("rkpd.ceiling")}>
              <input id={`ceiling-${k}`} name="ceiling" defaultValue={s.ceiling} inputMode="decimal" />
            </Field>
            <Field name={`fundingSource-${k}`} label="Sumber dana">
              <select id={`fundingSource-${k}`} name="fundingSource" defaultValue={s.funding_source}>
                {fundingSources.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </Field>
          </div>
          <SubmitButton>{t("admin.users.save")}</SubmitButton>
        </PostForm>
        <PostForm className="form" noValidate>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="sub" value={s.id} />
          <input type="hidden" name="version" value={s.version} />
          <Field name={`reason-${k}`} label={t("renja.removeReason")}>
            <textarea id={`reason-${k}`} name="reason" rows={2} />
          </Field>
          <SubmitButton className="button button--danger">{t("renja.remove")}</SubmitButton>
        </PostForm>
      </div>
    </details>
  );
}

interface DiffRow {
  code: string;
  name: string;
  change: string;
  fields: string[];
  before: { ceiling: string; target: string; unit: string } | null;
  after: { ceiling: string; target: string; unit: string } | null;
  delta: string;
}

/** Every adoption of a Renja, and what changed between the last two (or between the last and the open revision). */
export function RenjaHistory({
  versions,
  diff,
}: {
  versions: { revision: number; adoptedAt: string; adopted_by: string; reason: string; total: string }[];
  diff: { from: number; to: number | null; rows: DiffRow[]; totalBefore: string; totalAfter: string; delta: string } | null;
}) {
  const t = useT();
  const label = (n: number | null) => (n === null ? t("rkpd.status.rancangan") : n === 0 ? t("renja.version.initial") : t("renja.revision", { n }));
  return (
    <section className="card" data-testid="renja-history">
      <h2>{t("renja.versions")}</h2>
      <ul>
        {versions.map((v) => (
          <li key={v.revision}>
            <strong>{label(v.revision)}</strong> · {v.adoptedAt.slice(0, 10)} · {v.adopted_by} · {formatRupiah(v.total)}
            {v.reason ? <span className="muted"> — {v.reason}</span> : null}
          </li>
        ))}
      </ul>
      {diff ? (
        <>
          <h3>
            {label(diff.from)} → {label(diff.to)}
          </h3>
          <div className="table-wrap">
            <table className="data" data-testid="renja-diff">
              <thead>
                <tr>
                  <th>{t("rkpd.subActivity")}</th>
                  <th></th>
                  <th className="num">{t("renja.before")}</th>
                  <th className="num">{t("renja.after")}</th>
                  <th className="num">{t("renja.delta")}</th>
                </tr>
              </thead>
              <tbody>
                {diff.rows.map((r) => (
                  <tr key={r.code}>
                    <td>
                      {r.code} {r.name}
                      {r.fields.length ? <div className="muted">{r.fields.join(", ")}</div> : null}
                    </td>
                    <td>{t(`renja.change.${r.change}`)}</td>
                    <td className="num">{r.before ? formatRupiah(r.before.ceiling) : "—"}</td>
                    <td className="num">{r.after ? formatRupiah(r.after.ceiling) : "—"}</td>
                    <td className="num">{formatRupiah(r.delta)}</td>
                  </tr>
                ))}
                <tr>
                  <th colSpan={2}>{t("rkpd.total")}</th>
                  <th className="num">{formatRupiah(diff.totalBefore)}</th>
                  <th className="num">{formatRupiah(diff.totalAfter)}</th>
                  <th className="num">{formatRupiah(diff.delta)}</th>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
