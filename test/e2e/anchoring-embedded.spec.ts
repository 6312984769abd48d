/**
 * The embedded default: PGlite and no CHAIN_RPC_URL. The service starts its own Hardhat node on
 * CHAIN_PORT, deploys OrderAnchor, anchors, and stops the node with itself; started again (a fresh
 * chain) it deploys again and re-anchors every batch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonRpcProvider } from 'ethers';
import type { Bundle } from '../../proof';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { verifyBundle } from '../../proof/verify';
import { ChainConnection } from '../../server/anchoring/chain-connection';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { waitFor } from '../support/anchoring-fixture';
import { createBrand, startTestApp, type TestApp } from '../support/app';
import { freePort, portOpen } from '../support/chain';

jest.setTimeout(120_000);

describe('embedded default: PGlite and a dev chain started by the service', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-embedded-'));
  let chainPort: number;
  let t: TestApp | undefined;

  const start = async (): Promise<TestApp> =>
    startTestApp({
      driver: 'pglite',
      dataDir,
      env: { ORDERTRACE_ANCHORING: 'on', CHAIN_PORT: String(chainPort), BATCH_MAX_WAIT_MS: '200' },
    });

  const batches = async (app: TestApp) =>
    app.dataSource.query<
      {
        seq: number;
        status: string;
        root: string;
        block_hash: string | null;
        contract: string | null;
      }[]
    >(`SELECT seq, status, root, block_hash, contract FROM batches ORDER BY seq`);

  beforeAll(async () => {
    chainPort = await freePort();
  });

  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the chain, deploys, anchors, stops the chain; re-anchors everything on the next start', async () => {
    t = await start();
    const chain = t.app.get(ChainConnection);
    expect(chain.mode).toBe('embedded');
    expect(chain.rpcUrl).toBe(`http://127.0.0.1:${chainPort}`);
    const contract = chain.contractAddress!;
    expect(contract).toMatch(/^0x[0-9a-fA-F]{40}$/);

    const brand = await createBrand(t);
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await t.http
        .post('/v1/orders')
        .set(brand.auth)
        .send({ reference: `E-${i}`, sealed: { customerName: `Customer ${i}` } })
        .expect(201);
      orderIds.push(created.body.id as string);
    }
    await t.http.post(`/v1/orders/${orderIds[0]}/events`).set(brand.auth).send({ type: 'paid' }).expect(201);
    const app = t;
    const first = await waitFor('batches anchored on the dev chain', async () => {
      const rows = await batches(app);
      return rows.length > 0 && rows.every((b) => b.status === 'confirmed') ? rows : undefined;
    });
    const provider = new JsonRpcProvider(chain.rpcUrl!, undefined, { staticNetwork: true });
    try {
      for (const b of first) expect((await orderAnchorAt(contract, provider).batch(b.seq)).toLowerCase()).toBe(b.root);
    } finally {
      provider.destroy();
    }

    // A bundle on the embedded database: its events, key and batches come from the one connection.
    const exporting = t;
    const bundle = await waitFor('the bundle anchored', async () => {
      const res = await exporting.http.get(`/v1/orders/${orderIds[0]}/bundle?disclose=all`).set(brand.auth).expect(200);
      const b = res.body as Bundle;
      return b.events.every((e) => e.anchor !== null) ? b : undefined;
    });
    expect(bundle.events.map((e) => e.record.type)).toEqual(['created', 'paid']);
    // Every event is anchored now, so no batch is still to come: this is the whole set the next
    // start must re-anchor (the first wait may have seen only the batches sealed before `paid`).
    const sealed = await batches(exporting);
    expect(sealed.every((b) => b.status === 'confirmed')).toBe(true);
    for (const e of bundle.events)
      expect(sealed.some((b) => b.seq === e.anchor?.batch && b.root === e.anchor.root && b.status === 'confirmed')).toBe(true);
    expect(bundle.events[0].disclosed?.customerName.value).toBe('Customer 0');
    const verification = await verifyBundle(bundle, new JsonRpcChainReader(chain.rpcUrl!));
    expect(verification.verdict).toBe('verified');

    await t.close();
    t = undefined;
    expect(await portOpen(chainPort)).toBe(false);

    t = await start();
    const again = t.app.get(ChainConnection);
    const restarted = t;
    const second = await waitFor('batches anchored again on the new chain', async () => {
      const rows = await batches(restarted);
      return rows.length === sealed.length && rows.every((b, i) => b.status === 'confirmed' && b.block_hash !== sealed[i].block_hash)
        ? rows
        : undefined;
    });
    expect(second.map((b) => b.root)).toEqual(sealed.map((b) => b.root));
    const fresh = new JsonRpcProvider(again.rpcUrl!, undefined, { staticNetwork: true });
    try {
      const anchor = orderAnchorAt(again.contractAddress!, fresh);
      expect(Number(await anchor.lastSeq())).toBe(second.length);
      for (const b of second) {
        expect((await anchor.batch(b.seq)).toLowerCase()).toBe(b.root);
        expect(
          (
            await fresh.getBlock(
              Number((await restarted.dataSource.query(`SELECT block_number FROM batches WHERE seq = $1`, [b.seq]))[0].block_number),
            )
          )?.hash,
        ).toBe(b.block_hash);
      }
    } finally {
      fresh.destroy();
    }
  });
});
