import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

/** Contract monitoring pieces shared by the contractor's and the PPK's pages (and the public ones). */

export interface SeriesPointView {
  no: number;
  start: string;
  end: string;
  planned: string;
  actual: string | null;
  deviation: string | null;
  status: string | null;
  reportId: string | null;
}

const TONE: Record<string, string> = { draft: "muted", submitted: "info", verified: "ok", returned: "bad" };

export function ReportStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge badge--${TONE[status] ?? "info"}`}>{t(`kontrak.reportStatus.${status}`)}</span>;
}

/** The planned S-curve and the actual progress as a small chart: periods on x, 0–100% on y. */
export function KurvaSChart({ series }: { series: SeriesPointView[] }) {
  const t = useT();
  if (series.length === 0) return null;
  const W = 320;
  const H = 160;
  const x = (i: number) => (series.length === 1 ? W : (i / (series.length - 1)) * (W - 20) + 10);
  const y = (v: string) => H - 10 - (Number(v) / 100) * (H - 20);
  const planned = series.map((p, i) => `${x(i)},${y(p.planned)}`).join(" ");
  const actual = series.filter((p) => p.actual !== null);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("kontrak.kurvaS.chart")} className="kurva-s" style={{ maxWidth: "100%", height: "auto" }}>
      <line x1="10" y1={y("0")} x2={W - 10} y2={y("0")} stroke="#999" strokeWidth="0.5" />
      <line x1="10" y1={y("100")} x2={W - 10} y2={y("100")} stroke="#ccc" strokeWidth="0.5" strokeDasharray="3 3" />
      <polyline points={planned} fill="none" stroke="#1f6feb" strokeWidth="2" />
      {actual.length ? (
        <polyline points={actual.map((p) => `${x(series.indexOf(p))},${y(p.actual!)}`).join(" ")} fill="none" stroke="#d1242f" strokeWidth="2" />
      ) : null}
      {actual.map((p) => (
        <circle key={p.no} cx={x(series.indexOf(p))} cy={y(p.actual!)} r="3" fill="#d1242f" />
      ))}
    </svg>
  );
}

/** Planned vs actual per period, with the deviation (negative: behind plan). */
export function KurvaSTable({ series }: { series: SeriesPointView[] }) {
  const t = useT();
  return (
    <div className="table-wrap">
      <table className="data" data-testid="kurva-s">
        <thead>
          <tr>
            <th>{t("kontrak.col.period")}</th>
            <th>{t("kontrak.col.dates")}</th>
            <th className="num">{t("kontrak.col.planned")}</th>
            <th className="num">{t("kontrak.col.actual")}</th>
            <th className="num">{t("kontrak.col.deviation")}</th>
            <th>{t("kontrak.col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.no}>
              <td>{p.no}</td>
              <td>
                {p.start} – {p.end}
              </td>
              <td className="num">{p.planned}%</td>
              <td className="num">{p.actual !== null ? `${p.actual}%` : "—"}</td>
              <td className="num">{p.deviation ?? "—"}</td>
              <td>{p.status ? <ReportStatusBadge status={p.status} /> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The kontrak kritis verdict of the latest verified report, and the open case's status. */
export function CriticalBadge({ verdict, caseStatus }: { verdict: { critical: boolean; reason: string | null; behind: string } | null; caseStatus?: string | null }) {
  const t = useT();
  if (!verdict) return <span className="badge badge--muted">{t("kontrak.critical.noReport")}</span>;
  return (
    <span className={`badge badge--${verdict.critical || caseStatus ? "bad" : "ok"}`} data-testid="critical-badge">
      {verdict.critical ? `${t(`kontrak.critical.reason.${verdict.reason}`)} · ${t("kontrak.critical.behind", { behind: verdict.behind })}` : t("kontrak.critical.onTrack")}
      {caseStatus ? ` · ${t(`kontrak.criticalStatus.${caseStatus}`)}` : ""}
    </span>
  );
}

export interface PhotoView {
  id: string;
  milestone: string;
  filename: string;
  lat: string | null;
  lng: string | null;
  taken_at: string | null;
  distance_m: number | null;
  far_from_site: boolean;
  before_start: boolean;
  period_no?: number;
}

/** Thumbnails with what their EXIF says: position, distance from the site, capture time, and the flags. */
export function ProgressPhotos({ photos }: { photos: PhotoView[] }) {
  const t = useT();
  const lang = useLang();
  if (!photos.length) return <p className="muted">{t("kontrak.photos.none")}</p>;
  return (
    <ul className="photo-grid" data-testid="progress-photos" style={{ display: "flex", flexWrap: "wrap", gap: "0.75rem", listStyle: "none", padding: 0 }}>
      {photos.map((p) => (
        <li key={p.id} style={{ width: 180 }}>
          <a href={`/monev/foto/${p.id}`}>
            <img src={`/monev/foto/${p.id}?kecil=1`} alt={p.filename} loading="lazy" width={180} />
          </a>
          <div className="muted">
            {p.period_no ? `${t("kontrak.col.period")} ${p.period_no} · ` : ""}
            {t(`kontrak.milestone.${p.milestone}`)}
          </div>
          <div className="muted">
            {p.lat && p.lng ? (
              <>
                {p.lat}, {p.lng}
                {p.distance_m !== null ? ` · ${t("kontrak.photos.distance", { m: p.distance_m })}` : ""}
              </>
            ) : (
              t("kontrak.photos.noGps")
            )}
          </div>
          <div className="muted">{p.taken_at ? formatDateTime(p.taken_at, lang) : t("kontrak.photos.noTime")}</div>
          {p.far_from_site ? <span className="badge badge--bad">{t("kontrak.photos.far")}</span> : null}{" "}
          {p.before_start ? <span className="badge badge--bad">{t("kontrak.photos.early")}</span> : null}
        </li>
      ))}
    </ul>
  );
}
