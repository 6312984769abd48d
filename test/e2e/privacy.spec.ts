/**
 * Personal data end to end on PostgreSQL and a real chain: private fields under a key per order,
 * erasure by crypto-shredding (copies of the ciphertext stop opening, every bundle still verifies,
 * a raw scan of every table finds the value nowhere), data key rotation (re-wrap, read back, the
 * earlier key no longer needed) and consumer links that outlive a rotation.
 */
import { SYSTEM_ORIGIN } from '../../server/audit-trail/audit-origin';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '../../proof/bundle';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { verifyBundle } from '../../proof/verify';
import { dataKeyId } from '../../server/config/data-key-ring';
import { OrderLinksService } from '../../server/order-links/order-links.service';
import { OrdersService } from '../../server/orders/orders.service';
import { waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, startTestApp, type TestApp, type TestBrand } from '../support/app';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(180_000);

const K1 = randomBytes(32).toString('hex');
const K2 = randomBytes(32).toString('hex');
const ERASED_VALUE = `ERASE-ME-${randomBytes(6).toString('hex')}`;
const KEPT_VALUE = `KEEP-ME-${randomBytes(6).toString('hex')}`;
const LEGACY_VALUE = `LEGACY-${randomBytes(6).toString('hex')}`;

/** Every row of every table of the database, each column cast to text (bytea as its hex escape). */
async function rawScan(db: TestDatabase): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  let dump = '';
  for (const { table_name } of tables) {
    const columns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table_name],
    );
    const select = columns.map((c) => `"${c.column_name}"::text`).join(', ');
    for (const row of await db.query<Record<string, string | null>>(`SELECT ${select} FROM "${table_name}"`)) {
      dump += `${Object.values(row).join('\u0001')}\n`;
    }
  }
  return dump;
}

/** Whether `value` is in the dump as text, or as the hex of its UTF-8 (how bytea is cast to text). */
function holds(dump: string, value: string): boolean {
  return dump.includes(value) || dump.includes(Buffer.from(value, 'utf8').toString('hex'));
}

/** Webhook endpoints on 127.0.0.1 over http, which tests may register. */
const WEBHOOKS_ON_LOOPBACK = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'true' };

