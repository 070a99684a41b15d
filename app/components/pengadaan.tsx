import { formatDate, formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import type { T } from "~/i18n";
import { html, type Html } from "~/components/html";
import type { PublicContract, PublicTender } from "../../domain/procurement/public";

/**
 * The public face of a selection and of a contract, shared by /pengadaan/<id> and the contractor's pages.
 * Phone first: definition lists and short lists, no wide tables. It shows only what the loader gave it,
 * and the loader only what is public (domain/procurement/public.ts): before the opening, bids are a count.
 */

const STAGE_TONE: Record<string, string> = { rup: "muted", tender: "info", evaluasi: "info", pemenang: "ok", kontrak: "ok", gagal: "bad", batal: "bad" };
const TENDER_TONE: Record<string, string> = { announced: "info", opened: "info", evaluated: "info", winner_announced: "ok", sppbj: "ok", contracted: "ok", failed: "bad", cancelled: "bad" };
const CONTRACT_TONE: Record<string, string> = { sppbj: "info", signed: "ok", completed: "ok", terminated: "bad" };
/** Some statuses are long ("Pengumuman dan pemasukan penawaran"): on a phone they wrap rather than overflow. */
const WRAP = { whiteSpace: "normal" } as const;

/** A selection's schedule (jadwal tahapan) as a table: stage, start, end — for the PPK's and the Pokja's pages. */
export function ScheduleTable({ stages }: { stages: readonly { stage: string; starts_at: string | Date; ends_at: string | Date }[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="table-wrap">
      <table className="data" data-testid="tender-schedule">
        <tbody>
          {stages.map((s) => (
            <tr key={s.stage}>
              <td>{t(`procure.stage.${s.stage}`)}</td>
              <td>{formatDateTime(s.starts_at, lang)}</td>
              <td>{formatDateTime(s.ends_at, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The badges below as HTML strings, for lists written with `html` (components/html.ts): the same markup. */
export const stageBadgeHtml = (t: T, stage: string): Html =>
  html`<span class="badge badge--${STAGE_TONE[stage] ?? "info"}" style="white-space:normal" data-stage="${stage}">${t(`pengadaan.stage.${stage}`)}</span>`;
export const tenderStatusBadgeHtml = (t: T, status: string): Html =>
  html`<span class="badge badge--${TENDER_TONE[status] ?? "muted"}" style="white-space:normal" data-status="${status}">${t(`procure.tenderStatus.${status}`)}</span>`;

export function StageBadge({ stage }: { stage: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${STAGE_TONE[stage] ?? "info"}`} style={WRAP} data-stage={stage}>
      {t(`pengadaan.stage.${stage}`)}
    </span>
  );
}

export function TenderStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${TENDER_TONE[status] ?? "muted"}`} style={WRAP} data-status={status}>
      {t(`procure.tenderStatus.${status}`)}
    </span>
  );
}

export function ContractStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${CONTRACT_TONE[status] ?? "muted"}`} style={WRAP} data-status={status}>
      {t(`procure.contractStatus.${status}`)}
    </span>
  );
}

function Pass({ value }: { value: boolean | null }) {
  const t = useT();
  if (value === null) return <span className="muted">–</span>;
  return <span className={value ? "" : "text--bad"}>{value ? t("pengadaan.bid.pass") : t("pengadaan.bid.fail")}</span>;
}

/**
 * One selection: its data, schedule, documents, questions and answers, addenda, bids as the law allows,
 * the winner and the objections. `mine` marks this contractor's own questions and objections.
 */
export function TenderDetails({ tender: tn, mine }: { tender: PublicTender; mine?: { questions: string[]; sanggah: string[] } }) {
  const t = useT();
  const lang = useLang();
  const moment = (at: string | null) => (at ? formatDateTime(at, lang) : "–");
  return (
    <div data-testid={`tender-${tn.code}`}>
      <dl className="kv">
        <dt>{t("pengadaan.field.tenderCode")}</dt>
        <dd>
          {tn.code} {tn.attempt > 1 ? <span className="muted">({t("pengadaan.tender.attempt", { n: tn.attempt })})</span> : null}
        </dd>
        <dt>{t("pengadaan.field.status")}</dt>
        <dd>
          <TenderStatusBadge status={tn.status} />
        </dd>
        <dt>{t("pengadaan.field.method")}</dt>
        <dd>{t(`procure.method.${tn.method}`)}</dd>
        <dt>{t("pengadaan.field.hps")}</dt>
        <dd data-testid="hps">{formatRupiah(tn.hps)}</dd>
        <dt>{t("pengadaan.field.evaluation")}</dt>
        <dd>
          {t(`procure.evaluation.${tn.evaluationMethod}`)}
          {tn.technicalWeight ? ` (${t("pengadaan.tender.technicalWeight", { w: tn.technicalWeight })})` : ""} · {t(`pengadaan.qualification.${tn.qualification}`)}
        </dd>
        {tn.invited ? (
          <>
            <dt>{t("pengadaan.field.invited")}</dt>
            <dd>{tn.invited}</dd>
          </>
        ) : null}
        <dt>{t("pengadaan.field.bidDeadline")}</dt>
        <dd data-testid="bid-deadline">{moment(tn.bidDeadline)}</dd>
        <dt>{t("pengadaan.field.openingAt")}</dt>
        <dd>{moment(tn.openedAt ?? tn.openingAt)}</dd>
        {tn.sanggahUntil ? (
          <>
            <dt>{t("pengadaan.field.sanggahUntil")}</dt>
            <dd>{moment(tn.sanggahUntil)}</dd>
          </>
        ) : null}
        {tn.failureReason ? (
          <>
            <dt>{t("pengadaan.field.failureReason")}</dt>
            <dd className="timeline__reason">{tn.failureReason}</dd>
          </>
        ) : null}
      </dl>
      {tn.requirements ? (
        <>
          <h4>{t("pengadaan.tender.requirements")}</h4>
          <p style={{ whiteSpace: "pre-line" }}>{tn.requirements}</p>
        </>
      ) : null}

      <h4>{t("pengadaan.tender.schedule")}</h4>
      <ol className="timeline" data-testid="schedule">
        {tn.stages.map((s) => (
          <li key={s.stage} className="timeline__item">
            <strong>{t(`procure.stage.${s.stage}`)}</strong>
            <div className="timeline__when">
              {formatDateTime(s.startsAt, lang)} – {formatDateTime(s.endsAt, lang)}
            </div>
          </li>
        ))}
      </ol>

      {tn.documents.length ? (
        <>
          <h4>{t("pengadaan.tender.documents")}</h4>
          <ul data-testid="documents">
            {tn.documents.map((d) => (
              <li key={`${d.title}-${d.ref}`}>
                {d.title}
                {d.ref ? <span className="muted"> · {d.ref}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {tn.addenda.length ? (
        <>
          <h4>{t("pengadaan.tender.addenda")}</h4>
          <ol data-testid="addenda">
            {tn.addenda.map((a) => (
              <li key={a.no}>
                <strong>{t("pengadaan.tender.addendumNo", { no: a.no })}</strong> <span className="muted">{formatDateTime(a.createdAt, lang)}</span>
                <div>{a.description}</div>
                {a.newDeadline ? <div className="muted">{t("pengadaan.tender.deadlineMoved", { from: moment(a.oldDeadline), to: moment(a.newDeadline) })}</div> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h4>{t("pengadaan.tender.questions")}</h4>
      {tn.questions.length ? (
        <ol data-testid="questions">
          {tn.questions.map((q) => (
            <li key={q.id}>
              <div>
                {q.question} <span className="muted">({formatDateTime(q.askedAt, lang)})</span>
                {mine?.questions.includes(q.id) ? <span className="tag">{t("pengadaan.vendor.yours")}</span> : null}
              </div>
              {q.answer ? (
                <div className="notice notice--ok">
                  <strong>{t("pengadaan.tender.answer")}:</strong> {q.answer}
                </div>
              ) : (
                <div className="muted">{t("pengadaan.tender.notAnswered")}</div>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t("pengadaan.tender.noQuestions")}</p>
      )}

      <h4>{t("pengadaan.tender.bids")}</h4>
      {tn.bids === null ? (
        <p data-testid="bid-count">{t("pengadaan.tender.sealedCount", { n: tn.bidCount })}</p>
      ) : tn.bids.length === 0 ? (
        <p data-testid="bid-count">{t("pengadaan.tender.noBids")}</p>
      ) : (
        <ol data-testid="bids">
          {tn.bids.map((b, i) => (
            <li key={`${b.vendor}-${i}`}>
              <strong>{b.vendor}</strong> {b.winner ? <span className="badge badge--ok">{t("pengadaan.tender.winner")}</span> : null}
              <div>
                {t("pengadaan.bid.price")}: {formatRupiah(b.price)}
                {b.correctedPrice && b.correctedPrice !== b.price ? ` · ${t("pengadaan.bid.corrected")}: ${formatRupiah(b.correctedPrice)}` : ""}
              </div>
              {b.result ? (
                <div className="muted">
                  {t("pengadaan.bid.admin")}: <Pass value={b.result.admin} /> · {t("pengadaan.bid.tech")}: <Pass value={b.result.tech} />
                  {b.result.techScore ? ` (${b.result.techScore})` : ""} · {t("pengadaan.bid.priceStage")}: <Pass value={b.result.price} /> · {t("pengadaan.bid.qual")}:{" "}
                  <Pass value={b.result.qual} />
                  {b.result.rank ? ` · ${t("pengadaan.bid.rank", { rank: b.result.rank })}` : ""}
                  {b.result.reason ? <div className="timeline__reason">{b.result.reason}</div> : null}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}

      {tn.winner ? (
        <p data-testid="winner">
          <strong>{t("pengadaan.tender.winner")}:</strong> {tn.winner.vendor} — {formatRupiah(tn.winner.value)}
        </p>
      ) : null}

      {tn.sanggah.length ? (
        <>
          <h4>{t("pengadaan.tender.sanggah")}</h4>
          <ol data-testid="sanggah">
            {tn.sanggah.map((s) => (
              <li key={s.id}>
                <strong>
                  {t(`pengadaan.sanggah.${s.kind}`)} — {s.vendor}
                </strong>{" "}
                <span className="muted">{formatDateTime(s.submittedAt, lang)}</span>
                {mine?.sanggah.includes(s.id) ? <span className="tag">{t("pengadaan.vendor.yours")}</span> : null}
                <p style={{ whiteSpace: "pre-line" }}>{s.text}</p>
                {s.answer ? (
                  <div className="notice notice--ok">
                    <strong>{s.upheld ? t("pengadaan.sanggah.upheld") : t("pengadaan.sanggah.rejected")}:</strong> {s.answer}
                  </div>
                ) : (
                  <div className="muted">{t("pengadaan.tender.notAnswered")}</div>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}

/** A contract: SPPBJ, the contract itself, its amendments and payment terms. */
export function ContractDetails({ contract: c }: { contract: PublicContract }) {
  const t = useT();
  const lang = useLang();
  const day = (d: string | null) => (d ? formatDate(`${d}T00:00:00+07:00`, lang) : "–");
  return (
    <div data-testid="contract">
      <dl className="kv">
        <dt>{t("pengadaan.contract.vendor")}</dt>
        <dd data-testid="contract-vendor">{c.vendor}</dd>
        <dt>{t("pengadaan.field.status")}</dt>
        <dd>
          <ContractStatusBadge status={c.status} />
        </dd>
        <dt>SPPBJ</dt>
        <dd>
          {c.sppbjNumber} · {day(c.sppbjDate)}
        </dd>
        {c.number ? (
          <>
            <dt>{t("pengadaan.contract.number")}</dt>
            <dd>
              {c.number} · {day(c.signedOn)}
            </dd>
          </>
        ) : null}
        <dt>{t("pengadaan.contract.type")}</dt>
        <dd>{t(`procure.contractType.${c.type}`)}</dd>
        <dt>{t("pengadaan.contract.value")}</dt>
        <dd data-testid="contract-value">
          {formatRupiah(c.value)}
          {c.value !== c.originalValue ? <div className="muted">{t("pengadaan.contract.original", { value: formatRupiah(c.originalValue) })}</div> : null}
        </dd>
        {c.startDate ? (
          <>
            <dt>{t("pengadaan.contract.period")}</dt>
            <dd>
              {day(c.startDate)} – {day(c.endDate)}
            </dd>
          </>
        ) : null}
        {c.spmkNumber ? (
          <>
            <dt>SPMK</dt>
            <dd>
              {c.spmkNumber} · {day(c.spmkDate)}
            </dd>
          </>
        ) : null}
        {c.performanceBond ? (
          <>
            <dt>{t("pengadaan.contract.bond")}</dt>
            <dd>{formatRupiah(c.performanceBond)}</dd>
          </>
        ) : null}
        {c.terminationReason ? (
          <>
            <dt>{t("pengadaan.contract.terminated")}</dt>
            <dd className="timeline__reason">{c.terminationReason}</dd>
          </>
        ) : null}
      </dl>
      {c.terms.length ? (
        <>
          <h4>{t("pengadaan.contract.terms")}</h4>
          <ol data-testid="terms">
            {c.terms.map((x) => (
              <li key={x.no}>
                {x.description} — {formatRupiah(x.amount)} <span className="muted">({t("pengadaan.contract.atProgress", { p: x.progressPercent })})</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {c.amendments.length ? (
        <>
          <h4>{t("pengadaan.contract.amendments")}</h4>
          <ol data-testid="amendments">
            {c.amendments.map((a) => (
              <li key={a.no}>
                <strong>{t("pengadaan.contract.amendmentNo", { no: a.no })}</strong> <span className="muted">{day(a.signedOn)}</span>
                <div>{a.reason}</div>
                {a.valueAfter !== a.valueBefore ? (
                  <div>
                    {t("pengadaan.contract.value")}: {formatRupiah(a.valueBefore)} → {formatRupiah(a.valueAfter)}
                  </div>
                ) : null}
                {a.endAfter && a.endAfter !== a.endBefore ? (
                  <div>
                    {t("pengadaan.contract.end")}: {day(a.endBefore)} → {day(a.endAfter)}
                  </div>
                ) : null}
                {a.scope ? <div className="muted">{a.scope}</div> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}
