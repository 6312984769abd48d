/**
 * Bar charts drawn with uPlot (small, canvas, no dependencies). Each chart sits beside a table of
 * the same figures, which screen readers and tests read; the canvas is a picture of it.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const BAR_COLOUR = '#1d4ed8';

export interface BarChart {
  destroy(): void;
}

/**
 * Bars over categories (days, funnel stages): x is the category's index, labelled by `labels`.
 * Sized to its container's width.
 */
export function barChart(el: HTMLElement, labels: readonly string[], values: readonly number[], seriesLabel: string): BarChart {
  const width = Math.max(280, Math.floor(el.getBoundingClientRect().width) || 600);
  const xs = labels.map((_, i) => i);
  const opts: uPlot.Options = {
    width,
    height: 220,
    legend: { show: false },
    cursor: { show: true, drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(labels.length, 1) - 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
    },
    axes: [
      {
        // One label per category, thinned out when they would overlap.
        splits: () => xs.filter((i) => i % Math.max(1, Math.ceil(labels.length / Math.floor(width / 70))) === 0),
        values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
        gap: 4,
      },
      { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
    ],
    series: [
      {},
      {
        label: seriesLabel,
        fill: BAR_COLOUR,
        stroke: BAR_COLOUR,
        width: 0,
        paths: uPlot.paths.bars!({ size: [0.7, 60] }),
        points: { show: false },
      },
    ],
  };
  const plot = new uPlot(opts, [xs, [...values]], el);
  return { destroy: () => plot.destroy() };
}
