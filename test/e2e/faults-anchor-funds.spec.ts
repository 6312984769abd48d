/**
 * The anchoring account running dry on a Hardhat node: first a low-balance warning (threshold set
 * above the balance), then, drained with hardhat_setBalance, one clear error in the log, /readyz 200
 * "degraded" naming the reason and the balance, stalled anchoring noticed, ingest going on; funded
 * again, anchoring resumes by itself and everything ends up anchored exactly once.
 */
import { parseEther, toQuantity } from 'ethers';
import {
  apiGet,
  expectAllAnchored,
  type FaultFixture,
  ingestOrders,
  seedBrand,
  spawnServer,
  startFaultFixture,
  type ServerProcess,
  waitFor,
} from '../support/anchoring-fixture';

jest.setTimeout(240_000);

interface Readiness {
  status: string;
  reasons: string[];
  warnings: string[];
  anchoring: {
    leader: boolean;
    oldestUnanchoredMs: number | null;
    funds: { balance: string | null; balanceWei: string | null; outOfFunds: unknown; low: boolean } | null;
  };
}

describe('anchoring account out of funds', () => {
  let fixture: FaultFixture;
  let server: ServerProcess;
  let baseUrl: string;
  let key: string;

  beforeAll(async () => {
    fixture = await startFaultFixture({
      BATCH_MAX_EVENTS: '50',
      BATCH_MAX_WAIT_MS: '300',
      ANCHORING_STALLED_AFTER_MS: '2000',
      // Above the dev account's 10000 ETH: the warning shows from the first balance reading.
      ANCHOR_LOW_BALANCE: '20000',
    });
    server = spawnServer(fixture.env, 'funds');
    baseUrl = await server.baseUrl;
    key = await seedBrand(baseUrl);
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await fixture?.close();
  });

  const readiness = async (): Promise<{ status: number; body: Readiness }> => {
    const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Readiness };
  };

  const unanchored = async (): Promise<number> => {
    const [row] = await fixture.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq AND b.status = 'confirmed')`,
    );
    return row.n;
  };

  it('warns of a low balance before it runs out, and stays ready', async () => {
    await ingestOrders(baseUrl, key, 5, 4);
    await waitFor('first events anchored', async () => (await unanchored()) === 0, 60_000, 200);
    const line = await server.waitForLine(/anchoring account .* is running low/);
    const ready = await readiness();
    process.stdout.write(`low balance: ${JSON.stringify(ready.body.warnings)}\n`);
    expect(line).toMatch(/ANCHOR_LOW_BALANCE/);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.warnings).toEqual([expect.stringMatching(/below ANCHOR_LOW_BALANCE 20000\.0/)]);
    expect(ready.body.anchoring.funds).toMatchObject({ low: true, outOfFunds: null });
  });

  it('drained: one error, /readyz degraded with the reason and the balance, ingest goes on; funded: anchoring resumes', async () => {
    const anchorer = fixture.chain.wallets[1].address;
    await fixture.chain.provider.send('hardhat_setBalance', [anchorer, '0x0']);
    const drainedAt = server.lines.length;

    // Ingest keeps answering 201 while nothing can be anchored.
    await ingestOrders(baseUrl, key, 10, 6);
    const degraded = await waitFor(
      '/readyz degraded: out of funds and stalled',
      async () => {
        const r = await readiness();
        return r.body.status === 'degraded' && r.body.reasons.length >= 2 ? r : undefined;
      },
      60_000,
      200,
    );
    // More rounds of the loop meet the empty account: more batches sealed and waiting.
    await ingestOrders(baseUrl, key, 10, 6);
    await waitFor(
      'several batches sealed while the account is empty',
      async () => {
        const [row] = await fixture.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM batches WHERE status = 'sealed'`);
        return row.n >= 3;
      },
      60_000,
      200,
    );
    const pending = await unanchored();
    const logged = server.lines.slice(drainedAt);
    const outOfFunds = logged.filter((l) => /out of funds/.test(l));
    const retrySpam = logged.filter((l) => /broadcasting batch|anchoring round failed/.test(l));
    process.stdout.write(
      `drained ${anchorer}: /readyz ${degraded.status} ${JSON.stringify(degraded.body.reasons)}; ${pending} events waiting; ` +
        `${outOfFunds.length} out-of-funds log line(s), ${retrySpam.length} retry warnings\n`,
    );
    expect(degraded.status).toBe(200);
    expect(degraded.body.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/anchoring account is out of funds .*balance 0\.0, a transaction needs up to/),
        expect.stringMatching(/anchoring stalled: the oldest unanchored event has waited \d+ s/),
      ]),
    );
    expect(degraded.body.anchoring.funds).toMatchObject({ balance: '0.0', balanceWei: '0', outOfFunds: expect.any(Object) });
    expect(outOfFunds).toHaveLength(1);
    expect(outOfFunds[0]).toMatch(/"level":50|ERROR/);
    expect(retrySpam).toEqual([]);
    expect(pending).toBeGreaterThan(0);
    // Reads keep working too.
    expect((await apiGet(baseUrl, '/v1/orders?limit=1', key)).status).toBe(200);

    // A standby instance on the same database tells the same story: the leader stores what it saw.
    const standby = spawnServer(fixture.env, 'standby');
    try {
      const standbyUrl = await standby.baseUrl;
      const res = await fetch(`${standbyUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as Readiness;
      process.stdout.write(`standby /readyz ${res.status} ${body.status}: ${JSON.stringify(body.reasons)}\n`);
      expect(res.status).toBe(200);
      expect(body.anchoring.leader).toBe(false);
      expect(body.status).toBe('degraded');
      expect(body.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/anchoring account is out of funds .*balance 0\.0/)]));
      expect(body.anchoring.funds).toMatchObject({ balanceWei: '0', outOfFunds: expect.any(Object) });
    } finally {
      await standby.kill('SIGTERM');
    }

    await fixture.chain.provider.send('hardhat_setBalance', [anchorer, toQuantity(parseEther('10000'))]);
    await waitFor('everything anchored after funding', async () => (await unanchored()) === 0, 120_000, 200);
    await server.waitForLine(/funded again/);
    const recovered = await waitFor('/readyz ok again', async () => {
      const r = await readiness();
      return r.body.status === 'ok' ? r : undefined;
    });
    expect(recovered.body.reasons).toEqual([]);
    const summary = await expectAllAnchored(fixture.db, fixture.chain.provider, fixture.contract);
    process.stdout.write(
      `funded again: ${summary.events} events in ${summary.batches} batches anchored, contract lastSeq ${summary.lastSeq}\n`,
    );
    expect(summary.lastSeq).toBe(summary.batches);
  });
});
