/**
 * kill -9 while group commits are in flight: the server (a child process on real PostgreSQL and a
 * Hardhat node) is SIGKILLed at random moments under a load of orders, events and bulk requests,
 * then started again. Afterwards every acknowledged event is stored as acknowledged, every stored
 * event is valid and anchored, and no batch is anchored twice.
 */
import { randomInt } from 'node:crypto';
import {
  expectAllAnchored,
  type FaultFixture,
  seedBrand,
  spawnServer,
  startFaultFixture,
  type ServerProcess,
  waitFor,
  waitUntilClosed,
} from '../support/anchoring-fixture';
import { driveLoad, durabilityReport, newTally, retryUnansweredBulks, waitEverythingAnchored } from '../support/kill-under-load';

jest.setTimeout(300_000);

const ROUNDS = 3;

describe('kill -9 under load', () => {
  let fixture: FaultFixture;
  const servers: ServerProcess[] = [];

  const start = (label: string): ServerProcess => {
    const server = spawnServer(fixture.env, label);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    // Two HTTP workers: killing the primary must take its workers along without losing an acknowledged write.
    fixture = await startFaultFixture({ BATCH_MAX_EVENTS: '200', BATCH_MAX_WAIT_MS: '300', LOG_LEVEL: 'warn', HTTP_WORKERS: '2' });
  });

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    await fixture?.close();
  });

  it('stores every acknowledged event and anchors everything exactly once', async () => {
    const first = start('setup');
    const key = await seedBrand(await first.baseUrl);
    await first.kill('SIGTERM');

    const tally = newTally();
    for (let round = 1; round <= ROUNDS; round++) {
      const server = start(`round-${round}`);
      const baseUrl = await server.baseUrl;
      await server.waitForLine(/2 HTTP workers/);
      let dead = false;
      // Killed at a random moment once the round's load is in full swing.
      const killAfter = randomInt(300, 2_000);
      const ackedBefore = tally.acknowledged.size;
      const killer = waitFor('load under way', async () => tally.acknowledged.size >= ackedBefore + 200, 60_000, 20).then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              void server.kill('SIGKILL').then(() => {
                dead = true;
                resolve();
              });
            }, killAfter),
          ),
      );
      await Promise.all([
        driveLoad(baseUrl, key, tally, { workers: 16, maxRequests: 20_000 * round, stop: () => dead, tag: `r${round}` }),
        killer,
      ]);
      expect((await server.exited).signal).toBe('SIGKILL');
      // The workers leave with their primary: nothing answers on the port any more.
      await waitUntilClosed(baseUrl, 'the workers gone');
      process.stdout.write(
        `round ${round}: killed ${killAfter} ms into full load; ${tally.acknowledged.size} events acknowledged so far\n`,
      );
    }

    const last = start('final');
    const finalUrl = await last.baseUrl;
    // Bulk requests cut off by a kill are retried with their keys: each is answered, none applied twice.
    await retryUnansweredBulks(finalUrl, key, tally);
    await waitEverythingAnchored(fixture.db);
    const report = await durabilityReport(fixture.db, tally, fixture.chain.provider, fixture.contract);
    const statuses = [...tally.statuses].map(([s, n]) => `${s === 0 ? 'no answer' : s}×${n}`).join(', ');
    process.stdout.write(
      `kill -9 under load, ${ROUNDS} rounds: ${tally.requests} requests (${statuses}); acknowledged ${report.acknowledged}, ` +
        `stored ${report.stored}, anchored ${report.anchored}, lost ${report.lost}, changed ${report.changed}, ` +
        `broken chains ${report.brokenChains}, double-anchored ${report.doubleAnchored}; ${tally.unansweredBulks.length} cut-off bulk ` +
        `requests retried with their keys, items stored twice ${report.appendedTwice}\n`,
    );
    expect(report.acknowledged).toBeGreaterThan(100);
    expect(report.lost).toBe(0);
    expect(report.changed).toBe(0);
    expect(report.brokenChains).toBe(0);
    expect(report.doubleAnchored).toBe(0);
    expect(report.appendedTwice).toBe(0);
    expect(report.anchored).toBe(report.stored);
    expect(report.stored).toBeGreaterThanOrEqual(report.acknowledged);
    // Bulk requests were among the acknowledged writes, and no 5xx other than the 503s of a server going away.
    expect(tally.statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...tally.statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const summary = await expectAllAnchored(fixture.db, fixture.chain.provider, fixture.contract);
    expect(summary.lastSeq).toBe(summary.batches);
    await last.kill('SIGTERM');
  });
});
