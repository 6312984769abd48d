/**
 * Time sanity (proof spec §6): each anchored event's `recorded` time against the time of the block
 * that anchors it, as read from the chain. Warnings only: the verdict never changes.
 */
import { BLOCK_TIME_TOLERANCE_SECONDS, DEFAULT_MAX_ANCHOR_DELAY_SECONDS, timeWarningOf, verifyBundle } from '../../proof';
import { buildBundleView } from '../../view/bundle-view';
import { buildTestBundle } from '../support/proof-bundle';

/** Three events: 1–2 anchored in batch 1 (block 1), 3 in batch 2 (block 2). */
function order() {
  return buildTestBundle({ events: [{ type: 'created' }, { type: 'paid' }, { type: 'packed' }], batches: [[0, 1], [2]] });
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('time sanity', () => {
  it('warns about nothing when blocks follow recording within the allowed delay', async () => {
    const { bundle, chain } = order();
    const result = await verifyBundle(bundle, chain);
    expect(result).toMatchObject({ verdict: 'verified', timeWarnings: [], maxAnchorDelaySeconds: DEFAULT_MAX_ANCHOR_DELAY_SECONDS });
  });

  it('warns about an event recorded after its anchoring block beyond the tolerance, and keeps the verdict', async () => {
    const { bundle, chain } = order();
    // Block 1 is stamped just over the tolerance before event 2 was recorded; event 1 was recorded a minute earlier, well before.
    const recorded2 = seconds(bundle.events[1].record.recorded);
    chain.blockTimes.set(1, Math.floor(recorded2) - BLOCK_TIME_TOLERANCE_SECONDS - 1);
    const result = await verifyBundle(bundle, chain);
    expect(result.verdict).toBe('verified');
    expect(result.timeWarnings).toEqual([
      expect.objectContaining({
        index: 1,
        seq: 2,
        code: 'RECORDED_AFTER_BLOCK',
        blockNumber: 1,
        delaySeconds: -(BLOCK_TIME_TOLERANCE_SECONDS + 1),
      }),
    ]);
    expect(result.timeWarnings[0].message).toContain(`${BLOCK_TIME_TOLERANCE_SECONDS + 1} s after block 1`);
    expect(result.events.map((e) => e.status)).toEqual(['verified', 'verified', 'verified']);
  });

  it('tolerates a block stamped up to the tolerance before recording (coarse, rounded block times)', async () => {
    const { bundle, chain } = order();
    chain.blockTimes.set(1, seconds(bundle.events[1].record.recorded) - BLOCK_TIME_TOLERANCE_SECONDS);
    expect((await verifyBundle(bundle, chain)).timeWarnings).toEqual([]);
    // Hardhat writes floor(now): a block a fraction of a second before the recorded millisecond.
    chain.blockTimes.set(1, Math.floor(seconds(bundle.events[1].record.recorded)));
    expect((await verifyBundle(bundle, chain)).timeWarnings).toEqual([]);
  });

  it('warns about an anchor later than the allowed delay, which a verifier may set', async () => {
    const { bundle, chain } = order();
    const recorded3 = seconds(bundle.events[2].record.recorded);
    chain.blockTimes.set(2, recorded3 + DEFAULT_MAX_ANCHOR_DELAY_SECONDS + 1);
    const result = await verifyBundle(bundle, chain);
    expect(result.verdict).toBe('verified');
    expect(result.timeWarnings).toEqual([
      expect.objectContaining({
        index: 2,
        seq: 3,
        code: 'LATE_ANCHOR',
        blockNumber: 2,
        delaySeconds: DEFAULT_MAX_ANCHOR_DELAY_SECONDS + 1,
      }),
    ]);
    // Exactly the allowed delay is fine; a larger allowance silences it; a smaller one flags batch 1 too.
    chain.blockTimes.set(2, recorded3 + DEFAULT_MAX_ANCHOR_DELAY_SECONDS);
    expect((await verifyBundle(bundle, chain)).timeWarnings).toEqual([]);
    chain.blockTimes.set(2, recorded3 + DEFAULT_MAX_ANCHOR_DELAY_SECONDS + 1);
    expect((await verifyBundle(bundle, chain, { maxAnchorDelaySeconds: 2 * 86_400 })).timeWarnings).toEqual([]);
    const strict = await verifyBundle(bundle, chain, { maxAnchorDelaySeconds: 60 });
    expect(strict.maxAnchorDelaySeconds).toBe(60);
    expect(strict.timeWarnings.map((w) => [w.seq, w.code])).toEqual([
      [1, 'LATE_ANCHOR'],
      [2, 'LATE_ANCHOR'],
      [3, 'LATE_ANCHOR'],
    ]);
  });

  it('takes the block time from the chain, never from the bundle, and checks no event that failed', async () => {
    const { bundle, chain } = order();
    chain.blockTimes.set(1, 0);
    // The bundle cannot talk the warning away: it has no block time to state, and its block number is not believed.
    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.events[0].anchor.blockNumber = 2;
    const result = await verifyBundle(tampered, chain);
    expect(result.timeWarnings.map((w) => [w.seq, w.code, w.blockNumber])).toEqual([
      [1, 'RECORDED_AFTER_BLOCK', 1],
      [2, 'RECORDED_AFTER_BLOCK', 1],
    ]);
    tampered.events[0].record.data = { forged: true };
    const invalid = await verifyBundle(tampered, chain);
    expect(invalid.verdict).toBe('invalid');
    // Event 1 fails step 2 and is not time-checked; event 2 still chains to its stated leaf.
    expect(invalid.timeWarnings.map((w) => w.seq)).toEqual([2]);
  });

  it('is shown once in the view: per event and as a warning listing the events', async () => {
    const { bundle, chain } = order();
    chain.blockTimes.set(1, 0);
    chain.blockTimes.set(2, seconds(bundle.events[2].record.recorded) + 3 * 86_400);
    const view = buildBundleView(bundle, await verifyBundle(bundle, chain));
    expect(view.verdict.kind).toBe('verified');
    expect(view.warnings).toEqual([
      { code: 'recorded-after-block', seqs: [1, 2], toleranceSeconds: BLOCK_TIME_TOLERANCE_SECONDS },
      { code: 'late-anchor', seqs: [3], maxDelaySeconds: DEFAULT_MAX_ANCHOR_DELAY_SECONDS },
    ]);
    expect(view.events[0].timeWarning).toMatchObject({
      code: 'RECORDED_AFTER_BLOCK',
      blockNumber: 1,
      blockTime: '1970-01-01T00:00:00.000Z',
    });
    expect(view.events[2].timeWarning).toMatchObject({ code: 'LATE_ANCHOR', delaySeconds: 3 * 86_400 });
  });

  it('timeWarningOf ignores a time it cannot read', () => {
    expect(timeWarningOf({ index: 0, seq: 1 }, 'not a time', 1, 0, 60)).toBeNull();
  });

  it('refuses an allowed delay that is not a number of seconds', async () => {
    const { bundle, chain } = order();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(verifyBundle(bundle, chain, { maxAnchorDelaySeconds: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
