import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { refuse } from "~/http.server";
import { findOpdByCode, usersInScope } from "~/domain.server";
import { NextStages, PeopleList } from "~/components/workspace";
import { useT } from "~/hooks";

/** An OPD's workspace: its officers, and Bappeda and TAPD over all OPDs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "workspace.opd", { opd: kode });
  const db = await em();
  const opd = await findOpdByCode(db, kode);
  if (!opd) throw refuse(404, "opd.unknown", { code: kode });
  const people = await usersInScope(db, config().tenant, "opd", kode);
  return json({ opd, people }, { headers: viewerHeaders(viewer) });
}

export default function OpdWorkspace() {
  const { opd, people } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.opd.title", { name: opd.name })}</h1>
      <section className="card">
        <p>
          {opd.shortName} · <code>{opd.code}</code>
        </p>
      </section>
      <PeopleList people={people} />
      <NextStages />
    </>
  );
}
