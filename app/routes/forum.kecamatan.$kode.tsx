import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { refuse } from "~/http.server";
import { childRegions, getRegion, listForums, regionPath, usersInScope } from "~/domain.server";
import { ForumList } from "~/components/forum-list";
import { Breadcrumb, PeopleList } from "~/components/workspace";
import { useT } from "~/hooks";
import { wilayahWithin } from "../../domain/kernel/codes";

/** A kecamatan forum's workspace: its desa, each linking to the desa forum. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "workspace.kecamatan", { region: kode });
  const db = await em();
  const region = await getRegion(db, kode);
  if (!region || region.level !== 3 || !wilayahWithin(kode, config().tenant)) throw refuse(404, "region.unknown", { code: kode });
  const [path, desa, people, forums] = await Promise.all([
    regionPath(db, kode),
    childRegions(db, kode),
    usersInScope(db, config().tenant, "kecamatan", kode),
    listForums(db, config().tenant, { level: "kecamatan", within: kode }),
  ]);
  return json({ region, path, desa, people, forums }, { headers: viewerHeaders(viewer) });
}

export default function KecamatanWorkspace() {
  const { region, path, desa, people, forums } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Breadcrumb items={path.map((r) => ({ label: r.name }))} />
      <h1 data-testid="workspace-title">{t("ws.kecamatan.title", { name: region.name })}</h1>
      <ForumList forums={forums} trackerHref={`/usulan?kecamatan=${region.code}`} />
      <section className="card">
        <h2>
          {t("ws.region.desaList")} ({desa.length})
        </h2>
        <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
          {desa.map((d) => (
            <li key={d.code}>
              <Link to={`/forum/desa/${d.code}`}>{d.name}</Link> <span className="muted code">{d.code}</span>
            </li>
          ))}
        </ul>
      </section>
      <PeopleList people={people} />
    </>
  );
}
