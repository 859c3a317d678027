/**
 * Charts with uPlot (bundled; canvas drawing, no HTML strings, styles set through the CSSOM, so the strict CSP holds).
 * Every chart is a figure with a caption and an accessible name; the exact values are in the table next to it.
 * Withheld figures are gaps (null), never bars of height zero.
 */
import uPlot from 'uplot';
import { h } from './dom.js';

const PALETTE = ['#2f6690', '#d1495b', '#66a182', '#edae49', '#7a5195'];

function figureOf(title: string, description: string, testId: string): { fig: HTMLElement; plot: HTMLElement } {
  const plot = h('div', { class: 'chart', attrs: { role: 'img', 'aria-label': `${title}. ${description}`, 'data-testid': testId } });
  return { fig: h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), plot), plot };
}

function width(): number {
  const main = document.getElementById('main');
  return Math.max(320, Math.min(720, (main?.clientWidth ?? 800) - 48));
}

/** A series of a bar chart. */
export interface BarSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/**
 * A bar chart over categories, one colour per series.
 * @param title - caption
 * @param description - what it shows (for screen readers)
 * @param labels - category labels
 * @param series - the series
 * @param opts - y-axis label, a reference line (e.g. 100 % of capacity), test id
 */
export function barChart(
  title: string,
  description: string,
  labels: readonly string[],
  series: readonly BarSeries[],
  opts: { readonly yLabel: string; readonly reference?: number; readonly testId: string },
): HTMLElement {
  const { fig, plot } = figureOf(title, description, opts.testId);
  const xs = labels.map((_, i) => i);
  // Label every step-th category so labels never overlap (about 16 fit the width).
  const step = Math.max(1, Math.ceil(labels.length / 16));
  const bars = uPlot.paths.bars!({ size: [0.7 / Math.max(1, series.length), 64], align: series.length > 1 ? 0 : 1 });
  const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values.map((v) => v))];
  const ref = opts.reference;
  const o: uPlot.Options = {
    width: width(),
    height: 240,
    legend: { show: series.length > 1 },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(max, ref ?? 0) * 1.1 || 1] } },
    axes: [
      { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v % step === 0 ? (labels[v] ?? '') : '')), splits: () => xs, gap: 4 },
      { label: opts.yLabel, size: 56 },
    ],
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.label,
        fill: PALETTE[i % PALETTE.length]!,
        stroke: PALETTE[i % PALETTE.length]!,
        paths: bars,
        points: { show: false },
      })),
    ],
    ...(ref === undefined
      ? {}
      : {
          hooks: {
            draw: [
              (u: uPlot) => {
                const y = u.valToPos(ref, 'y', true);
                u.ctx.save();
                u.ctx.strokeStyle = '#222';
                u.ctx.setLineDash([6, 4]);
                u.ctx.beginPath();
                u.ctx.moveTo(u.bbox.left, y);
                u.ctx.lineTo(u.bbox.left + u.bbox.width, y);
                u.ctx.stroke();
                u.ctx.restore();
              },
            ],
          },
        }),
  };
  requestAnimationFrame(() => new uPlot(o, data, plot));
  return fig;
}

/**
 * A scatter of points against the line y = x (predicted against actual).
 * @param title - caption
 * @param description - what it shows
 * @param points - [x, y] pairs
 * @param opts - axis labels and test id; `connect` joins the points (binned means)
 */
export function scatterChart(
  title: string,
  description: string,
  points: readonly (readonly [number, number | null])[],
  opts: { readonly xLabel: string; readonly yLabel: string; readonly testId: string },
): HTMLElement {
  const { fig, plot } = figureOf(title, description, opts.testId);
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const xs = sorted.map((p) => p[0]);
  const max = Math.max(1, ...sorted.flatMap((p) => [p[0], p[1] ?? 0])) + 1;
  const o: uPlot.Options = {
    width: width(),
    height: 280,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: [0, max] }, y: { range: [0, max] } },
    axes: [{ label: opts.xLabel }, { label: opts.yLabel, size: 56 }],
    series: [
      {},
      { label: 'patients', stroke: PALETTE[0]!, paths: () => null, points: { show: true, size: 7, fill: PALETTE[0]!, stroke: PALETTE[0]! } },
      { label: 'predicted = actual', stroke: '#888', dash: [6, 4], points: { show: false }, spanGaps: true },
    ],
  };
  const data: uPlot.AlignedData = [xs, sorted.map((p) => p[1]), xs.map((x) => x)];
  requestAnimationFrame(() => new uPlot(o, data, plot));
  return fig;
}
