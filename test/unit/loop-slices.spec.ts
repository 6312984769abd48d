/** Background work in slices: what waits on the event loop runs between them, not after all of them. */
import { LoopSlices } from '../../server/runtime/loop-slices';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('LoopSlices', () => {
  it('lets a waiting callback run once a slice has used its time, and not before', async () => {
    const slices = new LoopSlices(5);
    let ranAfterStep = -1;
    setImmediate(() => (ranAfterStep = step));
    let step = 0;
    // Steps shorter than a slice: the first pauses return without yielding.
    for (; step < 3; step++) await slices.pause();
    expect(ranAfterStep).toBe(-1);
    for (; step < 20; step++) {
      busy(1);
      await slices.pause();
    }
    expect(ranAfterStep).toBeGreaterThan(3);
    expect(ranAfterStep).toBeLessThan(20);
  });
});
