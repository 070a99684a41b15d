import type { ReactNode } from "react";
import type { PublicComplaint, PublicStep } from "~/pengaduan.server";
import { formatDate, formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

const TONE: Record<string, string> = {
  held: "muted",
  received: "info",
  verified: "info",
  forwarded: "info",
  in_progress: "info",
  answered: "ok",
  closed: "ok",
  rejected: "bad",
  discarded: "muted",
};

export function ComplaintStatus({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${TONE[status] ?? "info"}`} data-status={status} data-testid="complaint-status">
      {t(`lapor.status.${status}`)}
    </span>
  );
}

/** The deadline, and whether it has passed: the SLA in working days, as the public sees it. */
export function ComplaintDue({ c }: { c: Pick<PublicComplaint, "slaDueOn" | "overdue" | "escalationLevel" | "status"> }) {
  const t = useT();
  const lang = useLang();
  return (
    <span>
      {t("lapor.due")}: {formatDate(`${c.slaDueOn}T12:00:00+07:00`, lang)}
      {c.overdue ? (
        <>
          {" "}
          <span className="badge badge--bad">{t("lapor.overdue")}</span>
        </>
      ) : null}
      {c.escalationLevel > 0 ? <span className="muted"> · {t("lapor.escalated", { level: c.escalationLevel })}</span> : null}
    </span>
  );
}

/** A report's public fields: what was reported, by category, to which agency, and the answer. */
export function ComplaintBody({ c }: { c: PublicComplaint }) {
  const t = useT();
  const lang = useLang();
  return (
    <>
      <p>
        <ComplaintStatus status={c.status} /> <span className="muted">{c.number}</span>
      </p>
      <dl className="kv">
        <dt>{t("lapor.category")}</dt>
        <dd>{!c.categoryNational || t(`lapor.category.${c.category}`) === `lapor.category.${c.category}` ? c.categoryName : t(`lapor.category.${c.category}`)}</dd>
        <dt>{t("lapor.submitted")}</dt>
        <dd>{formatDateTime(c.submittedAt, lang)}</dd>
        {c.opd ? (
          <>
            <dt>{t("lapor.opd")}</dt>
            <dd>{c.opd.name}</dd>
          </>
        ) : null}
        <dt>{t("lapor.status")}</dt>
        <dd>
          <ComplaintDue c={c} />
        </dd>
      </dl>
      <p className="complaint__text" data-testid="complaint-text">
        {c.text}
      </p>
      {c.photos.length ? (
        <div className="photos">
          {c.photos.map((id) => (
            <img key={id} src={`/lapor/foto/${id}`} alt="" loading="lazy" />
          ))}
        </div>
      ) : null}
      {c.reason ? (
        <p className="timeline__reason" data-testid="complaint-reason">
          {t("lapor.reason")}: {c.reason}
        </p>
      ) : null}
      {c.answer ? (
        <section className="complaint__answer" data-testid="complaint-answer">
          <h3>{t("lapor.answer")}</h3>
          <p>{c.answer}</p>
          {c.answeredAt ? <p className="muted">{formatDateTime(c.answeredAt, lang)}</p> : null}
          {c.rating ? <p className="muted">{t("lapor.rating", { rating: c.rating })}</p> : null}
        </section>
      ) : null}
    </>
  );
}

/**
 * A complaint as a public page lists it (the proposal's page): status, number, what it is about when given,
 * the report and the OPD's answer.
 */
export function ComplaintItem({ c, about, testId = "complaint" }: { c: Pick<PublicComplaint, "id" | "status" | "number" | "text" | "answer" | "opd">; about?: ReactNode; testId?: string }) {
  const t = useT();
  return (
    <div className="complaint" data-testid={testId}>
      <p>
        <ComplaintStatus status={c.status} /> <span className="muted">{c.number}</span>
        {about ? <> · {about}</> : null}
      </p>
      <p>{c.text}</p>
      {c.answer ? (
        <p className="timeline__reason" data-testid="complaint-answer">
          {t("lapor.answer")}
          {c.opd ? ` (${c.opd.name})` : ""}: {c.answer}
        </p>
      ) : null}
    </div>
  );
}

export function ComplaintHistory({ steps }: { steps: PublicStep[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <ol className="timeline" data-testid="complaint-history">
      {steps.map((s, i) => (
        <li key={i} className="timeline__item" data-action={s.action}>
          <div className="timeline__when">{formatDateTime(s.at, lang)}</div>
          <div className="timeline__what">
            <strong>{t(`lapor.step.${s.action}`, { level: s.note })}</strong> <ComplaintStatus status={s.to} />
          </div>
          {s.note && s.action !== "escalate" ? <div className="timeline__reason">{s.note}</div> : null}
          <div className="muted">{s.by}</div>
        </li>
      ))}
    </ol>
  );
}
