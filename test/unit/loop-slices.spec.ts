/**
 * Background work in slices: what waits on the event loop runs between them, not after all of them.
 * The clock is the test's own, so that a loaded machine cannot move where a slice ends.
 */
import { LoopSlices } from '../../server/runtime/loop-slices';

afterEach(() => jest.restoreAllMocks());

describe('LoopSlices', () => {
  it('yields to the loop each time a slice has used its time, and not before', async () => {
    let now = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const slices = new LoopSlices(5);
    // A callback waiting on the loop notes the step of the work at which it got to run, then waits again.
    const ranAtSteps: number[] = [];
    let step = 0;
    let working = true;
    const waitOnLoop = (): void => {
      setImmediate(() => {
        if (!working) return;
        ranAtSteps.push(step);
        waitOnLoop();
      });
    };
    waitOnLoop();
    // Steps of 1 ms: every fifth step's pause ends a slice of 5 ms.
    for (; step < 20; step++) {
      now += 1;
      await slices.pause();
    }
    working = false;
    expect(ranAtSteps).toEqual([4, 9, 14, 19]);
  });
});
