import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { refuse } from "~/http.server";
import { findOpdByCode, listOpds, opdQueue, usersInScope } from "~/domain.server";
import { DecisionForms } from "~/components/decisions";
import { StatusBadge } from "~/components/musrenbang";
import { formatRupiah } from "~/format";
import { Link } from "@remix-run/react";
import { PeopleList } from "~/components/workspace";
import { useT } from "~/hooks";

/** An OPD's workspace: its officers, and Bappeda and TAPD over all OPDs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "workspace.opd", { opd: kode });
  const db = await em();
  const opd = await findOpdByCode(db, kode);
  if (!opd) throw refuse(404, "opd.unknown", { code: kode });
  const [people, queue, opds] = await Promise.all([usersInScope(db, config().tenant, "opd", kode), opdQueue(db, config().tenant, kode), listOpds(db)]);
  // The officer decides on proposals in review; others (Bappeda, TAPD) see the queue without buttons.
  const decides = viewer.actor.assignments.some((a) => a.role === "opd_officer" && a.scope.code === kode);
  return json({ opd, people, queue, decides, opds: opds.filter((o) => o.code !== kode) }, { headers: viewerHeaders(viewer) });
}

export default function OpdWorkspace() {
  const { opd, people, queue, decides, opds } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.opd.title", { name: opd.name })}</h1>
      <section className="card">
        <p>
          {opd.shortName} · <code>{opd.code}</code>
        </p>
      </section>
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
