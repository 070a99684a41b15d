import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

/** Contract monitoring pieces shared by the contractor's and the PPK's pages (and the public ones). */


const TONE: Record<string, string> = { draft: "muted", submitted: "info", verified: "ok", returned: "bad" };

export function ReportStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge badge--${TONE[status] ?? "info"}`}>{t(`kontrak.reportStatus.${status}`)}</span>;
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
