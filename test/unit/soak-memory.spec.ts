/** The soak's memory judgement: one swinging sample is not growth, a steady climb is. */
import { memoryEnds } from '../../scripts/soak/memory';
import { median, percentile } from '../../scripts/stats';

const MB = 1024 * 1024;
const series = (rssMb: number[], heapMb = 70) => rssMb.map((r, i) => ({ atMs: i * 10_000, rss: r * MB, heapUsed: heapMb * MB }));
const growth = (rssMb: number[]): number => {
  const { first, last } = memoryEnds(series(rssMb));
  return last.rss / first.rss - 1;
};

describe('soak memory ends', () => {
  it('a low first sample or a high last one alone does not read as growth', () => {
    // The allocator's timing moves single samples by tens of MB either way.
    expect(growth([282, 312, 309, 305, 311, 299, 308, 314, 306, 304, 314])).toBeLessThan(0.05);
    expect(growth([369, 306, 301, 308, 303, 300, 305, 302, 304, 306, 304])).toBeLessThan(0.05);
  });

  it('memory that keeps climbing reads as growth', () => {
    const climbing = Array.from({ length: 11 }, (_, i) => 280 + i * 6);
    expect(growth(climbing)).toBeGreaterThan(0.1);
  });

  it('judges the heap the same way, and takes one sample at each end when there are few', () => {
    const { first, last } = memoryEnds([
      { atMs: 0, rss: 300 * MB, heapUsed: 60 * MB },
      { atMs: 10_000, rss: 330 * MB, heapUsed: 75 * MB },
    ]);
    expect(first).toEqual({ rss: 300 * MB, heapUsed: 60 * MB });
    expect(last).toEqual({ rss: 330 * MB, heapUsed: 75 * MB });
    expect(() => memoryEnds([])).toThrow('no memory sample');
  });
});

describe('order statistics', () => {
  it('percentile reads sorted values, median sorts them itself', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(percentile([], 50)).toBeNaN();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3);
  });
});
