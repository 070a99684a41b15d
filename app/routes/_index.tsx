import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { useLang, useRoot, useT } from "~/hooks";
import { formatCount } from "~/format";
import { tenantOverview } from "~/domain.server";
import { STAGES, type Stage } from "../../domain/stages";

export const meta: MetaFunction = () => [
  { title: "Jejak — jejak uang publik" },
  { name: "description", content: "Musrenbang, perencanaan, anggaran, pengadaan, data kontrak terbuka dan monev dalam satu jejak." },
];

export { passHeaders as headers } from "~/headers";

export async function loader(_: LoaderFunctionArgs) {
  const overview = await tenantOverview(await em(), config().tenant);
  return json(overview, { headers: { "Cache-Control": "public, max-age=10" } });
}

const UNIT: Record<Stage, string> = {
  musrenbang: "stage.unit.usulan",
  planning: "stage.unit.subkegiatan",
  budgeting: "stage.unit.rincian",
  procurement: "stage.unit.paket",
  ocds: "stage.unit.rilis",
  monev: "stage.unit.laporan",
};

const LINK: Partial<Record<Stage, string>> = { musrenbang: "/usulan", planning: `/rkpd/${new Date().getUTCFullYear() + 1}`, budgeting: `/apbd/${new Date().getUTCFullYear() + 1}`, procurement: "/pengadaan" };

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const { tenant } = useRoot();
  return (
    <>
      <section className="hero">
        <h1>{t("home.title", { tenant: tenant.name })}</h1>
        <p>{t("home.intro", { tenant: tenant.name })}</p>
        <p className="facts" data-testid="region-facts">
          {t("home.regions", {
            kecamatan: formatCount(data.kecamatan, lang),
            desa: formatCount(data.desa, lang),
            opd: formatCount(data.opds, lang),
          })}
        </p>
      </section>
      <h2>{t("home.stages")}</h2>
      <ol className="stages">
        {STAGES.map((s) => {
          const n = data.stages[s];
          return (
            <li key={s} className="stage" data-stage={s}>
              <h3>{LINK[s] ? <Link to={LINK[s]!}>{t(`stage.${s}`)}</Link> : t(`stage.${s}`)}</h3>
              <p>{t(`stage.${s}.desc`)}</p>
              {n === null ? (
                <p className="muted">{t("home.count.coming")}</p>
              ) : n === 0 ? (
                <p className="muted">{t("home.count.none")}</p>
              ) : (
                <p>
                  <span className="stage__count">{formatCount(n, lang)}</span> {t(UNIT[s])}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
