import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { linkProposal, reconciliation, renjaDetail, systemClock, unlinkProposal } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

async function load(request: Request, id: string) {
  const db = await em();
  const detail = await renjaDetail(db, id).catch(() => null);
  if (!detail) throw refuse(404, "planning.renjaNotFound");
  const viewer = await guard(request, "workspace.opd", { opd: detail.renja.opd_code });
  return { db, renja: detail.renja, viewer };
}

/**
 * Forum Perangkat Daerah: the OPD reconciles its Renja with the proposals it accepted in Musrenbang —
 * each one taken up (by which sub-activity), still pending, or left out with the reason — and places or
 * releases proposals until the Renja is final.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, renja, viewer } = await load(request, params.id ?? "");
  const a = viewer.actor;
  const edits = renja.status !== "final" && (a.hasRole("bappeda_planner") || a.assignments.some((x) => x.role === "opd_officer" && x.scope.code === renja.opd_code));
  return json({ renja, edits, ...(await reconciliation(db, config().tenant, renja)) }, { headers: viewerHeaders(viewer) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await load(request, params.id ?? "");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "link") return linkProposal(db, viewer.actor, systemClock, field(form, "sub"), field(form, "proposal"));
    if (intent === "unlink") return unlinkProposal(db, viewer.actor, systemClock, field(form, "sub"), field(form, "proposal"), field(form, "reason"));
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved") });
}

export default function ForumPd() {
  const { renja, edits, rows, subs, forum, counts, costs, ceilings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string } | undefined;
  const t = useT();
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/plan/opd/${renja.opd_code}`}>{renja.opd_name}</Link> · <Link to={`/plan/renja/${renja.id}`}>Renja {renja.fiscal_year}</Link>
        {forum ? (
          <>
            {" "}
            · <Link to={`/forum/${forum.id}`}>{forum.name}</Link>
          </>
        ) : null}
      </p>
      <h1 data-testid="workspace-title">
        {t("renja.forumPd")} — {renja.opd_name} {renja.fiscal_year}
      </h1>
      <p>{t("forumPd.intro", { year: renja.fiscal_year })}</p>
      <div className="table-wrap">
        <table className="data" data-testid="forum-pd-summary">
          <tbody>
            <tr>
              <th>{t("forumPd.accepted")}</th>
              <td className="num">{counts.accepted}</td>
              <td></td>
            </tr>
            <tr>
              <th>{t("forumPd.takenUp")}</th>
              <td className="num" data-testid="count-taken">
                {counts.taken}
              </td>
              <td className="num">{formatRupiah(costs.taken)}</td>
            </tr>
            <tr>
              <th>{t("forumPd.pending")}</th>
              <td className="num" data-testid="count-pending">
                {counts.pending}
              </td>
              <td className="num">{formatRupiah(costs.pending)}</td>
            </tr>
            <tr>
              <th>{t("forumPd.leftOut")}</th>
              <td className="num">{counts.leftOut}</td>
              <td className="num">{formatRupiah(costs.leftOut)}</td>
            </tr>
            <tr>
              <th>{t("rkpd.planned")}</th>
              <td></td>
              <td className="num">{formatRupiah(ceilings)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <div className="table-wrap">
        <table className="data" data-testid="forum-pd-rows">
          <thead>
            <tr>
              <th>{t("mus.public.title")}</th>
              <th>{t("forumPd.proposedSub")}</th>
              <th className="num">{t("forumPd.cost")}</th>
              <th>{t("rkpd.subActivity")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid={`row-${p.code}`}>
                <td>
                  <Link to={`/usulan/${p.id}`}>{p.code}</Link> {p.title}
                  <div className="muted">{p.desa}</div>
                </td>
                <td>{p.proposedSub || "—"}</td>
                <td className="num">{formatRupiah(p.cost)}</td>
                <td>
                  {p.subId ? (
                    <>
                      <strong>
                        {p.subCode} {p.subName}
                      </strong>
                      {edits ? (
                        <PostForm className="inline-form">
                          <input type="hidden" name="intent" value="unlink" />
                          <input type="hidden" name="sub" value={p.subId} />
                          <input type="hidden" name="proposal" value={p.id} />
                          <input name="reason" aria-label={t("renja.removeReason")} placeholder={t("renja.removeReason")} />
                          <SubmitButton className="button button--secondary">{t("forumPd.release")}</SubmitButton>
                        </PostForm>
                      ) : null}
                    </>
                  ) : (
                    <>
                      <span className={`badge ${p.state === "leftOut" ? "badge--bad" : "badge--info"}`}>{t(p.state === "leftOut" ? "forumPd.leftOut" : "forumPd.pending")}</span>
                      {p.leftOutReason ? <div className="muted">{p.leftOutReason}</div> : null}
                      {edits && subs.length ? (
                        <PostForm className="inline-form">
                          <input type="hidden" name="intent" value="link" />
                          <input type="hidden" name="proposal" value={p.id} />
                          <select name="sub" aria-label={t("forumPd.place")}>
                            {subs.map((s) => (
                              <option key={s.id} value={s.id}>
                                {s.code} {s.name}
                              </option>
                            ))}
                          </select>
                          <SubmitButton className="button button--secondary">{t("forumPd.place")}</SubmitButton>
                        </PostForm>
                      ) : null}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
