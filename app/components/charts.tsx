/**
 * A horizontal bar chart drawn as SVG on the server: no chart library, no script, readable on a phone
 * (each row's label sits above its bars, the drawing scales to the width). The figures are always in a
 * table next to it (the chart is `role="img"` with a label; the table is what screen readers read).
 * Bar lengths are 0–100 (share of the axis), computed by the loader from exact amounts.
 */
import { html, type Html } from "~/components/html";

export interface ChartSeries {
  label: string;
  /** A CSS colour. */
  color: string;
}

export interface ChartRow {
  key: string;
  label: string;
  /** One bar length per series, 0–100. */
  lengths: number[];
  /** One text per series, shown at the end of its bar (e.g. "42,10%"). */
  texts: string[];
}

const W = 320;
const LABEL_H = 16;
const BAR_H = 11;
const GAP = 10;
const TEXT_W = 64;

export const CHART_COLORS = { green: "#0b7a5f", blue: "#2f6db5", amber: "#c98a00", red: "#c0392b", grey: "#8a949c" } as const;

const clamp = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : 0);

/**
 * The chart's SVG as one HTML string (components/html.ts): the dashboard draws five charts of up to 45
 * rows, some 2,000 SVG elements, and React's server rendering of them was most of the page's CPU.
 */
export function barChartSvg({ id, title, series, rows }: { id: string; title: string; series: ChartSeries[]; rows: ChartRow[] }): Html {
  const rowH = LABEL_H + series.length * (BAR_H + 2) + GAP;
  const legendH = series.length > 1 ? 20 : 0;
  const height = legendH + rows.length * rowH + 4;
  const span = W - TEXT_W;
  const legend =
    series.length > 1
      ? series.map(
          (s, i) =>
            html`<g transform="translate(${i * 140}, 2)"><rect width="12" height="12" fill="${s.color}" rx="2"></rect><text x="16" y="11" font-size="12" fill="#333">${s.label}</text></g>`,
        )
      : null;
  const bars = rows.map((r, ri) => {
    const label = r.label.length > 48 ? `${r.label.slice(0, 47)}…` : r.label;
    return html`<g transform="translate(0, ${legendH + ri * rowH})" data-row="${r.key}"><text x="0" y="12" font-size="12" fill="#222">${label}</text>${series.map((s, si) => {
      const y = LABEL_H + si * (BAR_H + 2);
      const len = (clamp(r.lengths[si] ?? 0) * span) / 100;
      return html`<g><rect x="0" y="${y}" width="${span}" height="${BAR_H}" fill="#eef2f0" rx="2"></rect><rect x="0" y="${y}" width="${len > 0 ? Math.max(len, 1.5) : 0}" height="${BAR_H}" fill="${s.color}" rx="2"></rect><text x="${span + 4}" y="${y + BAR_H - 1}" font-size="11" fill="#333">${r.texts[si] ?? ""}</text></g>`;
    })}</g>`;
  });
  return html`<svg viewBox="0 0 ${W} ${height}" width="100%" style="max-width:640px;display:block" role="img" aria-label="${title}" data-testid="${id}-svg" font-family="system-ui, sans-serif">${legend}${bars}</svg>`;
}

export function BarChart({ id, title, caption, series, rows }: { id: string; title: string; caption?: string; series: ChartSeries[]; rows: ChartRow[] }) {
  return (
    <figure className="chart" id={id} style={{ margin: "0 0 12px" }}>
      <div dangerouslySetInnerHTML={{ __html: barChartSvg({ id, title, series, rows }).html }} />
      {caption ? <figcaption className="muted">{caption}</figcaption> : null}
    </figure>
  );
}