describe('private fields: erasure, data key rotation and links', () => {
  let running: AnchoringTestApp;
  let t: TestApp;
  let db: TestDatabase;
  let admin: TestBrand;
  let erasedOrder: string;
  let keptOrder: string;
  let keptToken: string;
  let copied: { seq: number; sealed_private: Buffer }[];
  let webhookId: string;

  const bundle = async (app: TestApp, brand: TestBrand, orderId: string, disclose = 'all'): Promise<Bundle> =>
    (await app.http.get(`/v1/orders/${orderId}/bundle`).query({ disclose }).set(brand.auth).expect(200)).body as Bundle;

  const verify = (b: Bundle) => verifyBundle(b, new JsonRpcChainReader(running.chain.rpcUrl));

  beforeAll(async () => {
    // The test's own database: the service restarts on it with other data keys.
    db = await createTestDatabase();
    running = await startAnchoringTestApp({ ORDERTRACE_DATA_KEY: K1, ...WEBHOOKS_ON_LOOPBACK }, { database: db });
    t = running.t;
    admin = await createBrand(t, 'acme', ['brand:admin', 'brand:write', 'brand:read']);
    // A webhook secret, stored encrypted under K1's era: it must keep signing after the rotation.
    webhookId = (
      await t.http
        .post('/v1/webhooks')
        .set(admin.auth)
        .send({ url: 'http://127.0.0.1:9/hook', types: ['anchoring.stalled'] })
        .expect(201)
    ).body.id as string;
    const create = async (reference: string, value: string): Promise<string> => {
      const order = await t.http
        .post('/v1/orders')
        .set(admin.auth)
        .send({ reference, data: { channel: 'web' }, customer: { name: value, email: 'x@example.com' }, sealed: { note: value } })
        .expect(201);
      await t.http.post(`/v1/orders/${order.body.id}/events`).set(admin.auth).send({ type: 'paid' }).expect(201);
      await t.http
        .post(`/v1/orders/${order.body.id}/events`)
        .set(admin.auth)
        .send({ type: 'address_changed', sealed: { shippingAddress: { line1: `${value} street`, city: 'Berlin' } } })
        .expect(201);
      return order.body.id as string;
    };
    erasedOrder = await create('PRIV-ERASE', ERASED_VALUE);
    keptOrder = await create('PRIV-KEEP', KEPT_VALUE);
    const link = await t.http.post(`/v1/orders/${keptOrder}/qr`).set(admin.auth).expect(201);
    keptToken = new URLSearchParams(new URL(link.body.url as string).hash.slice(1)).get('t')!;
    await waitFor(
      'all events anchored',
      async () => {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq AND b.status = 'confirmed')`,
        );
        return row.n === 0;
      },
      90_000,
      200,
    );
  });

  afterAll(async () => {
    await running?.close();
    await db?.drop();
  });

  it('stores private values only as ciphertext under a wrapped key of their order', async () => {
    const dump = await rawScan(db);
    expect(dump).toContain(erasedOrder); // the scan did read the orders
    expect(holds(dump, ERASED_VALUE)).toBe(false);
    expect(holds(dump, KEPT_VALUE)).toBe(false);
    const keys = await db.query<{ id: string; wrapped_key: Buffer | null; data_key_id: string }>(
      `SELECT id, wrapped_key, data_key_id FROM orders`,
    );
    expect(keys.every((k) => k.wrapped_key !== null && k.data_key_id === dataKeyId(Buffer.from(K1, 'hex')))).toBe(true);
    const opened = await bundle(t, admin, erasedOrder);
    expect(opened.events[0].disclosed!.note.value).toBe(ERASED_VALUE);
    expect(opened.events[2].disclosed!.shippingAddress.value).toEqual({ line1: `${ERASED_VALUE} street`, city: 'Berlin' });
    expect((await verify(opened)).verdict).toBe('verified');
  });

  it('erases an order for a brand admin only, once, and 404s an unknown order', async () => {
    copied = await db.query(`SELECT seq, sealed_private FROM events WHERE order_id = $1 AND sealed_private IS NOT NULL ORDER BY seq`, [
      erasedOrder,
    ]);
    expect(copied.map((c) => c.seq)).toEqual([1, 3]);

    const plain = await createBrand(t, 'plain', ['brand:write', 'brand:read']);
    const orderOfPlain = await t.http.post('/v1/orders').set(plain.auth).send({ reference: 'P-1' }).expect(201);
    const denied = await t.http.post(`/v1/orders/${orderOfPlain.body.id}/erase`).set(plain.auth).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    // Another brand's order is not there for this key.
    await t.http.post(`/v1/orders/${orderOfPlain.body.id}/erase`).set(admin.auth).expect(404);
    await t.http.post('/v1/orders/ord_00000000000000000000000000/erase').set(admin.auth).expect(404);

    const erased = await t.http.post(`/v1/orders/${erasedOrder}/erase`).set(admin.auth).expect(200);
    expect(erased.body).toEqual({
      order: erasedOrder,
      erasedAt: expect.any(String),
      erasedFields: ['customer', 'note', 'shippingAddress'],
    });
    const again = await t.http.post(`/v1/orders/${erasedOrder}/erase`).set(admin.auth).expect(200);
    expect(again.body).toEqual(erased.body);
    const order = await t.http.get(`/v1/orders/${erasedOrder}`).set(admin.auth).expect(200);
    expect(order.body.erasedAt).toBe(erased.body.erasedAt);
    const kept = await t.http.get(`/v1/orders/${keptOrder}`).set(admin.auth).expect(200);
    expect(kept.body.erasedAt).toBeNull();
  });

  it('leaves ciphertext copied before the erasure unopenable, and the value nowhere in the database', async () => {
    const [row] = await db.query<{ wrapped_key: Buffer | null; data_key_id: string | null }>(
      `SELECT wrapped_key, data_key_id FROM orders WHERE id = $1`,
      [erasedOrder],
    );
    expect(row).toEqual({ wrapped_key: null, data_key_id: null });
    const orders = t.app.get(OrdersService);
    for (const c of copied) {
      expect(() => orders.sealedFieldsOpener(erasedOrder, null)({ seq: c.seq, sealedPrivate: c.sealed_private })).toThrow(/order's key/);
    }
    const dump = await rawScan(db);
    expect(holds(dump, ERASED_VALUE)).toBe(false);
    for (const c of copied) expect(dump).not.toContain(c.sealed_private.toString('hex'));
    const left = await db.query(`SELECT seq FROM events WHERE order_id = $1 AND sealed_private IS NOT NULL`, [erasedOrder]);
    expect(left).toEqual([]);
  });

  it('still exports a bundle of the erased order that verifies, saying which fields were erased', async () => {
    const after = await bundle(t, admin, erasedOrder);
    expect(after.events.map((e) => e.disclosed)).toEqual([undefined, undefined, undefined]);
    expect(after.events.map((e) => e.erased)).toEqual([['customer', 'note'], undefined, ['shippingAddress']]);
    // The commitments stay in the records as hashed.
    expect(Object.keys(after.events[0].record.sealed).sort()).toEqual(['customer', 'note']);
    const result = await verify(after);
    expect(result.failure).toBeUndefined();
    expect(result.verdict).toBe('verified');

    // The CLI's export says so too.
    const dir = mkdtempSync(join(tmpdir(), 'ordertrace-privacy-'));
    try {
      const out = join(dir, 'erased.json');
      const run = await runCli(['export', erasedOrder, '--api', t.baseUrl, '--key', admin.key, '--disclose', 'all', '-o', out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('erased by the issuer: customer, note, shippingAddress');
      const verified = await runCli(['verify', out, '--rpc', running.chain.rpcUrl, '--contract', running.contract]);
      expect(verified.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses new private fields for an erased order, and takes events without them', async () => {
    const refused = await t.http
      .post(`/v1/orders/${erasedOrder}/events`)
      .set(admin.auth)
      .send({ type: 'address_changed', sealed: { shippingAddress: 'new' } })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'ORDER_ERASED', field: 'sealed' });
    await t.http.post(`/v1/orders/${erasedOrder}/events`).set(admin.auth).send({ type: 'packed' }).expect(201);
  });

  it('rotates the data key: re-wraps every key, reads back private fields, then needs the earlier key no more', async () => {
    await running.t.close(); // the database stays: it is the test's own
    const restart = (env: Record<string, string>) =>
      startTestApp({
        database: db,
        env: { ORDERTRACE_ANCHORING: 'off', CHAIN_RPC_URL: running.chain.rpcUrl, ...WEBHOOKS_ON_LOOPBACK, ...env },
      });

    // An order stored before per-order keys: its values encrypted with the data key itself (format 1).
    const legacySealed = (orderId: string, seq: number, secrets: object, dataKey = K1): Buffer => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(dataKey, 'hex'), iv);
      cipher.setAAD(Buffer.from(`ordertrace-sealed/1\n${orderId}\n${seq}`, 'utf8'));
      const ct = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ct]);
    };
    const [legacyEvent] = await db.query<{ record: string }>(`SELECT record FROM events WHERE order_id = $1 AND seq = 1`, [keptOrder]);
    const record = JSON.parse(legacyEvent.record) as { sealed: Record<string, string> };
    expect(Object.keys(record.sealed).sort()).toEqual(['customer', 'note']);

    let app = await restart({ ORDERTRACE_DATA_KEY: K2, ORDERTRACE_DATA_KEY_PREVIOUS: K1 });
    try {
      // Until the rotation, keys under K1 open through the earlier key.
      expect((await bundle(app, admin, keptOrder)).events[0].disclosed!.note.value).toBe(KEPT_VALUE);
      const legacy = await app.http.post('/v1/orders').set(admin.auth).send({ reference: 'LEGACY-1' }).expect(201);
      const legacyId = legacy.body.id as string;
      await db.query(`UPDATE orders SET wrapped_key = NULL, data_key_id = NULL WHERE id = $1`, [legacyId]);
      // A format-1 ciphertext of a field the record does not commit to is enough to show it being moved.
      await db.query(`UPDATE events SET sealed_private = $2 WHERE order_id = $1 AND seq = 1`, [
        legacyId,
        legacySealed(legacyId, 1, { legacyNote: { value: LEGACY_VALUE, salt: `0x${'00'.repeat(32)}` } }),
      ]);

      const rotated = await app.http
        .post('/v1/admin/data-key/rotate')
        .set({ Authorization: `Bearer ${app.adminToken}` })
        .expect(200);
      expect(rotated.body).toEqual({
        dataKeyId: dataKeyId(Buffer.from(K2, 'hex')),
        orderKeysRewrapped: 1, // the kept order; the plain brand's order has no private field and so no key, the erased one none, LEGACY-1 gets one under K2
        serviceKeysRewrapped: 3, // the link token key, the webhook secrets key and the contact blind index key
        eventsMovedUnderOrderKeys: 1,
        eventsUnderUnknownDataKeys: 0,
        unknownDataKeys: [],
      });
      const byKey = await db.query<{ data_key_id: string | null; n: number }>(
        `SELECT data_key_id, count(*)::int AS n FROM orders GROUP BY data_key_id ORDER BY data_key_id`,
      );
      // Every key is under K2 now; the erased order and the plain brand's order (no private field) have none.
      expect(byKey).toEqual([
        { data_key_id: dataKeyId(Buffer.from(K2, 'hex')), n: 2 },
        { data_key_id: null, n: 2 },
      ]);
      const [service] = await db.query<{ data_key_id: string }>(`SELECT data_key_id FROM service_keys`);
      expect(service.data_key_id).toBe(dataKeyId(Buffer.from(K2, 'hex')));
      const again = await app.http
        .post('/v1/admin/data-key/rotate')
        .set({ Authorization: `Bearer ${app.adminToken}` })
        .expect(200);
      expect(again.body).toMatchObject({ orderKeysRewrapped: 0, serviceKeysRewrapped: 0, eventsMovedUnderOrderKeys: 0 });
      await app.http.post('/v1/admin/data-key/rotate').set(admin.auth).expect(403);
    } finally {
      await app.close();
    }

    // K1 is gone from the configuration: everything still opens.
    app = await restart({ ORDERTRACE_DATA_KEY: K2 });
    try {
      const kept = await bundle(app, admin, keptOrder);
      expect(kept.events[0].disclosed!.note.value).toBe(KEPT_VALUE);
      expect(kept.events[2].disclosed!.shippingAddress.value).toEqual({ line1: `${KEPT_VALUE} street`, city: 'Berlin' });
      expect((await verify(kept)).verdict).toBe('verified');
      const [legacyRow] = await db.query<{ id: string; sealed_private: Buffer }>(
        `SELECT o.id, e.sealed_private FROM orders o JOIN events e ON e.order_id = o.id WHERE o.reference = 'LEGACY-1'`,
      );
      expect(legacyRow.sealed_private[0]).toBe(2);
      const wrapped = await db.query<{ wrapped_key: Buffer; data_key_id: string }>(
        `SELECT wrapped_key, data_key_id FROM orders WHERE id = $1`,
        [legacyRow.id],
      );
      const opened = app.app.get(OrdersService).sealedFieldsOpener(legacyRow.id, {
        wrapped: wrapped[0].wrapped_key,
        dataKeyId: wrapped[0].data_key_id,
      })({ seq: 1, sealedPrivate: legacyRow.sealed_private });
      expect(opened.legacyNote.value).toBe(LEGACY_VALUE);

      // The webhook secret stored before the rotation still opens: rotating it reads the old one.
      await app.http.post(`/v1/webhooks/${webhookId}/rotate-secret`).set(admin.auth).send({}).expect(200);

      // The link printed before the rotation still opens its order, and printing it again gives the same token.
      await app.http.get(`/public/orders/${keptOrder}`).set('X-Order-Token', keptToken).expect(200);
      const current = await app.app
        .get(OrderLinksService)
        .current(
          { brandId: admin.id, brandSlug: admin.slug, keyId: admin.keyId, roles: ['brand:admin', 'brand:write', 'brand:read'] },
          SYSTEM_ORIGIN,
          keptOrder,
        );
      expect(new URLSearchParams(new URL(current).hash.slice(1)).get('t')).toBe(keptToken);

      // Values under a data key nobody configured are counted and left as they are, not a failed rotation.
      const lost = await app.http.post('/v1/orders').set(admin.auth).send({ reference: 'LOST-1' }).expect(201);
      await db.query(`UPDATE events SET sealed_private = $2 WHERE order_id = $1 AND seq = 1`, [
        lost.body.id,
        legacySealed(lost.body.id as string, 1, { x: { value: 1, salt: `0x${'00'.repeat(32)}` } }, randomBytes(32).toString('hex')),
      ]);
      const partial = await app.http
        .post('/v1/admin/data-key/rotate')
        .set({ Authorization: `Bearer ${app.adminToken}` })
        .expect(200);
      expect(partial.body).toMatchObject({ eventsMovedUnderOrderKeys: 0, eventsUnderUnknownDataKeys: 1 });

      // The erased order's bundle is unchanged by the rotation, and verifies.
      const erased = await bundle(app, admin, erasedOrder);
      expect(erased.events[0].erased).toEqual(['customer', 'note']);
      // The `packed` event taken after the erasure was never anchored (anchoring is off here): pending, not invalid.
      const result = await verify(erased);
      expect(result.failure).toBeUndefined();
      expect(result.verdict).toBe('pending');
    } finally {
      await app.close();
    }

    // A data key that wraps none of the service's keys (a lost or mixed-up key) is refused at start, naming the key missing.
    await expect(restart({ ORDERTRACE_DATA_KEY: randomBytes(32).toString('hex') })).rejects.toThrow(
      new RegExp(`data key ${dataKeyId(Buffer.from(K2, 'hex'))}, which is not configured`),
    );
  });
});
