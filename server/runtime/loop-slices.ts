/** Background work lets the event loop serve what waits behind it: requests, database answers. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Slices of background work: `pause()` yields to the event loop once `sliceMs` have passed since the
 * last yield, so that a request waiting behind the work waits about that long, not for all of it.
 */
export class LoopSlices {
  private since = performance.now();

  constructor(private readonly sliceMs: number) {}

  async pause(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await yieldToLoop();
    this.since = performance.now();
  }
}
