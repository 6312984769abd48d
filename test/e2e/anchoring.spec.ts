/**
 * Sealing and anchoring end to end, in-process: real PostgreSQL, real Hardhat node, events ingested
 * over the HTTP API, batches sealed, anchored and confirmed; roots checked on chain, every proof folded.
 */
import type { Hex } from '../../proof/bytes';
import { processProof } from '../../proof/merkle';
import { AnchorTimings } from '../../server/anchoring/anchor.service';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { expectAllAnchored, ingestOrders, waitFor } from '../support/anchoring-fixture';
import { createBrand, startAnchoringTestApp, type AnchoringTestApp, type TestApp, type TestBrand } from '../support/app';
import type { TestChain } from '../support/chain';
import { everythingAnchored } from '../support/database';

jest.setTimeout(120_000);

describe('sealing and anchoring', () => {
  let running: AnchoringTestApp;
  let chain: TestChain;
  let contract: string;
  let t: TestApp;
  let brand: TestBrand;

  const allAnchored = (): Promise<boolean> => everythingAnchored(t.database!);

  beforeAll(async () => {
    running = await startAnchoringTestApp({ BATCH_MAX_EVENTS: '100' });
    ({ t, chain } = running);
    contract = running.contract;
    brand = await createBrand(t);
  });

  afterAll(async () => {
    await running?.close();
  });

  it('anchors 1,000 events across 50 orders: each root on chain, every proof folding to it', async () => {
    const started = Date.now();
    const orders = await ingestOrders(t.baseUrl, brand.key, 50, 20);
    const ingested = Date.now();
    await waitFor('all events anchored', allAnchored, 90_000, 100);
    const anchored = Date.now();
    const summary = await expectAllAnchored(t.database!, chain.provider, contract);
    expect(summary.events).toBe(1000);
    expect(summary.lastSeq).toBe(summary.batches);
    expect(summary.batches).toBeGreaterThanOrEqual(10); // BATCH_MAX_EVENTS 100
    process.stdout.write(
      `1,000 events: ingest ${ingested - started} ms, then anchored after ${anchored - ingested} ms in ${summary.batches} batches\n`,
    );

    // The events API shows each event's anchor, and its proof folds to the root the contract holds.
    const anchor = orderAnchorAt(contract, chain.provider);
    for (const orderId of orders.slice(0, 5)) {
      const res = await t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200);
      expect(res.body.items).toHaveLength(20);
      for (const item of res.body.items) {
        expect(item.status).toBe('anchored');
        expect(processProof(item.leaf as Hex, item.anchor.proof)).toBe(item.anchor.root);
        expect((await anchor.batch(item.anchor.batch)).toLowerCase()).toBe(item.anchor.root);
        expect(await anchor.verify(item.anchor.batch, item.leaf, item.anchor.proof)).toBe(true);
        const receipt = await chain.provider.getTransactionReceipt(item.anchor.txHash);
        expect(receipt?.blockHash).toBe(item.anchor.blockHash);
        expect(receipt?.blockNumber).toBe(item.anchor.blockNumber);
      }
    }
  });

  it('shows a new event as pending until its batch is anchored', async () => {
    const created = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: `pending-${Date.now()}` })
      .expect(201);
    const first = await t.http.get(`/v1/orders/${created.body.id}/events`).set(brand.auth).expect(200);
    expect(first.body.items[0].status).toBe('pending');
    expect(first.body.items[0].anchor).toBeNull();
    await waitFor('the event anchored', async () => {
      const res = await t.http.get(`/v1/orders/${created.body.id}/events`).set(brand.auth).expect(200);
      return res.body.items[0].status === 'anchored';
    });
  });

  it('lists batches and shows one with its transaction, block and confirmations', async () => {
    const page = await t.http.get('/v1/batches?limit=3').set(brand.auth).expect(200);
    expect(page.body.items).toHaveLength(3);
    const seqs = page.body.items.map((b: { seq: number }) => b.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(page.body.nextCursor).toBe(String(seqs[2]));
    const next = await t.http.get(`/v1/batches?limit=3&cursor=${page.body.nextCursor}`).set(brand.auth).expect(200);
    expect(next.body.items[0].seq).toBe(seqs[2] - 1);

    const one = await t.http.get('/v1/batches/1').set(brand.auth).expect(200);
    expect(one.body).toMatchObject({ seq: 1, status: 'confirmed', chainId: 31337 });
    expect(one.body.leafCount).toBeGreaterThan(0);
    expect(one.body.contract.toLowerCase()).toBe(contract.toLowerCase());
    expect(one.body.confirmations).toBeGreaterThanOrEqual(1);
    const receipt = await chain.provider.getTransactionReceipt(one.body.txHash);
    expect(receipt?.blockNumber).toBe(one.body.blockNumber);
    expect(receipt?.blockHash).toBe(one.body.blockHash);

    // The operator sees the same service-wide view with the admin token.
    const asOperator = await t.http
      .get('/v1/batches/1')
      .set({ Authorization: `Bearer ${t.adminToken}` })
      .expect(200);
    expect(asOperator.body).toEqual(one.body);
  });

  it('answers bad batch requests with problem details', async () => {
    const missing = await t.http.get('/v1/batches/99999').set(brand.auth).expect(404);
    expect(missing.body.code).toBe('BATCH_NOT_FOUND');
    const bad = await t.http.get('/v1/batches/abc').set(brand.auth).expect(400);
    expect(JSON.stringify(bad.body)).toContain('seq');
    const badLimit = await t.http.get('/v1/batches?limit=0').set(brand.auth).expect(400);
    expect(JSON.stringify(badLimit.body)).toContain('limit');
    await t.http.get('/v1/batches').expect(401);
    await t.http.get('/v1/batches').set({ Authorization: 'Bearer not-a-key-nor-the-admin-token' }).expect(401);
  });

  it('replaces a transaction not mined in time with higher fees and the same nonce', async () => {
    const timings = t.app.get(AnchorTimings);
    const saved = timings.replaceAfterMs;
    timings.replaceAfterMs = 1_000;
    await chain.provider.send('evm_setAutomine', [false]);
    try {
      const [{ max }] = await t.database!.query<{ max: number }>(`SELECT COALESCE(max(seq), 0)::int AS max FROM batches`);
      await t.http
        .post('/v1/orders')
        .set(brand.auth)
        .send({ reference: `slow-${Date.now()}` })
        .expect(201);
      const seq = max + 1;
      const replaced = await waitFor(
        'a replacement transaction',
        async () => {
          const [b] = await t.database!.query<{ attempts: number; tx_hash: string; tx_nonce: number; status: string }>(
            `SELECT attempts, tx_hash, tx_nonce, status FROM batches WHERE seq = $1`,
            [seq],
          );
          return b !== undefined && b.attempts >= 2 ? b : undefined;
        },
        20_000,
      );
      const pendingTxs = (await chain.provider.send('eth_getBlockByNumber', ['pending', false])) as { transactions: string[] };
      expect(pendingTxs.transactions).toContain(replaced.tx_hash);
      const tx = await chain.provider.getTransaction(replaced.tx_hash);
      expect(tx?.nonce).toBe(replaced.tx_nonce);
      await chain.provider.send('evm_setAutomine', [true]);
      await chain.provider.send('evm_mine', []);
      await waitFor('the replaced batch confirmed', allAnchored, 20_000);
      const [b] = await t.database!.query<{ tx_hash: string }>(`SELECT tx_hash FROM batches WHERE seq = $1`, [seq]);
      const receipt = await chain.provider.getTransactionReceipt(b.tx_hash);
      expect(receipt?.status).toBe(1);
      const summary = await expectAllAnchored(t.database!, chain.provider, contract);
      expect(summary.lastSeq).toBe(seq);
    } finally {
      timings.replaceAfterMs = saved;
      await chain.provider.send('evm_setAutomine', [true]);
    }
  });

  it('anchors again the batches whose block a reorg removed', async () => {
    const snapshot = (await chain.provider.send('evm_snapshot', [])) as string;
    const [{ before }] = await t.database!.query<{ before: number }>(`SELECT count(*)::int AS before FROM batches`);
    await ingestOrders(t.baseUrl, brand.key, 5, 20, 5);
    await waitFor('new events anchored', allAnchored, 30_000);
    const anchoredBefore = await t.database!.query<{ seq: number; block_hash: string }>(
      `SELECT seq, block_hash FROM batches WHERE seq > $1 ORDER BY seq`,
      [before],
    );
    expect(anchoredBefore.length).toBeGreaterThan(0);
    // Drop every block since the snapshot, then let the chain grow past them with other blocks.
    expect(await chain.provider.send('evm_revert', [snapshot])).toBe(true);
    await chain.provider.send('hardhat_mine', ['0x20']);
    await waitFor(
      'the dropped batches anchored again in new blocks',
      async () => {
        const rows = await t.database!.query<{ seq: number; status: string; block_hash: string }>(
          `SELECT seq, status, block_hash FROM batches WHERE seq > $1 ORDER BY seq`,
          [before],
        );
        const renewed = rows.every((r, i) => r.status === 'confirmed' && r.block_hash !== anchoredBefore[i].block_hash);
        return renewed && (await allAnchored());
      },
      30_000,
    );
    await expectAllAnchored(t.database!, chain.provider, contract);
  });

  // Last: it leaves anchoring stopped.
  it('stops anchoring, loudly, when the contract holds a different root for one of our seqs', async () => {
    const [{ max }] = await t.database!.query<{ max: number }>(`SELECT COALESCE(max(seq), 0)::int AS max FROM batches`);
    const seq = max + 1;
    const foreignRoot = `0x${'5a'.repeat(32)}`;
    const tx = await orderAnchorAt(contract, chain.wallets[1]).anchor(seq, foreignRoot, 1);
    await tx.wait();
    await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: `foreign-${Date.now()}` })
      .expect(201);
    const halted = await waitFor(
      'the inconsistency recorded',
      async () => {
        const [b] = await t.database!.query<{ status: string; last_error: string | null }>(
          `SELECT status, last_error FROM batches WHERE seq = $1`,
          [seq],
        );
        return b?.last_error?.includes('FATAL') ? b : undefined;
      },
      20_000,
    );
    expect(halted.status).toBe('sealed');
    expect(halted.last_error).toContain(foreignRoot);
    // Later batches wait behind it instead of being anchored under the wrong seq. Sealing and
    // anchoring share one round: once a second later batch is sealed, a whole round has tried the first.
    for (const later of [1, 2]) {
      await t.http
        .post('/v1/orders')
        .set(brand.auth)
        .send({ reference: `after-foreign-${later}-${Date.now()}` })
        .expect(201);
      await waitFor(`${later} later batch(es) sealed`, async () => {
        const [{ n }] = await t.database!.query<{ n: number }>(`SELECT count(*)::int AS n FROM batches WHERE seq > $1`, [seq]);
        return n >= later;
      });
    }
    const open = await t.database!.query<{ seq: number; status: string }>(`SELECT seq, status FROM batches WHERE seq >= $1 ORDER BY seq`, [
      seq,
    ]);
    expect(open.every((b) => b.status === 'sealed')).toBe(true);
    expect(Number(await orderAnchorAt(contract, chain.provider).lastSeq())).toBe(seq);
  });
});
