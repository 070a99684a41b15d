import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { findOpdByCode, listForums, listOpds, opdQueue, openRenja, scheduleForum, systemClock, usersInScope } from "~/domain.server";
import { ForumList } from "~/components/forum-list";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { DecisionForms } from "~/components/decisions";
import { StatusBadge } from "~/components/musrenbang";
import { PeopleList } from "~/components/workspace";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";
/** An OPD's workspace: its officers, and Bappeda and TAPD over all OPDs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "workspace.opd", { opd: kode });
  const db = await em();
  const opd = await findOpdByCode(db, kode);
  if (!opd) throw refuse(404, "opd.unknown", { code: kode });
  const [people, queue, opds, forums] = await Promise.all([
    usersInScope(db, config().tenant, "opd", kode),
    opdQueue(db, config().tenant, kode),
    listOpds(db),
    listForums(db, config().tenant, { level: "perangkat_daerah", opd: kode }),
  ]);
  // The officer decides on proposals in review; others (Bappeda, TAPD) see the queue without buttons.
  const decides = viewer.actor.assignments.some((a) => a.role === "opd_officer" && a.scope.code === kode);
  const year = new Date().getUTCFullYear() + 1;
  const renjas = await db.execute<{ id: string; fiscal_year: number; status: string }[]>(
    "select r.id, r.fiscal_year, r.status from renja r join opd o on o.id = r.opd_id where o.tenant_code = ? and o.code = ? order by r.fiscal_year desc",
    [config().tenant, kode],
  );
  return json(
    { opd, people, queue, decides, year, forums, renjas, opds: opds.filter((o) => o.code !== kode) },
    { headers: viewerHeaders(viewer) },
  );
}

/** An OPD officer schedules their Forum Perangkat Daerah for a year. */
export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.opd", { opd: params.kode ?? "" });
  const form = await readForm(request);
  const r = await runUseCase(request, async () =>
    field(form, "intent") === "openRenja"
      ? openRenja(await em(), viewer.actor, systemClock, field(form, "year"), params.kode ?? "")
      : scheduleForum(await em(), viewer.actor, systemClock, { fiscalYear: field(form, "year"), level: "perangkat_daerah", scope: params.kode ?? "" }),
  );
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved") });
}

export default function OpdWorkspace() {
  const { opd, people, queue, decides, opds, forums, year, renjas } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string } | undefined;
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.opd.title", { name: opd.name })}</h1>
      <section className="card">
        <p>
          {opd.shortName} · <code>{opd.code}</code>
        </p>
      </section>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <section className="card" data-testid="renja-list">
        <h2>Renja</h2>
        <ul>
          {renjas.map((r) => (
            <li key={r.id}>
              <Link to={`/plan/renja/${r.id}`}>Renja {r.fiscal_year}</Link> <span className="badge badge--info">{t(`rkpd.status.${r.status}`)}</span> ·{" "}
              <Link to={`/plan/renja/${r.id}/forum-pd`}>{t("renja.forumPd")}</Link>
            </li>
          ))}
        </ul>
        {decides && !renjas.some((r) => r.fiscal_year === year) ? (
          <PostForm>
            <input type="hidden" name="intent" value="openRenja" />
            <input type="hidden" name="year" value={year} />
            <SubmitButton className="button button--secondary">{t("renja.open", { year })}</SubmitButton>
          </PostForm>
        ) : null}
      </section>
      <ForumList forums={forums} trackerHref={`/usulan?opd=${opd.code}`} />
      {decides && !forums.some((f) => f.fiscalYear === year) ? (
        <PostForm>
          <input type="hidden" name="year" value={year} />
          <SubmitButton className="button button--secondary">
            {t("mus.level.perangkat_daerah")} {year} +
          </SubmitButton>
        </PostForm>
      ) : null}
      <section className="card" data-testid="opd-queue">
        <h2>{t("mus.forum.opdQueue")}</h2>
        {queue.length === 0 ? <p className="muted">{t("mus.forum.none")}</p> : null}
        <ul style={{ listStyle: "none", padding: 0 }}>
          {queue.map((p) => (
            <li key={p.id} className="card" data-code={p.code}>
              <Link to={`/usulan/${p.id}`}>
                <strong>{p.title}</strong>
              </Link>{" "}
              <StatusBadge status={p.status} />
              <div className="muted">
                {p.code} · {p.desaName} · {p.volume} {p.unit} · {formatRupiah(p.estimatedCost)}
              </div>
              {decides && p.status === "opd_review" ? (
                <DecisionForms id={p.id} version={p.version} actions={["accept", "reject", "transfer"]} back={`/plan/opd/${opd.code}`} opds={opds} />
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <PeopleList people={people} />
    </>
  );
}
