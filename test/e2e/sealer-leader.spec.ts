/**
 * Two server instances on one PostgreSQL database: only the holder of the anchoring advisory lock
 * seals and anchors; the other serves the API and takes over when the leader dies.
 */
import { ANCHORING_LOCK_KEY } from '../../server/anchoring/anchoring-leader-lock';
import {
  expectAllAnchored,
  ingestOrders,
  seedBrand,
  serverEnv,
  spawnServer,
  type ServerProcess,
  tempDataDir,
  waitFor,
} from '../support/anchoring-fixture';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';
import { createTestDatabase, everythingAnchored, type TestDatabase } from '../support/database';

jest.setTimeout(180_000);

describe('one sealer among several instances', () => {
  let chain: TestChain;
  let db: TestDatabase;
  let dirs: { dir: string; remove(): void }[];
  let contract: string;
  let env: (dataDir: string) => Record<string, string>;
  const servers: ServerProcess[] = [];

  const allAnchored = (): Promise<boolean> => everythingAnchored(db);

  /** Backend pids holding the anchoring lock, from pg_locks (a bigint key is split into classid/objid). */
  const lockHolders = async (): Promise<number[]> => {
    const key = BigInt(ANCHORING_LOCK_KEY);
    const rows = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [Number(key >> 32n), Number(key & 0xffffffffn)],
    );
    return rows.map((r) => r.pid);
  };

  const leaderBackendPid = (server: ServerProcess): number | null => {
    const line = server.lines.find((l) => l.includes('anchoring leadership acquired'));
    const m = line === undefined ? null : /database backend (\d+)/.exec(line);
    return m === null ? null : Number(m[1]);
  };

  beforeAll(async () => {
    chain = await startTestChain();
    const anchorer = chain.wallets[1];
    contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
    db = await createTestDatabase();
    dirs = [tempDataDir(), tempDataDir()];
    env = (dataDir) =>
      serverEnv({
        databaseUrl: db.url,
        rpcUrl: chain.rpcUrl,
        contract,
        privateKey: (anchorer as unknown as { privateKey: string }).privateKey,
        dataDir,
      });
  });

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    await chain?.stop();
    await db?.drop();
    for (const d of dirs ?? []) d.remove();
  });

  it('lets exactly one instance seal and anchor, and a standby take over when it dies', async () => {
    const a = spawnServer(env(dirs[0].dir), 'A');
    servers.push(a);
    const urlA = await a.baseUrl;
    await a.waitForLine(/anchoring leadership acquired/);
    const b = spawnServer(env(dirs[1].dir), 'B');
    servers.push(b);
    const urlB = await b.baseUrl;

    const apiKey = await seedBrand(urlA);
    // Both instances take traffic; events sit in one database.
    await Promise.all([ingestOrders(urlA, apiKey, 10, 10, 5), ingestOrders(urlB, apiKey, 10, 10, 5)]);
    await waitFor('all events anchored', allAnchored, 60_000);

    expect(await lockHolders()).toEqual([leaderBackendPid(a)]);
    expect(b.lines.some((l) => l.includes('anchoring leadership acquired'))).toBe(false);
    expect(b.lines.some((l) => l.includes('sealed batch'))).toBe(false);
    expect(a.lines.some((l) => l.includes('sealed batch'))).toBe(true);
    let summary = await expectAllAnchored(db, chain.provider, contract);
    expect(summary.events).toBe(200);

    // The leader dies without a goodbye; its session ends, the lock is released, B takes over.
    a.process.kill('SIGKILL');
    await a.exited;
    await b.waitForLine(/anchoring leadership acquired/, 30_000);
    await waitFor(
      'B holds the lock',
      async () => (await lockHolders()).length === 1 && (await lockHolders())[0] === leaderBackendPid(b),
      10_000,
    );
    await ingestOrders(urlB, apiKey, 5, 10, 5);
    await waitFor('events after the takeover anchored', allAnchored, 60_000);
    expect(b.lines.some((l) => l.includes('sealed batch'))).toBe(true);
    summary = await expectAllAnchored(db, chain.provider, contract);
    expect(summary.events).toBe(250);
    // No event in two batches, every batch's leaf count equal to its events.
    const mismatched = await db.query(
      `SELECT b.seq FROM batches b LEFT JOIN events e ON e.batch_seq = b.seq GROUP BY b.seq, b.leaf_count HAVING count(e.id) <> b.leaf_count`,
    );
    expect(mismatched).toEqual([]);

    // The lock's session is killed under B (a database failover, say): B notices, gives up, and takes the lock again.
    const oldPid = leaderBackendPid(b)!;
    await db.query(`SELECT pg_terminate_backend($1)`, [oldPid]);
    await b.waitForLine(/anchoring leadership lost/, 15_000);
    await waitFor(
      'B holding the lock on a new session',
      async () => {
        const holders = await lockHolders();
        return holders.length === 1 && holders[0] !== oldPid;
      },
      15_000,
    );
    await ingestOrders(urlB, apiKey, 1, 5, 1);
    await waitFor('events after the lost session anchored', allAnchored, 30_000);
    expect((await expectAllAnchored(db, chain.provider, contract)).events).toBe(255);
  });
});
