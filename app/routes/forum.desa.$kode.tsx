import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { refuse } from "~/http.server";
import { getRegion, listForums, regionPath, usersInScope } from "~/domain.server";
import { ForumList } from "~/components/forum-list";
import { Breadcrumb, PeopleList } from "~/components/workspace";
import { useT } from "~/hooks";
import { wilayahWithin } from "../../domain/kernel/codes";

/** A desa/kelurahan forum's workspace. Its facilitators, its kecamatan's, and Bappeda may open it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "workspace.desa", { region: kode });
  const db = await em();
  const region = await getRegion(db, kode);
  if (!region || region.level !== 4 || !wilayahWithin(kode, config().tenant)) throw refuse(404, "region.unknown", { code: kode });
  const [path, people, forums] = await Promise.all([
    regionPath(db, kode),
    usersInScope(db, config().tenant, "desa", kode),
    listForums(db, config().tenant, { level: "desa", within: kode }),
  ]);
  return json({ region, path, people, forums }, { headers: viewerHeaders(viewer) });
}

export default function DesaWorkspace() {
  const { region, path, people, forums } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Breadcrumb items={path.map((r) => ({ label: r.name }))} />
      <h1 data-testid="workspace-title">{t("ws.desa.title", { name: region.name })}</h1>
      <section className="card">
        <p>
          {t(region.kind === "kelurahan" ? "ws.kind.kelurahan" : "ws.kind.desa")} · {t("ws.region.code")} <code>{region.code}</code>
        </p>
      </section>
      <ForumList forums={forums} trackerHref={`/usulan?kecamatan=${region.parentCode}&desa=${region.code}`} />
      <PeopleList people={people} />
    </>
  );
}
