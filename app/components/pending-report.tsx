import { Field, Panel, PostForm, SubmitButton } from "./forms";
import { ProgressPhotos, ReportStatusBadge, type PhotoView } from "./monev-kontrak";
import { KurvaSChart, KurvaSTable, kurvaSLabels, type KurvaSPoint } from "./kurva-s";
import { useLang, useT } from "~/hooks";

/** A submitted report as the verifier reads it (domain/monev reportDetail, with the report's texts). */
export interface PendingReportView {
  id: string;
  period_no: number;
  status: string;
  physical: string;
  planned: string;
  deviation: string;
  version: number;
  items: { no: number; name: string; weight: string; physical: string }[];
  photos: PhotoView[];
}

/**
 * One report waiting for verification: its figures per work item, the contractor's problems, actions and
 * correction reason, its photos with their EXIF flags, and — for whoever may verify it (the PPK, or the
 * supervising consultant on its own page) — the verify and return-with-a-note forms, posted to the page's
 * action with intents "verify" and "return".
 */
export function PendingReport({
  r,
  texts,
  canAct,
  returnFailed,
  returnErrors,
  returnValues,
}: {
  r: PendingReportView;
  texts?: { problems: string; actions: string; correction_reason: string } | null;
  canAct: boolean;
  returnFailed: boolean;
  returnErrors: Record<string, string>;
  returnValues: Record<string, string>;
}) {
  const t = useT();
  return (
    <article className="card" id={`laporan-${r.period_no}`} data-testid={`report-${r.period_no}`}>
      <h3>
        {t("kontrak.col.period")} {r.period_no}: {r.physical}% ({t("kontrak.col.planned").toLowerCase()} {r.planned}%, {t("kontrak.col.deviation").toLowerCase()} {r.deviation}){" "}
        <ReportStatusBadge status={r.status} />
      </h3>
      <ul>
        {r.items.map((it) => (
          <li key={it.no}>
            {it.no}. {it.name}: {it.physical}% ({t("kontrak.report.weight", { weight: it.weight })})
          </li>
        ))}
      </ul>
      {texts?.problems ? <p>{t("kontrak.report.problemsText", { text: texts.problems })}</p> : null}
      {texts?.actions ? <p>{t("kontrak.report.actionsText", { text: texts.actions })}</p> : null}
      {texts?.correction_reason ? <p className="notice notice--warn">{t("kontrak.report.correction", { reason: texts.correction_reason })}</p> : null}
      <ProgressPhotos photos={r.photos} />
      {canAct ? (
        <div className="actions">
          <PostForm>
            <input type="hidden" name="intent" value="verify" />
            <input type="hidden" name="target" value={r.id} />
            <input type="hidden" name="version" value={r.version} />
            <SubmitButton>{t("kontrak.verify.button")}</SubmitButton>
          </PostForm>
          <Panel summary={t("kontrak.return.button")} open={returnFailed}>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="return" />
              <input type="hidden" name="target" value={r.id} />
              <input type="hidden" name="version" value={r.version} />
              <Field name={`note-${r.id}`} label={t("kontrak.return.note")} error={returnErrors.note}>
                <textarea id={`note-${r.id}`} name="note" rows={2} defaultValue={returnValues.note} />
              </Field>
              <SubmitButton className="button button--secondary">{t("kontrak.return.button")}</SubmitButton>
            </PostForm>
          </Panel>
        </div>
      ) : null}
    </article>
  );
}

/** "Verified by <name> (PPK | supervising consultant)" for a verified report; reports verified before the capacity was recorded were the PPK's. */
export function VerifiedBy({ name, as }: { name: string | null; as: string | null }) {
  const t = useT();
  if (!name) return null;
  return (
    <div className="muted" data-testid="verified-by">
      {t("kontrak.verifiedBy", { name, as: t(`kontrak.verifiedAs.${as ?? "ppk"}`) })}
    </div>
  );
}

/**
 * The contract's kurva S (chart and table) with each period's report status and who verified it, as the
 * PPK's and the supervising consultant's pages show it; a note when the contract has no schedule yet.
 */
export function ReportedKurvaS({
  series,
  reports,
  hasPlan,
}: {
  series: readonly KurvaSPoint[];
  reports: readonly { period_no: number; verified_by: string | null; verified_as: string | null }[];
  hasPlan: boolean;
}) {
  const t = useT();
  const lang = useLang();
  if (!hasPlan) return <p className="muted">{t("kontrak.progress.noSchedule")}</p>;
  return (
    <>
      <KurvaSChart series={series} labels={kurvaSLabels(t)} />
      <KurvaSTable
        series={series}
        labels={kurvaSLabels(t)}
        lang={lang}
        status={{
          heading: t("kontrak.col.status"),
          cell: (p) => {
            if (!p.status) return "–";
            const rep = reports.find((x) => x.period_no === p.no);
            return (
              <>
                <ReportStatusBadge status={p.status} />
                {p.status === "verified" && rep ? <VerifiedBy name={rep.verified_by} as={rep.verified_as} /> : null}
              </>
            );
          },
        }}
      />
    </>
  );
}
