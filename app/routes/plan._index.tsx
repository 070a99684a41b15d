import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { childRegions, listOpds } from "~/domain.server";
import { NextStages } from "~/components/workspace";
import { useT } from "~/hooks";

/** Bappeda's workspace: the whole tenant — every OPD and every kecamatan forum. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const db = await em();
  const [opds, kecamatan] = await Promise.all([listOpds(db), childRegions(db, config().tenant)]);
  return json({ opds, kecamatan }, { headers: viewerHeaders(viewer) });
}

export default function PlanningWorkspace() {
  const { opds, kecamatan } = useLoaderData<typeof loader>();
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
      </p>
      <div className="cards">
        <section className="card">
          <h2>{t("ws.opdList")}</h2>
          <ul>
            {opds.map((o) => (
              <li key={o.code}>
                <Link to={`/plan/opd/${o.code}`}>{o.name}</Link>
              </li>
            ))}
          </ul>
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
      </div>
      <NextStages />
    </>
  );
}
