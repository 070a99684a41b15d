import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { listRpjmd, rpjmdView } from "~/domain.server";
import { RpjmdTree } from "~/components/rpjmd-tree";
import { useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction = () => [{ title: "RPJMD — Jejak" }];

/** The adopted RPJMD, public: vision, missions, goals with indicators and yearly targets, and the programmes serving them. */
export async function loader(_: LoaderFunctionArgs) {
  const db = await em();
  const adopted = (await listRpjmd(db, config().tenant)).filter((r) => r.status === "adopted");
  const views = await Promise.all(adopted.map((r) => rpjmdView(db, config().tenant, r.id)));
  return json({ views }, { headers: { "Cache-Control": "public, max-age=60" } });
}

export default function PublicRpjmd() {
  const { views } = useLoaderData<typeof loader>();
  const t = useT();
  if (!views.length) return <p>{t("rpjmd.none")}</p>;
  return (
    <>
      {views.map((r) => (
        <article key={r.id}>
          <h1>
            RPJMD {r.startYear}–{r.endYear}
          </h1>
          <p className="muted">{r.legalBasis}</p>
          <RpjmdTree r={r} />
        </article>
      ))}
    </>
  );
}
