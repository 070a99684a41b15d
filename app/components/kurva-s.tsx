import type { ReactNode } from "react";
/**
 * The kurva S of a contract drawn on the server: an SVG line chart (planned against actual cumulative
 * physical progress, 0–100% over the reporting periods) and the table behind it. No scripts; the chart
 * scales to the phone's width through its viewBox. Pure: the labels come in as props, so it renders the
 * same anywhere (and in tests).
 */

export interface KurvaSPoint {
  no: number;
  start: string;
  end: string;
  /** Planned cumulative progress at the end of the period, percent ("17.50"). */
  planned: string;
  /** Verified actual cumulative progress, or null when the period has no verified report. */
  actual: string | null;
  deviation: string | null;
  /** The period's report status, on the officers' and the contractor's pages (the public sees verified reports only). */
  status?: string | null;
}

export interface KurvaSLabels {
  title: string;
  planned: string;
  actual: string;
  period: string;
  dates: string;
  deviation: string;
}

/** The labels in the page's language (kontrakPublik.kurvaS.*): the components take them as data, to render the same anywhere. */
export function kurvaSLabels(t: (key: string) => string): KurvaSLabels {
  return {
    title: t("kontrakPublik.kurvaS.aria"),
    planned: t("kontrakPublik.kurvaS.planned"),
    actual: t("kontrakPublik.kurvaS.actual"),
    period: t("kontrakPublik.kurvaS.period"),
    dates: t("kontrakPublik.kurvaS.dates"),
    deviation: t("kontrakPublik.kurvaS.deviation"),
  };
}

const W = 640;
const H = 300;
const LEFT = 44;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 56;
const PLANNED = "#1f6feb";
const ACTUAL = "#d1242f";

const pct = (v: string) => Math.min(100, Math.max(0, Number(v)));
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Percent as read in the page's language ("17,50%" in Indonesian). */
export function percentText(v: string, lang: "id" | "en" = "id"): string {
  return `${lang === "id" ? v.replace(".", ",") : v}%`;
}

/** The chart: x = periods (0 = the contract's start), y = 0–100%; the actual line joins the verified periods. */
export function KurvaSChart({ series, labels }: { series: readonly KurvaSPoint[]; labels: KurvaSLabels }) {
  if (series.length === 0) return null;
  const n = series.length;
  const x = (i: number) => r1(LEFT + (i / n) * (W - LEFT - RIGHT));
  const y = (v: number) => r1(TOP + (1 - v / 100) * (H - TOP - BOTTOM));
  const planned = [`${x(0)},${y(0)}`, ...series.map((p) => `${x(p.no)},${y(pct(p.planned))}`)].join(" ");
  const actual = series.filter((p) => p.actual !== null);
  const actualLine = [`${x(0)},${y(0)}`, ...actual.map((p) => `${x(p.no)},${y(pct(p.actual!))}`)].join(" ");
  // At most about twelve period labels on the x axis.
  const every = Math.max(1, Math.ceil(n / 12));
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby="kurva-s-title"
      data-testid="kurva-s-chart"
      style={{ width: "100%", maxWidth: W, height: "auto", display: "block" }}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="kurva-s-title">{labels.title}</title>
      {[0, 25, 50, 75, 100].map((v) => (
        <g key={v}>
          <line x1={LEFT} y1={y(v)} x2={W - RIGHT} y2={y(v)} stroke={v === 0 ? "#888" : "#ddd"} strokeWidth="1" />
          <text x={LEFT - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#555">
            {v}%
          </text>
        </g>
      ))}
      <line x1={LEFT} y1={y(0)} x2={LEFT} y2={y(100)} stroke="#888" strokeWidth="1" />
      {series.map((p) =>
        p.no % every === 0 || p.no === 1 || p.no === n ? (
          <text key={p.no} x={x(p.no)} y={y(0) + 16} textAnchor="middle" fontSize="11" fill="#555">
            {p.no}
          </text>
        ) : null,
      )}
      <text x={(LEFT + W - RIGHT) / 2} y={y(0) + 32} textAnchor="middle" fontSize="11" fill="#555">
        {labels.period}
      </text>
      <polyline data-series="planned" points={planned} fill="none" stroke={PLANNED} strokeWidth="2.5" strokeDasharray="6 4" />
      {actual.length ? <polyline data-series="actual" points={actualLine} fill="none" stroke={ACTUAL} strokeWidth="2.5" /> : null}
      {actual.map((p) => (
        <circle key={p.no} data-period={p.no} cx={x(p.no)} cy={y(pct(p.actual!))} r="4" fill={ACTUAL}>
          <title>{`${labels.period} ${p.no}: ${labels.actual} ${p.actual}% · ${labels.planned} ${p.planned}%`}</title>
        </circle>
      ))}
      <g fontSize="12">
        <line x1={LEFT} y1={H - 10} x2={LEFT + 24} y2={H - 10} stroke={PLANNED} strokeWidth="2.5" strokeDasharray="6 4" />
        <text x={LEFT + 30} y={H - 6} fill="#222">
          {labels.planned}
        </text>
        <line x1={LEFT + 200} y1={H - 10} x2={LEFT + 224} y2={H - 10} stroke={ACTUAL} strokeWidth="2.5" />
        <text x={LEFT + 230} y={H - 6} fill="#222">
          {labels.actual}
        </text>
      </g>
    </svg>
  );
}

/** The numbers behind the chart: planned, actual and deviation per period (negative: behind the plan). */
export function KurvaSTable({
  series,
  labels,
  lang = "id",
  status,
}: {
  series: readonly KurvaSPoint[];
  labels: KurvaSLabels;
  lang?: "id" | "en";
  /** A column with each period's report status (its heading and cell), for the pages that show every report. */
  status?: { heading: string; cell: (p: KurvaSPoint) => ReactNode };
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="kurva-s-table">
        <thead>
          <tr>
            <th>{labels.period}</th>
            <th>{labels.dates}</th>
            <th className="num">{labels.planned}</th>
            <th className="num">{labels.actual}</th>
            <th className="num">{labels.deviation}</th>
            {status ? <th>{status.heading}</th> : null}
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.no} data-period={p.no}>
              <td>{p.no}</td>
              <td>
                {p.start} – {p.end}
              </td>
              <td className="num">{percentText(p.planned, lang)}</td>
              <td className="num">{p.actual !== null ? percentText(p.actual, lang) : "–"}</td>
              <td className="num">{p.deviation !== null ? (lang === "id" ? p.deviation.replace(".", ",") : p.deviation) : "–"}</td>
              {status ? <td>{status.cell(p)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
