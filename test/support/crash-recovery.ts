/**
 * Crash safety, shared by the faults-crash*.spec.ts files (split so that each runs in about a minute):
 * the server (a child process) kills itself with SIGKILL at a crash point; started again, it ends with
 * every event anchored exactly once (lastSeq == batches, no gaps, roots equal, one Anchored log per seq).
 */
import { ANCHORED_TOPIC } from '../../proof/chain-reader';
import type { CrashPoint } from '../../server/anchoring/crash-points';
import {
  expectAllAnchored,
  type FaultFixture,
  ingestOrders,
  seedBrand,
  spawnServer,
  startFaultFixture,
  type ServerProcess,
  waitFor,
} from './anchoring-fixture';
import type { TestChain } from './chain';
import { everythingAnchored, type TestDatabase } from './database';

export function describeCrashRecovery(points: CrashPoint[]): void {
  describe(`crash safety of sealing and anchoring (${points.join(', ')})`, () => {
    let fixture: FaultFixture | undefined;
    let chain: TestChain;
    let db: TestDatabase;
    let contract: string;
    let env: Record<string, string>;
    let apiKey: string;
    const servers: ServerProcess[] = [];

    const start = (extra: Record<string, string> = {}, label = 'server'): ServerProcess => {
      const server = spawnServer({ ...env, ...extra }, label);
      servers.push(server);
      return server;
    };

    const allAnchored = (): Promise<boolean> => everythingAnchored(db);

    /** Every seq anchored by exactly one Anchored log of the contract. */
    const expectAnchoredOnce = async (batches: number): Promise<void> => {
      const logs = await chain.provider.getLogs({ address: contract, topics: [ANCHORED_TOPIC], fromBlock: 0, toBlock: 'latest' });
      const seqs = logs.map((l) => Number(BigInt(l.topics[1])));
      expect(seqs).toEqual(Array.from({ length: batches }, (_, i) => i + 1));
    };

    beforeAll(async () => {
      fixture = await startFaultFixture({ CHAIN_CONFIRMATIONS: '3', BATCH_MAX_WAIT_MS: '200', BATCH_MAX_EVENTS: '50' });
      ({ chain, db, contract, env } = fixture);
      const first = start({}, 'setup');
      apiKey = await seedBrand(await first.baseUrl);
      await first.kill('SIGTERM');
    });

    afterAll(async () => {
      for (const s of servers) await s.kill('SIGKILL');
      await fixture?.close();
    });

    it.each(points)('loses nothing and anchors nothing twice when killed right after %s', async (point) => {
      const crashing = start({ ORDERTRACE_FAULT_AFTER: point }, `crash-${point}`);
      const baseUrl = await crashing.baseUrl;
      // Ingest until the process kills itself (it may die in the middle of a request).
      await ingestOrders(baseUrl, apiKey, 3, 10, 3).catch(() => undefined);
      const exit = await Promise.race([crashing.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000).unref())]);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(crashing.lines.some((l) => l.includes(`ORDERTRACE_FAULT_AFTER=${point}`))).toBe(true);

      const restarted = start({}, `after-${point}`);
      await restarted.baseUrl;
      await waitFor('every event anchored after the restart', allAnchored, 60_000, 200);
      const summary = await expectAllAnchored(db, chain.provider, contract);
      await expectAnchoredOnce(summary.batches);
      expect(summary.lastSeq).toBe(summary.batches);
      await restarted.kill('SIGTERM');
    });
  });
}
