import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { can, listForums, scheduleYear, systemClock, visibleScopes } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ForumStatusBadge } from "~/components/musrenbang";
import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

/** The forums one may see: all of them for Bappeda, one's own kecamatan's or desa's for facilitators. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "musrenbang.forum.view");
  const url = new URL(request.url);
  const nextYear = new Date().getUTCFullYear() + 1;
  const year = Number(url.searchParams.get("tahun")) || nextYear;
  const tenant = config().tenant;
  const scopes = visibleScopes(viewer.actor, "musrenbang.forum.view");
  const db = await em();
  const forums = scopes.all
    ? await listForums(db, tenant, { year, level: url.searchParams.get("tingkat") || undefined, within: url.searchParams.get("wilayah") || undefined })
    : (await Promise.all(scopes.regions.map((r) => listForums(db, tenant, { year, within: r })))).flat();
  return json(
    { forums, year, canSchedule: can(viewer.actor, "musrenbang.schedule", { tenant }), canPokir: can(viewer.actor, "musrenbang.forum.kabupaten", { tenant }) },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guardSomewhere(request, "musrenbang.schedule");
  const form = await readForm(request);
  const r = await runUseCase(request, async () => scheduleYear(await em(), viewer.actor, systemClock, { fiscalYear: field(form, "year") }));
  if (!r.ok) return r.response;
  return json({ ok: true, message: `${tFor(request)("mus.forum.saved")} (${r.value.created})`, fieldErrors: {} });
}

export default function Forums() {
  const { forums, year, canSchedule, canPokir } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string } | undefined;
  const t = useT();
  const lang = useLang();
  return (
    <>
      <h1 data-testid="workspace-title">{t("mus.forum.list")}</h1>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="tahun">{t("mus.forum.year")}</label>
          <input id="tahun" name="tahun" type="number" min={2000} max={2100} defaultValue={year} />
        </div>
        <button className="button button--secondary" type="submit">
          {t("audit.filter")}
        </button>
      </Form>
      <div className="actions">
        {canSchedule ? (
          <PostForm>
            <input type="hidden" name="year" value={year} />
            <SubmitButton>{t("mus.forum.scheduleYear", { year })}</SubmitButton>
          </PostForm>
        ) : null}
        {canPokir ? (
          <Link className="button button--secondary" to={`/forum/pokir?tahun=${year}`}>
            {t("mus.forum.pokirNew")}
          </Link>
        ) : null}
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Forum</th>
              <th>{t("mus.field.status")}</th>
              <th>{t("mus.forum.schedule")}</th>
              <th className="num">{t("mus.forum.proposals")}</th>
            </tr>
          </thead>
          <tbody>
            {forums.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link to={`/forum/${f.id}`}>{f.name}</Link> <span className="muted">{f.fiscalYear}</span>
                </td>
                <td>
                  <ForumStatusBadge status={f.status} />
                </td>
                <td>{f.opensAt ? `${formatDateTime(f.opensAt, lang)} – ${f.closesAt ? formatDateTime(f.closesAt, lang) : ""}` : "—"}</td>
                <td className="num">{f.proposals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
