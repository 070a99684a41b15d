import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, requirePermission, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { requireViewer } from "~/session.server";
import { systemClock } from "~/domain.server";
import { contractMonitoring, contractPhotos, reportDetail, returnReport, verifyReport } from "~/monev-kontrak.server";
import { FormMessage } from "~/components/forms";
import { CriticalBadge, ProgressPhotos } from "~/components/monev-kontrak";
import { PendingReport, ReportedKurvaS } from "~/components/pending-report";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.contract.package_name} — Pengawasan — Jejak` : "Pengawasan — Jejak" }];

/** Only a supervising consultant assigned to this contract (its scope is the contract) opens this page. */
async function load(request: Request, id: string) {
  const viewer = await requireViewer(request);
  const tenant = config().tenant;
  const db = await em();
  const m = await contractMonitoring(db, tenant, id);
  if (!m) throw refuse(404, "procure.contract.notFound");
  requirePermission(viewer.actor, "monev.report.verify", { tenant, contract: m.contract.id });
  return { viewer, db, m, tenant };
}

/**
 * /pengawasan/kontrak/<id>: a contract as its supervising consultant (konsultan pengawas) sees it — the
 * kurva S against the reports (with who verified each), the reports waiting for verification with their
 * work items and photos, to verify or return with a note (the same use cases as the PPK's page), and the
 * photos of every report. Payments, the kontrak kritis handling and the schedule stay on the PPK's page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, db, m, tenant } = await load(request, params.id ?? "");
  const pending = [];
  for (const r of m.reports.filter((x) => x.status === "submitted")) pending.push(await reportDetail(db, tenant, r.id));
  return json(
    {
      contract: m.contract,
      hasPlan: !!m.plan,
      series: m.series,
      latest: m.latest,
      verdict: m.verdict,
      reports: m.reports.map((r) => ({
        id: r.id,
        period_no: r.period_no,
        status: r.status,
        problems: r.problems,
        actions: r.actions,
        correction_reason: r.correction_reason,
        verified_by: r.verified_by,
        verified_as: r.verified_as,
      })),
      pending: pending.filter((x) => x !== null),
      photos: await contractPhotos(db, tenant, m.contract.id),
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, db } = await load(request, params.id ?? "");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const target = field(form, "target");
  const version = Number(field(form, "version"));
  const r = await runUseCase(request, async () => {
    if (intent === "verify") return verifyReport(db, viewer.actor, systemClock, target, version);
    if (intent === "return") {
      await returnReport(db, viewer.actor, systemClock, target, field(form, "note"), version);
      return null;
    }
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    return json({ ok: false, intent, target, message: data.message, fieldErrors: data.fieldErrors, values: { note: field(form, "note") } }, { status: r.response.status });
  }
  const t = tFor(request);
  const critical = intent === "verify" && (r.value as { critical?: boolean } | null)?.critical;
  const message = t(critical ? "pengawasan.verify.critical" : intent === "verify" ? "pengawasan.verified" : "pengawasan.returned");
  return json({ ok: true, intent, target, message, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

type Result = { ok: boolean; intent: string; target: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;

export default function SupervisedContractPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const c = d.contract;
  const failedReturn = (id: string) => !!result && !result.ok && result.intent === "return" && result.target === id;
  return (
    <div className="doc">
      <p className="breadcrumb">
        <Link to="/pengawasan">{t("pengawasan.back")}</Link> · {c.opd_name} · {c.fiscal_year}
      </p>
      <h1 data-testid="workspace-title">{t("pengawasan.kontrak.title", { number: c.number ?? "—" })}</h1>
      <p>
        {c.package_name} · {c.vendor_name} · {formatRupiah(c.value)} · {c.start_date} – {c.end_date}
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      {d.pending.length ? (
        <section className="card" data-testid="pending-reports">
          <h2>{t("kontrak.pending.title", { n: d.pending.length })}</h2>
          {d.pending.map((r) => (
            <PendingReport
              key={r.id}
              r={r}
              texts={d.reports.find((x) => x.id === r.id)}
              canAct
              returnFailed={failedReturn(r.id)}
              returnErrors={failedReturn(r.id) ? result!.fieldErrors : {}}
              returnValues={failedReturn(r.id) ? result!.values : {}}
            />
          ))}
        </section>
      ) : (
        <p className="muted" data-testid="none-waiting">
          {t("pengawasan.waiting.none")}
        </p>
      )}

      <section className="card" data-testid="progress">
        <h2>{t("kontrak.progress.title")}</h2>
        <p>
          {d.latest ? t("kontrak.progress.latest", { period: d.latest.period_no, actual: d.latest.physical, planned: d.latest.planned, deviation: d.latest.deviation }) : t("kontrak.progress.none")}{" "}
          <CriticalBadge verdict={d.verdict} />
        </p>
        <ReportedKurvaS series={d.series} reports={d.reports} hasPlan={d.hasPlan} />
      </section>

      <section className="card">
        <h2>{t("kontrak.photos.title")}</h2>
        <ProgressPhotos photos={d.photos} />
      </section>
    </div>
  );
}
