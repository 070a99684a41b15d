import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { proposalDetail, systemClock } from "~/domain.server";
import { publicComplaintsFor, publicComplaintsOnContractsOf, wibDay } from "~/pengaduan.server";
import { StatusBadge, Timeline } from "~/components/musrenbang";
import { ComplaintItem } from "~/components/pengaduan";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.p.title} — Jejak usulan` : "Usulan — Jejak" },
  { name: "description", content: data ? data.p.problem.slice(0, 160) : "" },
];

/** A proposal's public page: what was asked, where, and its whole timeline with every reason. */
export async function loader({ params }: LoaderFunctionArgs) {
  const p = await proposalDetail(await em(), config().tenant, params.id ?? "");
  if (!p) throw refuse(404, "musrenbang.usulan.notFound");
  // Citizens' reports about this proposal, with the government's answers (public fields only).
  const complaints = await publicComplaintsFor(await em(), config().tenant, "proposal", p.id, wibDay(systemClock.now()));
  // And those about the contracts carrying it out, with their answers: the proposal's jejak goes on past the contract.
  const contractComplaints = await publicComplaintsOnContractsOf(await em(), config().tenant, p.id, wibDay(systemClock.now()));
  return json({ p, complaints, contractComplaints }, { headers: { "Cache-Control": "public, max-age=30" } });
}

export default function ProposalPage() {
  const { p, complaints, contractComplaints } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <article>
      <p className="breadcrumb">
        <Link to="/usulan">{t("mus.public.title")}</Link> › <Link to={`/usulan?kecamatan=${p.kecamatan.code}`}>{p.kecamatan.name}</Link> ›{" "}
        <Link to={`/usulan?kecamatan=${p.kecamatan.code}&desa=${p.desa.code}`}>{p.desa.name}</Link>
      </p>
      <h1>{p.title}</h1>
      <p>
        <StatusBadge status={p.status} /> <span className="muted">{p.code}</span>
      </p>
      {p.reason && ["rejected", "not_adopted", "withdrawn", "merged"].includes(p.status) ? (
        <p className="timeline__reason" data-testid="reason">
          {t("mus.timeline.reason")}: {p.reason}
        </p>
      ) : null}
      {p.mergedInto ? (
        <p>
          <Link to={`/usulan/${p.mergedInto.id}`}>{t("mus.public.mergedInto", { code: p.mergedInto.code })}</Link>
        </p>
      ) : null}
      <div className="cards">
        <section className="card">
          <p>{p.problem}</p>
          <dl className="kv">
            <dt>{t("mus.field.kind")}</dt>
            <dd>
              {t(`mus.kind.${p.kind}`)} · {t(`mus.theme.${p.thematicGroup}`)}
            </dd>
            <dt>{t("mus.field.bidangUrusan")}</dt>
            <dd>
              {p.bidangUrusan.code} {p.bidangUrusan.name}
            </dd>
            <dt>{t("mus.field.targetOpd")}</dt>
            <dd>
              {p.opd.name}
              {p.originalOpd.code !== p.opd.code ? (
                <div className="muted">
                  {t("mus.public.originalOpd")}: {p.originalOpd.name}
                </div>
              ) : null}
            </dd>
            <dt>{t("mus.field.location")}</dt>
            <dd>
              {p.address} {p.rt ? `RT ${p.rt}` : ""} {p.rw ? `RW ${p.rw}` : ""} — {p.desa.name}, {p.kecamatan.name}
              {p.location ? (
                <div className="muted">
                  {p.location.lat}, {p.location.lng}
                </div>
              ) : null}
            </dd>
            <dt>{t("mus.field.volume")}</dt>
            <dd>
              {p.volume} {p.unit}
            </dd>
            <dt>{t("mus.field.estimatedCost")}</dt>
            <dd data-testid="cost">{formatRupiah(p.estimatedCost)}</dd>
            <dt>{t("mus.field.beneficiaries")}</dt>
            <dd>{p.beneficiaries}</dd>
            <dt>{t("mus.field.source")}</dt>
            <dd>
              {t(`mus.source.${p.source}`)} {p.fiscalYear}
              {p.proposer ? ` — ${p.proposer}` : ""}
            </dd>
            {p.proposedSubKegiatan ? (
              <>
                <dt>{t("mus.field.subKegiatan")}</dt>
                <dd>{p.proposedSubKegiatan}</dd>
              </>
            ) : null}
          </dl>
          {p.photos.length ? (
            <div className="photos">
              {p.photos.map((ph) => (
                <a key={ph.id} href={`/usulan/foto/${ph.id}`}>
                  <img src={`/usulan/foto/${ph.id}?kecil=1`} alt={ph.filename} loading="lazy" />
                </a>
              ))}
            </div>
          ) : null}
        </section>
        <section className="card">
          <h2>{t("mus.public.timeline")}</h2>
          <Timeline events={p.timeline} />
          {p.timeline.map((e) =>
            // A "contract" step carries the contract's id: its public page shows the works, payments and handover.
            e.action === "contract" && typeof e.details.contract === "string" ? (
              <p key={`kontrak-${e.id}`}>
                <Link to={`/kontrak/${e.details.contract}`} data-testid="contract-page">
                  {t("kontrakPublik.fromProposal", { number: String(e.details.number ?? "") })}
                </Link>
              </p>
            ) : null,
          )}
          {p.absorbed.length ? (
            <>
              <h3>{t("mus.public.absorbed")}</h3>
              <ul>
                {p.absorbed.map((a) => (
                  <li key={a.id}>
                    <Link to={`/usulan/${a.id}`}>{a.code}</Link> {a.title}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      <section className="card" data-testid="complaints">
        <h2>{t("lapor.public.title")}</h2>
        {complaints.length + contractComplaints.length === 0 ? <p className="muted">{t("lapor.public.none")}</p> : null}
        {complaints.map((c) => (
          <ComplaintItem key={c.id} c={c} />
        ))}
        {contractComplaints.map((c) => (
          <ComplaintItem key={c.id} c={c} testId="contract-complaint" about={<Link to={`/kontrak/${c.contract.id}`}>{t("lapor.public.onContract", { number: c.contract.number })}</Link>} />
        ))}
        <p>
          <Link to={`/lapor?usulan=${p.id}`}>{t("lapor.public.report")}</Link>
        </p>
      </section>
      <p>
        <a href={`/api/usulan/${p.id}`}>{t("mus.public.openData")}</a>
      </p>
    </article>
  );
}
