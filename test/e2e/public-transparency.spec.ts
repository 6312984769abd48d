/**
 * What verifiers and auditors get without any key, end to end against the real server, PostgreSQL
 * and a Hardhat chain with anchoring on: the trust file, the read-only JSON-RPC proxy, CORS on
 * /public only, the public batch leaves — recomputed here by a separate implementation
 * (merkletreejs + @noble/hashes, the contract read through ethers) — and `ordertrace audit --api`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak_256 } from '@noble/hashes/sha3';
import { MerkleTree as ReferenceTree } from 'merkletreejs';
import { claimedChainCalls, encodeBatchCall, JsonRpcChainReader, RPC_BATCH_LIMIT } from '../../proof/rpc-chain-reader';
import { parseTrustFile } from '../../proof/trust';
import { verifyBundle } from '../../proof/verify';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { ingestOrders, waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, startTestApp, type TestApp, type TestBrand } from '../support/app';
import { freePort } from '../support/chain';
import { runCli } from '../support/cli';
import { type LyingRpcProxy, startLyingRpcProxy } from '../support/lying-rpc-proxy';
import { everythingAnchored } from '../support/database';

jest.setTimeout(180_000);

interface PublicBatch {
  seq: number;
  root: string;
  leafCount: number;
  leaves: string[];
  anchor: { txHash: string; blockNumber: number; blockHash: string } | null;
}

function referenceRoot(leaves: string[]): string {
  const tree = new ReferenceTree(
    leaves.map((l) => Buffer.from(l.slice(2), 'hex')),
    (data: Buffer) => Buffer.from(keccak_256(data)),
    { sortPairs: true },
  );
  return tree.getHexRoot();
}

describe('public transparency: trust file, chain proxy, batch leaves, audit --api', () => {
  let running: AnchoringTestApp;
  let t: TestApp;
  let brand: TestBrand;
  let contract: string;
  let dir: string;
  let trustPath: string;
  let liar: LyingRpcProxy;

  const allAnchored = (): Promise<boolean> => everythingAnchored(t.database!);

  async function rpc(method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: { message: string } }> {
    const r = await fetch(`${t.baseUrl}/public/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { result?: unknown; error?: { message: string } };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-transparency-'));
    // The trust file and links carry PUBLIC_BASE_URL, so the port is chosen before the server starts.
    const port = await freePort();
    running = await startAnchoringTestApp({ BATCH_MAX_EVENTS: '40', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    t = running.t;
    contract = running.contract.toLowerCase();
    brand = await createBrand(t);
    await ingestOrders(t.baseUrl, brand.key, 10, 12);
    await waitFor('all events anchored', allAnchored, 120_000, 100);
    liar = await startLyingRpcProxy(running.chain.rpcUrl);
  });

  afterAll(async () => {
    await liar?.stop();
    await running?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves a trust file generated from its own chain, pointing browsers at its read-only proxy, not at the node', async () => {
    const r = await fetch(`${t.baseUrl}/public/trust.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    const text = await r.text();
    const trust = parseTrustFile(text);
    expect(trust).toEqual({ format: 'ordertrace-trust/1', chainId: 31337, contract, rpc: [`${t.baseUrl}/public/rpc`], previous: [] });
    expect(text).not.toContain(running.chain.rpcUrl);
    // The same file beside the page, where a page without built-in anchors looks for it.
    expect(parseTrustFile(await (await fetch(`${t.baseUrl}/v/trust.json`)).text())).toEqual(trust);
    // The public API no longer hands the node's own URL to browsers.
    const chain = (await (await fetch(`${t.baseUrl}/public/chain`)).json()) as { rpcUrl: string };
    expect(chain.rpcUrl).toBe(`${t.baseUrl}/public/rpc`);
    trustPath = join(dir, 'trust.json');
    writeFileSync(trustPath, text);
  });

  it('serves the operator’s own trust file byte for byte when ORDERTRACE_TRUST_FILE names one', async () => {
    const file = join(dir, 'operator-trust.json');
    const text = `{"format":"ordertrace-trust/1","chainId":137,"contract":"0x${'ab'.repeat(20)}","rpc":["https://a.example","https://b.example"],"publisher":{"name":"Acme"}}\n`;
    writeFileSync(file, text);
    const other = await startTestApp({ env: { ORDERTRACE_TRUST_FILE: file } });
    try {
      const r = await fetch(`${other.baseUrl}/public/trust.json`);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe(text);
    } finally {
      await other.close();
    }
    writeFileSync(file, '{"format":"ordertrace-trust/1"}');
    await expect(startTestApp({ env: { ORDERTRACE_TRUST_FILE: file } })).rejects.toThrow(
      /ORDERTRACE_TRUST_FILE .*chainId must be a positive integer/,
    );
  });

  it('lets browsers read the chain through the proxy, and nothing else: no accounts, no transactions, no other contract', async () => {
    expect((await rpc('eth_chainId')).result).toBe('0x7a69');
    expect(typeof (await rpc('eth_blockNumber')).result).toBe('string');
    for (const [method, params] of [
      ['eth_accounts', []],
      ['eth_sendTransaction', [{ from: running.chain.wallets[0].address, to: contract, value: '0x1' }]],
      ['eth_sign', [running.chain.wallets[0].address, '0x00']],
      ['personal_sign', ['0x00', running.chain.wallets[0].address]],
      ['hardhat_setBalance', [running.chain.wallets[0].address, '0x1']],
      ['evm_mine', []],
      ['eth_call', [{ to: `0x${'12'.repeat(20)}`, data: '0x12345678' }, 'latest']],
      ['eth_getBlockByNumber', ['latest', true]],
      ['eth_getLogs', [{ address: `0x${'12'.repeat(20)}` }]],
    ] as const) {
      const answer = await rpc(method, [...params]);
      expect(answer.result).toBeUndefined();
      expect(answer.error?.message).toMatch(/not allowed/);
    }
    const logs = await rpc('eth_getLogs', [{ address: contract, fromBlock: '0x0' }]);
    expect(Array.isArray(logs.result) && logs.result.length).toBeGreaterThan(0);
  });

  it('answers a JSON-RPC batch call by call, in order, refusing only the calls outside the allowlist', async () => {
    const post = async (body: unknown): Promise<unknown> => {
      const r = await fetch(`${t.baseUrl}/public/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(r.status).toBe(200);
      return r.json();
    };
    const answers = (await post([
      { jsonrpc: '2.0', id: 'a', method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 'b', method: 'eth_accounts', params: [] },
      { jsonrpc: '2.0', id: 'c', method: 'eth_call', params: [{ to: contract, data: encodeBatchCall(1) }, 'latest'] },
      { jsonrpc: '2.0', id: 'd', method: 'evm_mine', params: [] },
      { jsonrpc: '2.0', id: 'e', method: 'eth_blockNumber', params: [] },
    ])) as { id: string; result?: unknown; error?: { message: string } }[];
    expect(answers.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(answers[0].result).toBe('0x7a69');
    expect(answers[2].result).toMatch(/^0x[0-9a-f]{64,}$/);
    expect(answers[2].result).not.toBe(`0x${'0'.repeat(64)}`);
    expect(typeof answers[4].result).toBe('string');
    for (const refused of [answers[1], answers[3]]) {
      expect(refused.result).toBeUndefined();
      expect(refused.error?.message).toMatch(/not allowed/);
    }
    const logs = { jsonrpc: '2.0', method: 'eth_getLogs', params: [{ address: contract, fromBlock: '0x0' }] };
    const scans = (await post([
      { ...logs, id: 1 },
      { ...logs, id: 2 },
    ])) as { id: number; result?: unknown; error?: { message: string } }[];
    expect(Array.isArray(scans[0].result)).toBe(true);
    expect(scans[1].error?.message).toMatch(/one log query per batch/);
    const call = { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] };
    expect(await post([])).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await post(Array.from({ length: RPC_BATCH_LIMIT + 1 }, () => call))).toMatchObject({
      id: null,
      error: { code: -32600, message: `a batch holds at most ${RPC_BATCH_LIMIT} calls` },
    });
    expect(await post(Array.from({ length: RPC_BATCH_LIMIT }, () => call))).toHaveLength(RPC_BATCH_LIMIT);
  });

  it('verifies an exported bundle through the proxy with the proof core, its reads in one batch', async () => {
    const { body: list } = await t.http.get('/v1/orders?limit=1').set(brand.auth).expect(200);
    const { body: bundle } = await t.http.get(`/v1/orders/${list.items[0].id}/bundle`).set(brand.auth).expect(200);
    const trust = parseTrustFile(await (await fetch(`${t.baseUrl}/public/trust.json`)).text());
    const result = await verifyBundle(bundle, new JsonRpcChainReader(trust.rpc[0]), { trust, pinSource: 'test' });
    expect(result.verdict).toBe('verified');

    const sent: unknown[] = [];
    const counting = (input: string, init: RequestInit): Promise<Response> => {
      sent.push(JSON.parse(init.body as string));
      return fetch(input, init);
    };
    const batched = await verifyBundle(bundle, new JsonRpcChainReader(trust.rpc[0], counting, { batchLimit: RPC_BATCH_LIMIT }), {
      trust,
      pinSource: 'test',
    });
    expect(batched.verdict).toBe('verified');
    expect(batched.events).toEqual(result.events);
    // The chain id, head, roots and receipts in one request; the block times, named by the receipts, in a second.
    expect(sent).toHaveLength(2);
    expect((sent[0] as { method: string }[]).map((c) => c.method)).toEqual(
      expect.arrayContaining(['eth_chainId', 'eth_blockNumber', 'eth_call', 'eth_getTransactionReceipt']),
    );
    // What the page's first script asks early, from the bundle's claims alone, is exactly what the check asks.
    const asked = (sent as { method: string; params: unknown[] }[][]).flat().map(({ method, params }) => ({ method, params }));
    expect(new Set(claimedChainCalls(bundle, RPC_BATCH_LIMIT).map((c) => JSON.stringify(c)))).toEqual(
      new Set(asked.map((c) => JSON.stringify(c))),
    );
  });

  it('opens /public to other origins without credentials, and nothing else', async () => {
    const preflight = await fetch(`${t.baseUrl}/public/orders/ord_x`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://elsewhere.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-order-token',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-order-token');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await fetch(`${t.baseUrl}/public/batches`, { headers: { origin: 'http://elsewhere.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    const privateRoute = await fetch(`${t.baseUrl}/v1/orders`, { headers: { origin: 'http://elsewhere.example', ...brand.auth } });
    expect(privateRoute.status).toBe(200);
    expect(privateRoute.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('publishes every sealed batch’s leaves; a separate implementation folds them to the root the contract holds', async () => {
    const anchor = orderAnchorAt(contract, running.chain.provider);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const r = await t.http.get(`/public/batches?after=${after}&limit=2`).expect(200);
      for (const item of r.body.items as Omit<PublicBatch, 'leaves'>[]) {
        seen.push(item.seq);
        const res = await t.http.get(`/public/batches/${item.seq}`).expect(200);
        const batch = res.body as PublicBatch;
        expect(Object.keys(batch).sort()).toEqual(['anchor', 'leafCount', 'leaves', 'root', 'seq']);
        expect(batch).toMatchObject(item);
        expect(batch.leaves).toHaveLength(batch.leafCount);
        expect(referenceRoot(batch.leaves)).toBe(batch.root);
        expect((await anchor.batch(batch.seq)).toLowerCase()).toBe(batch.root);
        expect(batch.anchor).not.toBeNull();
        expect(res.headers['cache-control']).toContain('immutable');
        const receipt = await running.chain.provider.getTransactionReceipt(batch.anchor!.txHash);
        expect(receipt).toMatchObject({ blockNumber: batch.anchor!.blockNumber, blockHash: batch.anchor!.blockHash, status: 1 });
      }
      if (r.body.nextAfter === null) break;
      after = r.body.nextAfter;
    }
    const [{ n }] = await t.database!.query<{ n: number }>('SELECT count(*)::int AS n FROM batches');
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('pages a batch’s leaves with offset and limit, and refuses bad paging with a problem naming the field', async () => {
    const whole = (await t.http.get('/public/batches/1').expect(200)).body as PublicBatch;
    const pages: string[] = [];
    for (let offset = 0; offset < whole.leafCount; offset += 7) {
      pages.push(...((await t.http.get(`/public/batches/1?offset=${offset}&limit=7`).expect(200)).body as PublicBatch).leaves);
    }
    expect(pages).toEqual(whole.leaves);
    expect((await t.http.get(`/public/batches/1?offset=${whole.leafCount}`).expect(200)).body.leaves).toEqual([]);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=20000', 'limit'],
      ['offset=-1', 'offset'],
    ]) {
      const r = await t.http.get(`/public/batches/1?${query}`).expect(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.body)).toContain(field);
    }
    expect((await t.http.get('/public/batches/999999').expect(404)).headers['content-type']).toContain('application/problem+json');
    expect((await t.http.get('/public/batches/abc').expect(400)).body.errors[0].field).toBe('seq');
  });

  describe('ordertrace audit --api', () => {
    it('finds the published batches clean: exit 0, progress on stderr', async () => {
      const run = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--json']);
      expect(run.code).toBe(0);
      const data = JSON.parse(run.stdout);
      const [{ n, leaves }] = await t.database!.query<{ n: number; leaves: number }>(
        'SELECT count(*)::int AS n, sum(leaf_count)::int AS leaves FROM batches',
      );
      expect(data).toMatchObject({ chainId: 31337, contract, batches: n, anchoredBatches: n, leaves, discrepancyCount: 0 });
      expect(run.stderr).toMatch(/auditing the batches published by/);
      const human = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^CLEAN: /m);
    });

    it('reports a leaf altered in the database (exit 1) and an API root the contract does not hold', async () => {
      const [row] = await t.database!.query<{ id: string; leaf: string }>(
        'SELECT id::text, leaf FROM events WHERE batch_seq = 2 AND batch_index = 0',
      );
      const [batch] = await t.database!.query<{ root: string }>('SELECT root FROM batches WHERE seq = 3');
      await t.database!.query(`UPDATE events SET leaf = $1 WHERE id = $2`, [`0x${'ee'.repeat(32)}`, row.id]);
      await t.database!.query(`UPDATE batches SET root = $1 WHERE seq = 3`, [`0x${'dd'.repeat(32)}`]);
      try {
        const run = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--json']);
        expect(run.code).toBe(1);
        const found = (JSON.parse(run.stdout).discrepancies as { batch: number; code: string }[]).map((d) => [d.batch, d.code]);
        expect(found).toEqual(
          expect.arrayContaining([
            [2, 'BATCH_ROOT_MISMATCH'],
            [3, 'BATCH_ROOT_MISMATCH'],
            [3, 'CHAIN_ROOT_MISMATCH'],
          ]),
        );
      } finally {
        await t.database!.query(`UPDATE events SET leaf = $1 WHERE id = $2`, [row.leaf, row.id]);
        await t.database!.query(`UPDATE batches SET root = $1 WHERE seq = 3`, [batch.root]);
      }
    });

    it('reports endpoints that disagree about the roots as discrepancies (exit 1), naming the liar', async () => {
      const twoTrust = join(dir, 'two-trust.json');
      writeFileSync(
        twoTrust,
        JSON.stringify({ format: 'ordertrace-trust/1', chainId: 31337, contract, rpc: [running.chain.rpcUrl, liar.url] }),
      );
      const run = await runCli(['audit', '--api', t.baseUrl, '--trust', twoTrust, '--json']);
      expect(run.code).toBe(1);
      const data = JSON.parse(run.stdout);
      expect(data.discrepancies[0]).toMatchObject({ code: 'ENDPOINTS_DISAGREE' });
      expect(data.discrepancies[0].message).toContain(liar.url);
    });

    it('needs a contract to compare with', async () => {
      const run = await runCli(['audit', '--api', t.baseUrl, '--rpc', running.chain.rpcUrl]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--trust <file>/);
    });
  });
});
