/**
 * One line of `npm run bench`: our figure, the baseline measured in the same run on the same
 * machine, their ratio, and the target it is held to. Machines are noisy, so targets are read
 * from ratios wherever a same-run baseline exists.
 */
export type Better = 'higher' | 'lower';

export interface BenchFigure {
  /** What was measured, e.g. "raw pg, 1 transaction per event, 50 in flight". */
  name: string;
  value: number;
  unit: string;
}

export interface BenchTarget {
  /** The target as people read it, e.g. "≥ 5,000 events/s and ≥ 1.0× raw pg". */
  text: string;
  pass: boolean;
}

export interface BenchRow {
  /** Which group of the run the row belongs to (proof, http, ingest, sealing, cli, …). */
  group: string;
  name: string;
  value: number;
  unit: string;
  better: Better;
  baseline?: BenchFigure;
  /** How many times better than the baseline: ours/baseline when higher is better, baseline/ours when lower is. */
  ratio?: number;
  target?: BenchTarget;
  /** Anything a reader needs besides the figure: latency percentiles, error counts, sizes. */
  note?: string;
}

/** The ratio of a row, oriented so that > 1 means better than the baseline. */
export function ratioOf(value: number, baseline: number, better: Better): number {
  if (value <= 0 || baseline <= 0) return 0;
  return better === 'higher' ? value / baseline : baseline / value;
}

/** Builds a row, computing its ratio from the baseline when one is given. */
export function benchRow(row: Omit<BenchRow, 'ratio'>): BenchRow {
  return row.baseline === undefined ? row : { ...row, ratio: ratioOf(row.value, row.baseline.value, row.better) };
}

/** Target helpers: a bound on the figure itself, a bound on the ratio, or both. */
export function atLeast(value: number, bound: number, text: string): BenchTarget {
  return { text, pass: value >= bound };
}

export function atMost(value: number, bound: number, text: string): BenchTarget {
  return { text, pass: value <= bound };
}

export function allOf(...targets: BenchTarget[]): BenchTarget {
  return { text: targets.map((t) => t.text).join(' and '), pass: targets.every((t) => t.pass) };
}
