import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { childRegions, openRenja, rkpd, setPlanCeiling, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/**
 * Bappeda's workspace: the year's indicative ceilings per OPD and their Renja, the Musrenbang forums,
 * and every kecamatan.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const year = Number(new URL(request.url).searchParams.get("tahun")) || new Date().getUTCFullYear() + 1;
  const db = await em();
  const [plan, kecamatan, renjas] = await Promise.all([
    rkpd(db, config().tenant, year),
    childRegions(db, config().tenant),
    db.execute<{ id: string; code: string }[]>("select r.id, o.code from renja r join opd o on o.id = r.opd_id where r.tenant_code = ? and r.fiscal_year = ?", [config().tenant, year]),
  ]);
  return json({ year, plan, kecamatan, renjaIds: Object.fromEntries(renjas.map((r) => [r.code, r.id])) }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "ceiling") return setPlanCeiling(db, viewer.actor, systemClock, field(form, "year"), field(form, "opd"), field(form, "amount"));
    if (intent === "openRenja") return openRenja(db, viewer.actor, systemClock, field(form, "year"), field(form, "opd"));
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved") });
}

export default function PlanningWorkspace() {
  const { year, plan, kecamatan, renjaIds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string } | undefined;
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.planning.title")}</h1>
      <p className="actions">
        <Link className="button" to="/forum">
          {t("mus.forum.list")}
        </Link>
        <Link className="button button--secondary" to="/usulan">
          {t("mus.public.title")}
        </Link>
        <Link className="button button--secondary" to={`/rkpd/${year}`}>
          RKPD {year}
        </Link>
        <Link className="button button--secondary" to="/plan/rpjmd">
          RPJMD
        </Link>
        <Link className="button button--secondary" to={`/monev/evaluasi/${year}`}>
          {t("evaluasi.link")}
        </Link>
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <section className="card">
        <h2>
          {t("renja.ceilings")} {year}
        </h2>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="tahun">{t("mus.forum.year")}</label>
            <input id="tahun" name="tahun" type="number" defaultValue={year} />
          </div>
          <button className="button button--secondary" type="submit">
            {t("audit.filter")}
          </button>
        </Form>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>{t("ws.opdList")}</th>
                <th>{t("rkpd.ceiling")}</th>
                <th className="num">{t("rkpd.planned")}</th>
                <th>Renja</th>
              </tr>
            </thead>
            <tbody>
              {plan.opds.map((o) => (
                <tr key={o.code} data-opd={o.code}>
                  <td>
                    <Link to={`/plan/opd/${o.code}`}>{o.name}</Link>
                  </td>
                  <td>
                    <PostForm className="actions">
                      <input type="hidden" name="intent" value="ceiling" />
                      <input type="hidden" name="year" value={year} />
                      <input type="hidden" name="opd" value={o.code} />
                      <input name="amount" defaultValue={o.ceiling ?? ""} inputMode="decimal" aria-label={`${t("rkpd.ceiling")} ${o.name}`} size={16} />
                      <SubmitButton className="button button--secondary">{t("admin.users.save")}</SubmitButton>
                    </PostForm>
                  </td>
                  <td className="num">{formatRupiah(o.planned)}</td>
                  <td>
                    {renjaIds[o.code] ? (
                      <Link to={`/plan/renja/${renjaIds[o.code]}`}>{o.status ? t(`rkpd.status.${o.status}`) : "Renja"}</Link>
                    ) : (
                      <PostForm>
                        <input type="hidden" name="intent" value="openRenja" />
                        <input type="hidden" name="year" value={year} />
                        <input type="hidden" name="opd" value={o.code} />
                        <SubmitButton className="link-button">{t("renja.open", { year })}</SubmitButton>
                      </PostForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>{t("ws.kecamatanList")}</h2>
        <ul>
          {kecamatan.map((k) => (
            <li key={k.code}>
              <Link to={`/forum/kecamatan/${k.code}`}>{k.name}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
