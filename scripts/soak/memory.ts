/** The soak's memory judgement, apart from the run so that it can be tested on its own. */
import { median } from '../stats';

export interface MemorySample {
  atMs: number;
  rss: number;
  heapUsed: number;
}

/**
 * The memory at each end of the sampled stretch: the medians of its first and last thirds (one
 * sample each when there are fewer than three).
 */
export function memoryEnds(samples: readonly MemorySample[]): { first: Omit<MemorySample, 'atMs'>; last: Omit<MemorySample, 'atMs'> } {
  if (samples.length === 0) throw new Error('no memory sample');
  const third = Math.max(1, Math.floor(samples.length / 3));
  const ends = (part: readonly MemorySample[]) => ({ rss: median(part.map((s) => s.rss)), heapUsed: median(part.map((s) => s.heapUsed)) });
  return { first: ends(samples.slice(0, third)), last: ends(samples.slice(-third)) };
}
