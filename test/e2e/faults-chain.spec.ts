/**
 * Chain faults against a child-process server: the RPC endpoint goes away for a while (a TCP proxy in
 * front of the node is cut) and the backlog is anchored once it is back; the dev chain is restarted
 * (new genesis, contract deployed again) and every batch is anchored again on the new chain.
 */
import {
  apiGet,
  expectAllAnchored,
  ingestOrders,
  seedBrand,
  serverEnv,
  spawnServer,
  type ServerProcess,
  TcpProxy,
  tempDataDir,
  waitFor,
} from '../support/anchoring-fixture';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';
import { createTestDatabase, everythingAnchored, type TestDatabase } from '../support/database';

jest.setTimeout(180_000);

describe('chain faults', () => {
  let chain: TestChain;
  let proxy: TcpProxy;
  let db: TestDatabase;
  let data: { dir: string; remove(): void };
  let contract: string;
  let server: ServerProcess;
  let baseUrl: string;
  let apiKey: string;
  const chains: TestChain[] = [];

  const allAnchored = (): Promise<boolean> => everythingAnchored(db);

  beforeAll(async () => {
    chain = await startTestChain();
    chains.push(chain);
    const anchorer = chain.wallets[1];
    contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
    proxy = new TcpProxy(chain.port);
    await proxy.start();
    db = await createTestDatabase();
    data = tempDataDir();
    server = spawnServer(
      serverEnv({
        databaseUrl: db.url,
        rpcUrl: proxy.url,
        contract,
        privateKey: (anchorer as unknown as { privateKey: string }).privateKey,
        dataDir: data.dir,
      }),
    );
    baseUrl = await server.baseUrl;
    apiKey = await seedBrand(baseUrl);
  });

  afterAll(async () => {
    await server?.kill('SIGTERM');
    await proxy?.cut();
    for (const c of chains) await c.stop();
    await db?.drop();
    data?.remove();
  });

  it('anchors the backlog once the RPC endpoint is back, without crashing meanwhile', async () => {
    await ingestOrders(baseUrl, apiKey, 5, 10, 5);
    await waitFor('first events anchored', allAnchored, 30_000);
    const [{ before }] = await db.query<{ before: number }>(`SELECT count(*)::int AS before FROM batches`);

    const linesBeforeCut = server.lines.length;
    await proxy.cut();
    await ingestOrders(baseUrl, apiKey, 10, 10, 5);
    // Sealing goes on without the chain; anchoring waits.
    await waitFor('the backlog sealed', async () => {
      const [r] = await db.query<{ unsealed: number; sealed: number }>(
        `SELECT (SELECT count(*)::int FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq)) AS unsealed,
                (SELECT count(*)::int FROM batches WHERE status = 'sealed') AS sealed`,
      );
      return r.unsealed === 0 && r.sealed > 0;
    });
    // The anchorer has met the cut chain (and backs off) without the process going down.
    await waitFor('an anchoring round to fail against the cut chain', async () =>
      server.lines.slice(linesBeforeCut).some((l) => l.includes('anchoring round failed')),
    );
    expect(server.process.exitCode).toBeNull();
    const [{ open }] = await db.query<{ open: number }>(`SELECT count(*)::int AS open FROM batches WHERE status <> 'confirmed'`);
    expect(open).toBeGreaterThan(0);
    // The API keeps answering; the batch list shows the backlog as sealed.
    const list = await apiGet<{ items: { status: string }[] }>(baseUrl, '/v1/batches', apiKey);
    expect(list.status).toBe(200);
    expect(list.body.items.some((b) => b.status !== 'confirmed')).toBe(true);

    await proxy.restore();
    await waitFor('the backlog anchored', allAnchored, 60_000, 200);
    const summary = await expectAllAnchored(db, chain.provider, contract);
    expect(summary.batches).toBeGreaterThan(before);
    expect(summary.events).toBe(150);
  });

  it('anchors every batch again on a restarted dev chain', async () => {
    const old = await db.query<{ seq: number; block_hash: string }>(`SELECT seq, block_hash FROM batches ORDER BY seq`);
    await chain.stop();
    const fresh = await startTestChain();
    chains.push(fresh);
    proxy.targetPort = fresh.port;
    await proxy.cut();
    await proxy.restore();
    // No contract on the new chain yet: anchoring pauses, and no batch stays confirmed on a vanished block.
    await waitFor('every batch back to sealed', async () => {
      const [r] = await db.query<{ confirmed: number }>(`SELECT count(*)::int AS confirmed FROM batches WHERE status = 'confirmed'`);
      return r.confirmed === 0;
    });
    await waitFor('anchoring paused for the missing contract', async () =>
      server.lines.some((l) => l.includes('no contract code at CONTRACT_ADDRESS')),
    );
    const pending = await apiGet<{ items: { status: string; anchor: unknown }[] }>(baseUrl, '/v1/batches?limit=200', apiKey);
    expect(pending.body.items.every((b) => b.status === 'sealed')).toBe(true);

    // Same deployer, same nonce: the new contract has the same address; only the genesis tells the chains apart.
    const redeployed = await deployTestAnchor(fresh, { anchorer: fresh.wallets[1].address });
    expect(redeployed.address).toBe(contract);

    await ingestOrders(baseUrl, apiKey, 2, 5, 2);
    await waitFor(
      'every batch anchored on the new chain',
      async () => {
        const rows = await db.query<{ seq: number; status: string; block_hash: string }>(
          `SELECT seq, status, block_hash FROM batches ORDER BY seq`,
        );
        return (
          rows.every((r, i) => r.status === 'confirmed' && (i >= old.length || r.block_hash !== old[i].block_hash)) && (await allAnchored())
        );
      },
      90_000,
      250,
    );
    const summary = await expectAllAnchored(db, fresh.provider, contract);
    expect(summary.events).toBe(160);
    expect(server.lines.some((l) => l.includes('no longer canonical'))).toBe(true);
  });
});
