/**
 * Proof bundles end to end: the real service (PostgreSQL, sealing and anchoring on a real Hardhat
 * node), orders ingested over HTTP, bundles exported over HTTP and with `ordertrace export`, and
 * verified by the real `ordertrace verify` bin: exit 0 untouched, 1 for every tamper case (naming
 * event and step), 4 while pending. `ordertrace audit` against the same database names exactly the
 * event or batch edited in SQL. Evidence PDFs are rendered and read back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bundle, canonicalJson, type EventRecord, type Hex, leafHash, processProof, randomSalt } from '../../proof';
import { BundlesService } from '../../server/bundles/bundles.service';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { waitFor } from '../support/anchoring-fixture';
import { binaryBody, createBrand, startAnchoringTestApp, type AnchoringTestApp, type TestApp, type TestBrand } from '../support/app';
import type { TestChain } from '../support/chain';
import { runCli } from '../support/cli';
import { pdfText } from '../support/pdf-text';
import { everythingAnchored } from '../support/database';

jest.setTimeout(180_000);

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const ADDRESS = { line1: '88 Nanjing Road', city: 'Shanghai', postcode: '200001' };

describe('proof bundles, evidence reports and the auditor CLI on a real anchored order', () => {
  let running: AnchoringTestApp;
  let chain: TestChain;
  let contract: string;
  let t: TestApp;
  let brand: TestBrand;
  let other: TestBrand;
  let dir: string;
  let orderId: string;

  const allAnchored = (): Promise<boolean> => everythingAnchored(t.database!);

  async function createOrder(events: { type: string; data?: object; sealed?: object }[]): Promise<string> {
    const created = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({
        reference: `SO-${randomSalt().slice(2, 12)}`,
        data: { channel: 'web' },
        sealed: { shippingAddress: ADDRESS, customerName: '张伟' },
      })
      .expect(201);
    for (const e of events) await t.http.post(`/v1/orders/${created.body.id}/events`).set(brand.auth).send(e).expect(201);
    return created.body.id;
  }

  const file = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-bundles-'));
    running = await startAnchoringTestApp({ BATCH_MAX_EVENTS: '4' });
    ({ t, chain } = running);
    contract = running.contract.toLowerCase();
    brand = await createBrand(t);
    other = await createBrand(t);
    orderId = await createOrder([
      { type: 'paid', data: { amount: '129.00', currency: 'EUR' } },
      { type: 'packed' },
      { type: 'shipped', data: { carrier: 'DHL', trackingNo: 'JD014600004512' } },
      { type: 'delivered' },
      { type: 'received', data: { confirmedBy: 'consumer' } },
    ]);
    await waitFor('all events anchored', allAnchored, 90_000, 100);
  });

  afterAll(async () => {
    await running?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('GET /v1/orders/{id}/bundle', () => {
    it('returns the ordertrace-bundle/1 of the order, every event anchored with a proof the contract confirms', async () => {
      const res = await t.http.get(`/v1/orders/${orderId}/bundle`).set(brand.auth).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const bundle = res.body as Bundle;
      expect(bundle).toMatchObject({
        format: 'ordertrace-bundle/1',
        chain: { chainId: 31337, contract },
        order: orderId,
        brand: brand.slug,
      });
      expect(bundle.events.map((e) => e.record.type)).toEqual(['created', 'paid', 'packed', 'shipped', 'delivered', 'received']);
      expect(bundle.events.map((e) => e.record.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      const rows = await t.database!.query<{ seq: number; record: string; leaf: string }>(
        `SELECT seq, record, leaf FROM events WHERE order_id = $1 ORDER BY seq`,
        [orderId],
      );
      const anchor = orderAnchorAt(contract, chain.provider);
      for (const [i, e] of bundle.events.entries()) {
        expect(e.record).toEqual(JSON.parse(rows[i].record));
        expect(e.leaf).toBe(rows[i].leaf);
        expect(leafHash(e.record)).toBe(e.leaf);
        expect(e.disclosed).toBeUndefined();
        expect(e.anchor).not.toBeNull();
        expect(processProof(e.leaf, e.anchor!.proof)).toBe(e.anchor!.root);
        expect((await anchor.batch(e.anchor!.batch)).toLowerCase()).toBe(e.anchor!.root);
      }
      // Sealed fields appear as commitments only.
      expect(Object.keys(bundle.events[0].record.sealed).sort()).toEqual(['customerName', 'shippingAddress']);
      expect(JSON.stringify(bundle)).not.toContain('Nanjing');
    });

    it('sends each record as the canonical JSON that was hashed, byte for byte, and the same bundle the evidence report is made of', async () => {
      const res = await t.http.get(`/v1/orders/${orderId}/bundle`).set(brand.auth).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const bundle = res.body as Bundle;
      for (const e of bundle.events) expect(res.text).toContain(`{"record":${canonicalJson(e.record)},"leaf":"${e.leaf}"`);
      const disclosing = await t.http.get(`/v1/orders/${orderId}/bundle?disclose=all`).set(brand.auth).expect(200);
      const bundles = t.app.get(BundlesService);
      expect(disclosing.body).toEqual(await bundles.build(orderId, { disclose: 'all' }));
      expect(JSON.parse(await bundles.buildText(orderId, { disclose: 'all' }))).toEqual(await bundles.build(orderId, { disclose: 'all' }));
    });

    it('exported again after appends, carries every record as stored, the new ones too, and still only for its brand', async () => {
      const id = await createOrder([{ type: 'paid' }]);
      const storedRecords = async (): Promise<string[]> =>
        (await t.database!.query<{ record: string }>(`SELECT record FROM events WHERE order_id = $1 ORDER BY seq`, [id])).map(
          (r) => r.record,
        );
      const exportedRecords = async (): Promise<string[]> => {
        const res = await t.http.get(`/v1/orders/${id}/bundle`).set(brand.auth).expect(200);
        return (res.body as Bundle).events.map((e) => canonicalJson(e.record));
      };
      expect(await exportedRecords()).toEqual(await storedRecords());
      await t.http.post(`/v1/orders/${id}/events`).set(brand.auth).send({ type: 'packed' }).expect(201);
      await t.http
        .post(`/v1/orders/${id}/events`)
        .set(brand.auth)
        .send({ type: 'shipped', data: { carrier: 'DHL' } })
        .expect(201);
      const again = await exportedRecords();
      expect(again).toHaveLength(4);
      expect(again).toEqual(await storedRecords());
      // Records read before are not asked for twice, but whose order it is still is.
      await t.http.get(`/v1/orders/${id}/bundle`).set(other.auth).expect(404);
      // A record altered in the database is served as it now is, never as it was read before.
      await t.database!.query(`UPDATE events SET record = replace(record, '"packed"', '"Packed"') WHERE order_id = $1 AND seq = 3`, [id]);
      const altered = await exportedRecords();
      expect(altered[2]).toContain('"Packed"');
      expect(altered).toEqual(await storedRecords());
      // Put back as it was: the audits below expect a database nobody has altered.
      await t.database!.query(`UPDATE events SET record = replace(record, '"Packed"', '"packed"') WHERE order_id = $1 AND seq = 3`, [id]);
      expect(await exportedRecords()).toEqual(await storedRecords());
    });

    it('discloses the requested sealed fields with their salts, and all of them with disclose=all', async () => {
      const one = (await t.http.get(`/v1/orders/${orderId}/bundle?disclose=shippingAddress`).set(brand.auth).expect(200)).body as Bundle;
      expect(one.events[0].disclosed).toEqual({ shippingAddress: { value: ADDRESS, salt: expect.stringMatching(/^0x[0-9a-f]{64}$/) } });
      expect(one.events.slice(1).every((e) => e.disclosed === undefined)).toBe(true);
      const all = (await t.http.get(`/v1/orders/${orderId}/bundle?disclose=all`).set(brand.auth).expect(200)).body as Bundle;
      expect(Object.keys(all.events[0].disclosed!).sort()).toEqual(['customerName', 'shippingAddress']);
      expect(all.events[0].disclosed!.customerName.value).toBe('张伟');
      const unknown = (await t.http.get(`/v1/orders/${orderId}/bundle?disclose=nothingSealed`).set(brand.auth).expect(200)).body as Bundle;
      expect(unknown.events.every((e) => e.disclosed === undefined)).toBe(true);
    });

    it("gives an arbitrator key, through the brand's grant, the bundle with disclosure, and an auditor key the bundle without", async () => {
      const admin = { Authorization: `Bearer ${t.adminToken}` };
      const issue = async (roles: string[]) =>
        (await t.http.post('/v1/keys').set(admin).send({ roles }).expect(201)).body as { id: string; key: string };
      const arbitrator = await issue(['arbitrator']);
      const auditor = await issue(['auditor']);
      const arbitratorAuth = { Authorization: `Bearer ${arbitrator.key}` };
      const auditorAuth = { Authorization: `Bearer ${auditor.key}` };
      await t.http.get(`/v1/orders/${orderId}/bundle`).set(arbitratorAuth).expect(404);
      const brandAdmin = (
        await t.http
          .post(`/v1/brands/${brand.id}/keys`)
          .set(admin)
          .send({ roles: ['brand:admin'] })
          .expect(201)
      ).body as {
        key: string;
      };
      const adminAuth = { Authorization: `Bearer ${brandAdmin.key}` };
      await t.http.post('/v1/grants').set(adminAuth).send({ key: arbitrator.id, order: orderId }).expect(201);
      await t.http.post('/v1/grants').set(adminAuth).send({ key: auditor.id, brand: brand.id }).expect(201);

      const disclosed = (await t.http.get(`/v1/orders/${orderId}/bundle?disclose=all`).set(arbitratorAuth).expect(200)).body as Bundle;
      expect(disclosed.events[0].disclosed!.customerName.value).toBe('张伟');
      const plain = (await t.http.get(`/v1/orders/${orderId}/bundle`).set(auditorAuth).expect(200)).body as Bundle;
      expect(plain.events.every((e) => e.disclosed === undefined)).toBe(true);
      expect(JSON.stringify(plain)).not.toContain('Nanjing');
      await t.http.get(`/v1/orders/${orderId}/bundle?disclose=customerName`).set(auditorAuth).expect(403);
      for (const [name, bundle] of [
        ['arbitrator.json', disclosed],
        ['auditor.json', plain],
      ] as const) {
        const run = await runCli(['verify', file(name, bundle), '--rpc', chain.rpcUrl, '--contract', contract]);
        expect(run.code).toBe(0);
      }
      const pdf = await t.http.get(`/v1/orders/${orderId}/evidence.pdf`).set(arbitratorAuth).buffer(true).parse(binaryBody).expect(200);
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      await t.http.get(`/v1/orders/${orderId}/events`).set(arbitratorAuth).expect(200);
    });

    it('answers 404 for another brand, 401 without a key, and a problem naming disclose for a bad value', async () => {
      const cross = await t.http.get(`/v1/orders/${orderId}/bundle`).set(other.auth).expect(404);
      expect(cross.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http.get(`/v1/orders/${orderId}/bundle`).expect(401);
      await t.http.get(`/v1/orders/ord_doesnotexist/bundle`).set(brand.auth).expect(404);
      const bad = await t.http.get(`/v1/orders/${orderId}/bundle?disclose=a,,b`).set(brand.auth);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(JSON.stringify(bad.body)).toContain('disclose');
      const twice = await t.http.get(`/v1/orders/${orderId}/bundle?disclose=a&disclose=b`).set(brand.auth);
      expect(twice.status).toBeGreaterThanOrEqual(400);
      expect(twice.status).toBeLessThan(500);
    });

    it('stays fast for an order of 100 events', async () => {
      const types = ['paid', 'packed', 'shipped', ...Array(95).fill('in_transit'), 'delivered'];
      const big = await createOrder(types.map((type, i) => ({ type, data: { i } })));
      await waitFor('the 100 events anchored', allAnchored, 120_000, 200);
      const timings: number[] = [];
      for (let i = 0; i < 20; i++) {
        const started = process.hrtime.bigint();
        const res = await t.http.get(`/v1/orders/${big}/bundle?disclose=all`).set(brand.auth).expect(200);
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(res.body.events).toHaveLength(100);
      }
      timings.sort((a, b) => a - b);
      const batches = new Set(
        ((await t.http.get(`/v1/orders/${big}/bundle`).set(brand.auth)).body as Bundle).events.map((e) => e.anchor!.batch),
      ).size;
      process.stdout.write(
        `bundle of 100 events in ${batches} batches: median ${timings[10].toFixed(1)} ms, max ${timings[19].toFixed(1)} ms over 20 exports\n`,
      );
      expect(timings[19]).toBeLessThan(2000);
      const verify = await runCli([
        'verify',
        file('big.json', (await t.http.get(`/v1/orders/${big}/bundle?disclose=all`).set(brand.auth)).body),
        '--rpc',
        chain.rpcUrl,
        '--contract',
        contract,
      ]);
      expect(verify.code).toBe(0);
    });
  });

  describe('ordertrace export + verify', () => {
    let exported: Bundle;
    let exportedPath: string;

    beforeAll(async () => {
      exportedPath = join(dir, 'exported.json');
      const run = await runCli([
        'export',
        orderId,
        '--api',
        t.baseUrl,
        '--key',
        brand.key,
        '--disclose',
        'all',
        '-o',
        exportedPath,
        '--json',
      ]);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        order: orderId,
        events: 6,
        anchored: 6,
        pending: 0,
        disclosed: ['customerName', 'shippingAddress'],
        output: exportedPath,
      });
      exported = JSON.parse(readFileSync(exportedPath, 'utf8'));
    });

    it('verifies the untouched export: exit 0', async () => {
      const run = await runCli(['verify', exportedPath, '--rpc', chain.rpcUrl, '--contract', contract]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^VERIFIED: all 6 event\(s\), seq 1\.\.6/m);
    });

    it('names who recorded each event: the API key by its id, never its secret', async () => {
      const run = await runCli(['verify', exportedPath, '--rpc', chain.rpcUrl, '--contract', contract, '--json']);
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout) as { events: { recordedBy: unknown }[]; timeWarnings: unknown[] };
      expect(json.events.map((e) => e.recordedBy)).toEqual(Array(6).fill({ kind: 'api-key', keyId: brand.keyId }));
      expect(json.timeWarnings).toEqual([]);
      expect(exported.events.map((e) => e.record.data['ordertrace:source'])).toEqual(Array(6).fill(`api:${brand.keyId}`));
      expect(JSON.stringify(exported)).not.toContain(brand.key.slice(-16));
      const human = await runCli(['verify', exportedPath, '--rpc', chain.rpcUrl, '--contract', contract]);
      expect(human.stdout).toMatch(new RegExp(`^\\s+1\\s+created\\s+\\S+\\s+API key ${brand.keyId}\\s+verified`, 'm'));
    });

    it('pipes: export to stdout | verify -', async () => {
      const exportRun = await runCli(['export', orderId, '--api', t.baseUrl, '--key', brand.key]);
      expect(exportRun.code).toBe(0);
      const run = await runCli(['verify', '-', '--rpc', chain.rpcUrl, '--contract', contract, '--json'], { input: exportRun.stdout });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).verdict).toBe('verified');
    });

    it('export refuses an unknown order (exit 2) and a wrong key (exit 2)', async () => {
      const missing = await runCli(['export', 'ord_doesnotexist', '--api', t.baseUrl, '--key', brand.key]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/ordertrace: order ord_doesnotexist not found for this key's brand \(HTTP 404/);
      const cross = await runCli(['export', orderId, '--api', t.baseUrl, '--key', other.key]);
      expect(cross.code).toBe(2);
      const badKey = await runCli(['export', orderId, '--api', t.baseUrl, '--key', 'not-a-key']);
      expect(badKey.code).toBe(2);
      expect(badKey.stderr).toMatch(/the API refused the key \(HTTP 401/);
    });

    const forge = (b: Bundle) => {
      const last = b.events[b.events.length - 1];
      const record: EventRecord = {
        ...clone(last.record),
        seq: last.record.seq + 1,
        type: 'refunded',
        prev: last.leaf,
        data: { amount: '129.00' },
      };
      const leaf = leafHash(record);
      b.events.push({ record, leaf, anchor: { ...clone(last.anchor!), root: leaf, proof: [] } });
    };
    // [what, tamper, seq the failure names (null: the bundle as a whole), step]
    const cases: [string, (b: Bundle) => void, number | null, string][] = [
      ['a public data value', (b) => void ((b.events[3].record.data as Record<string, unknown>).carrier = 'UPS'), 4, 'leaf'],
      ['a disclosed value', (b) => void (b.events[0].disclosed!.shippingAddress.value = { ...ADDRESS, city: 'Beijing' }), 1, 'disclosure'],
      ['a salt', (b) => void (b.events[0].disclosed!.customerName.salt = randomSalt()), 1, 'disclosure'],
      ['the at time', (b) => void (b.events[2].record.at = '2020-01-01T00:00:00.000Z'), 3, 'leaf'],
      ['a leaf', (b) => void (b.events[1].leaf = randomSalt()), 2, 'leaf'],
      [
        'a proof element',
        (b) => {
          // Batches may hold one leaf (empty proof); then an added element is the tampering.
          const e = b.events.find((x) => x.anchor!.proof.length > 0) ?? b.events[0];
          if (e.anchor!.proof.length > 0) e.anchor!.proof[0] = randomSalt();
          else e.anchor!.proof.push(randomSalt());
        },
        -1,
        'inclusion',
      ],
      ['a batch seq', (b) => void (b.events[5].anchor!.batch = b.events[5].anchor!.batch + 1000), 6, 'anchor'],
      ['the root', (b) => void (b.events[4].anchor!.root = randomSalt()), 5, 'inclusion'],
      ['the chain id', (b) => void (b.chain.chainId = 1), null, 'format'],
      ['the contract address', (b) => void (b.chain.contract = '0x000000000000000000000000000000000000dead' as Hex), null, 'format'],
      ['a deleted middle event', (b) => void b.events.splice(2, 1), 4, 'chain-link'],
      ['two reordered events', (b) => void ([b.events[3], b.events[4]] = [b.events[4], b.events[3]]), 5, 'chain-link'],
      ['an appended forged event', forge, 7, 'anchor'],
    ];

    it.each(cases)('exits 1 naming the event and step when %s is tampered with', async (_what, tamper, seq, step) => {
      const tampered = clone(exported);
      tamper(tampered);
      // A proof element: the event whose proof was changed is the one named.
      const expectedSeq =
        seq === -1
          ? tampered.events.find((e, i) => JSON.stringify(e.anchor) !== JSON.stringify(exported.events[i].anchor))!.record.seq
          : seq;
      const path = file(`tampered-${step}-${String(seq)}-${randomSalt().slice(2, 8)}.json`, tampered);
      const json = await runCli(['verify', path, '--rpc', chain.rpcUrl, '--contract', contract, '--json']);
      expect(json.code).toBe(1);
      const data = JSON.parse(json.stdout);
      expect(data.verdict).toBe('invalid');
      expect(data.failure).toMatchObject({ step, seq: expectedSeq });
      const human = await runCli(['verify', path, '--rpc', chain.rpcUrl, '--contract', contract]);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(expectedSeq === null ? 'INVALID: the bundle fails step' : `INVALID: event seq ${expectedSeq} `);
      expect(human.stdout).toContain(`"${step}"`);
    });
  });

  describe('pending events', () => {
    it('a bundle exported while events are pending verifies as pending (exit 4); after anchoring a fresh export verifies (exit 0)', async () => {
      // Stop mining so the next batch's anchoring transaction waits in the mempool.
      await chain.provider.send('evm_setAutomine', [false]);
      let pendingOrder: string;
      try {
        pendingOrder = await createOrder([{ type: 'paid' }]);
        const pendingPath = join(dir, 'pending.json');
        const exported = await runCli(['export', pendingOrder, '--api', t.baseUrl, '--key', brand.key, '-o', pendingPath]);
        expect(exported.code).toBe(0);
        expect(exported.stdout).toMatch(/0 anchored, 2 pending/);
        const pending = await runCli(['verify', pendingPath, '--rpc', chain.rpcUrl, '--contract', contract]);
        expect(pending.code).toBe(4);
        expect(pending.stdout).toMatch(/^PENDING: /m);
      } finally {
        await chain.provider.send('evm_setAutomine', [true]);
      }
      await chain.provider.send('evm_mine', []);
      await waitFor('the pending order anchored', allAnchored, 90_000, 100);
      const freshPath = join(dir, 'fresh.json');
      expect((await runCli(['export', pendingOrder!, '--api', t.baseUrl, '--key', brand.key, '-o', freshPath])).code).toBe(0);
      const fresh = await runCli(['verify', freshPath, '--rpc', chain.rpcUrl, '--contract', contract]);
      expect(fresh.code).toBe(0);
    });
  });

  describe('GET /v1/orders/{id}/evidence.pdf', () => {
    it('returns the evidence report with the verification at export time', async () => {
      const res = await t.http
        .get(`/v1/orders/${orderId}/evidence.pdf?disclose=shippingAddress`)
        .set(brand.auth)
        .buffer(true)
        .parse(binaryBody)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${orderId}-evidence.pdf"`);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(pdf);
      expect(text).toContain('ordertrace evidence report');
      expect(text).toContain(orderId);
      expect(text).toMatch(/VERIFIED/);
      expect(text).toContain('Nanjing Road');
      expect(text).toContain('JD014600004512');
      expect(text).toContain('npx ordertrace verify bundle.json');
      for (const type of ['created', 'paid', 'packed', 'shipped', 'delivered', 'received']) expect(text).toContain(type);
      await t.http.get(`/v1/orders/${orderId}/evidence.pdf`).set(other.auth).expect(404);
    });

    it('is the same report as ordertrace report', async () => {
      const bundlePath = file('for-report.json', (await t.http.get(`/v1/orders/${orderId}/bundle`).set(brand.auth)).body);
      const out = join(dir, 'cli-report.pdf');
      const run = await runCli(['report', bundlePath, '-o', out, '--rpc', chain.rpcUrl, '--contract', contract]);
      expect(run.code).toBe(0);
      const text = await pdfText(readFileSync(out));
      expect(text).toContain('ordertrace evidence report');
      expect(text).toMatch(/VERIFIED/);
    });
  });

  describe('ordertrace audit', () => {
    const audit = (...extra: string[]) => runCli(['audit', '--database-url', t.database!.url, '--rpc', chain.rpcUrl, '--json', ...extra]);

    it('finds a clean database clean: exit 0, contract from the database', async () => {
      await waitFor('all anchored', allAnchored, 60_000, 100);
      const run = await audit();
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code).toBe(0);
      const data = JSON.parse(run.stdout);
      expect(data).toMatchObject({ chainId: 31337, contract, contractSource: 'database', discrepancyCount: 0, discrepancies: [] });
      expect(data.events).toBeGreaterThanOrEqual(108);
      expect(run.stderr).toMatch(/events: \d+ in \d+ orders checked/);
    });

    it('names exactly the order and seq whose record was edited in SQL', async () => {
      const [row] = await t.database!.query<{ record: string }>(`SELECT record FROM events WHERE order_id = $1 AND seq = 4`, [orderId]);
      try {
        await t.database!.query(
          `UPDATE events SET record = replace(record, '"carrier":"DHL"', '"carrier":"UPS"') WHERE order_id = $1 AND seq = 4`,
          [orderId],
        );
        const run = await audit();
        expect(run.code).toBe(1);
        const data = JSON.parse(run.stdout);
        const [{ batch_seq: batch }] = await t.database!.query<{ batch_seq: number }>(
          `SELECT batch_seq FROM events WHERE order_id = $1 AND seq = 4`,
          [orderId],
        );
        expect(
          data.discrepancies.map((d: { order?: string; seq?: number; batch?: number; code: string }) => [d.order, d.seq, d.batch, d.code]),
        ).toEqual([[orderId, 4, batch, 'LEAF_MISMATCH']]);
        const human = await runCli(['audit', '--database-url', t.database!.url, '--rpc', chain.rpcUrl]);
        expect(human.code).toBe(1);
        expect(human.stdout).toMatch(new RegExp(`^${orderId}\\s+4\\s+${batch}\\s+LEAF_MISMATCH`, 'm'));
        expect(human.stdout).toMatch(/^DISCREPANCIES: 1 found/m);
      } finally {
        await t.database!.query(`UPDATE events SET record = $2 WHERE order_id = $1 AND seq = 4`, [orderId, row.record]);
      }
    });

    it('names exactly the batch whose root was edited', async () => {
      const [{ batch_seq: batch }] = await t.database!.query<{ batch_seq: number }>(
        `SELECT batch_seq FROM events WHERE order_id = $1 AND seq = 2`,
        [orderId],
      );
      const [{ root }] = await t.database!.query<{ root: string }>(`SELECT root FROM batches WHERE seq = $1`, [batch]);
      try {
        await t.database!.query(`UPDATE batches SET root = $2 WHERE seq = $1`, [batch, randomSalt()]);
        const run = await audit();
        expect(run.code).toBe(1);
        const data = JSON.parse(run.stdout);
        const named = new Set(data.discrepancies.map((d: { batch?: number; order?: string }) => `${d.batch}/${d.order}`));
        expect([...named]).toEqual([`${batch}/undefined`]);
        expect(data.discrepancies.map((d: { code: string }) => d.code).sort()).toEqual(['BATCH_ROOT_MISMATCH', 'CHAIN_ROOT_MISMATCH']);
      } finally {
        await t.database!.query(`UPDATE batches SET root = $2 WHERE seq = $1`, [batch, root]);
      }
    });

    it('audits one brand only with --brand', async () => {
      const run = await audit('--brand', other.slug);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ brand: other.slug, events: 0, orders: 0 });
      const unknown = await audit('--brand', 'no-such-brand');
      expect(unknown.code).toBe(2);
    });

    it('exits 3 when the chain is unreachable', async () => {
      const run = await runCli(['audit', '--database-url', t.database!.url, '--rpc', 'http://127.0.0.1:9', '--timeout', '3']);
      expect(run.code).toBe(3);
    });
  });
});
