/**
 * What ingest stores, read back from the raw rows of real PostgreSQL: gap-free seqs under
 * concurrency, leaves that recompute from the stored record text with the proof core, a valid
 * hash chain, and private values present only as commitments and ciphertext.
 */
import type { Hex } from '../../proof/bytes';
import type { Bundle } from '../../proof/bundle';
import { canonicalJson } from '../../proof/canonical';
import type { ChainReader } from '../../proof/chain-reader';
import { commitment, GENESIS_PREV, leafHashOfCanonical } from '../../proof/hashes';
import { assertEventRecord, type EventRecord } from '../../proof/record';
import { verifyBundle } from '../../proof/verify';
import { OrdersService } from '../../server/orders/orders.service';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

let t: TestApp;
let brand: TestBrand;

beforeAll(async () => {
  t = await startTestApp();
  brand = await createBrand(t, 'acme');
});

afterAll(async () => {
  await t?.close();
});

interface EventRow {
  id: string;
  order_id: string;
  seq: number;
  type: string;
  record: string;
  leaf: string;
  sealed_private: Buffer | null;
  batch_seq: number | null;
}

function rawEvents(orderId: string): Promise<EventRow[]> {
  return t.database!.query<EventRow>(`SELECT * FROM events WHERE order_id = $1 ORDER BY seq`, [orderId]);
}

/** Checks the stored chain with the proof core alone; returns the parsed records. */
function expectValidChain(rows: EventRow[], orderId: string): EventRecord[] {
  const records: EventRecord[] = [];
  rows.forEach((row, i) => {
    const record: unknown = JSON.parse(row.record);
    assertEventRecord(record);
    // The stored text is exactly the canonical form, and the leaf hashes exactly those bytes.
    expect(canonicalJson(record)).toBe(row.record);
    expect(leafHashOfCanonical(row.record)).toBe(row.leaf);
    expect(record).toMatchObject({ v: 1, brand: 'acme', order: orderId, seq: i + 1, type: row.type });
    expect(row.seq).toBe(i + 1);
    expect(record.prev).toBe(i === 0 ? GENESIS_PREV : rows[i - 1].leaf);
    records.push(record);
  });
  return records;
}

/** A chain reader for bundles whose events are all still pending: only the chain id is asked. */
const pendingOnlyReader: ChainReader = {
  getChainId: async () => 31337,
  getBlockNumber: async () => 0,
  getBatchRoot: async () => {
    throw new Error('no batch is anchored in this test');
  },
  getTransactionReceipt: async () => null,
};

describe('event ingest', () => {
  it('gives 50 concurrent appends to one order seqs 2..51 and a valid hash chain', async () => {
    const order = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'CONC-1' }).expect(201);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post(`/v1/orders/${order.body.id}/events`)
          .set(brand.auth)
          .send({ type: 'address_changed', data: { n: i }, sealed: { note: `note ${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(responses.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));

    const rows = await rawEvents(order.body.id);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    const records = expectValidChain(rows, order.body.id);
    expect(new Set(records.map((r) => (r.data as { n?: number }).n)).size).toBe(51); // 50 distinct + created's undefined
    const head = await t.database!.query<{ last_seq: number; last_leaf: string; status: string }>(
      `SELECT last_seq, last_leaf, status FROM orders WHERE id = $1`,
      [order.body.id],
    );
    expect(head[0]).toEqual({ last_seq: 51, last_leaf: rows[50].leaf, status: 'created' });
  });

  it('keeps each order its own chain when many orders ingest at once', async () => {
    const orders = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.http
          .post('/v1/orders')
          .set(brand.auth)
          .send({ reference: `PAR-${i}` })
          .expect(201),
      ),
    );
    for (const type of ['paid', 'packed', 'shipped']) {
      await Promise.all(orders.map((o) => t.http.post(`/v1/orders/${o.body.id}/events`).set(brand.auth).send({ type }).expect(201)));
    }
    for (const o of orders) {
      const rows = await rawEvents(o.body.id);
      expect(rows.map((r) => r.type)).toEqual(['created', 'paid', 'packed', 'shipped']);
      expectValidChain(rows, o.body.id);
    }
  });

  it('stores private values only as commitments and ciphertext, disclosable with the proof core', async () => {
    const secrets = {
      email: 'secret.jane.1f9a@example.com',
      street: 'Geheimweg 77b',
      phone: '+49 30 55501999',
      note: 'TOPSECRET-4471-NOTE',
      price: '12345.67',
    };
    const order = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({
        reference: 'PRIV-1',
        data: { channel: 'web' },
        lineItems: [{ sku: 'SKU-PRIV', quantity: 1, unitPrice: secrets.price, currency: 'EUR' }],
        customer: { name: 'Jane Secret', email: secrets.email, phone: secrets.phone },
        shippingAddress: { line1: secrets.street, city: 'Berlin', country: 'DE' },
        sealed: { giftNote: secrets.note },
      })
      .expect(201);
    await t.http
      .post(`/v1/orders/${order.body.id}/events`)
      .set(brand.auth)
      .send({ type: 'address_changed', sealed: { shippingAddress: { line1: `${secrets.street} (rear)`, city: 'Berlin', country: 'DE' } } })
      .expect(201);

    // Every row of every table, as text and with bytea also read as UTF-8 and Latin-1.
    const tables = await t.database!.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(['orders', 'events', 'idempotency_keys']));
    let dump = '';
    for (const { table_name } of tables) {
      for (const row of await t.database!.query<Record<string, unknown>>(`SELECT * FROM "${table_name}"`)) {
        for (const value of Object.values(row)) {
          if (Buffer.isBuffer(value)) dump += `${value.toString('utf8')}\n${value.toString('latin1')}\n${value.toString('hex')}\n`;
          else dump += `${JSON.stringify(value)}\n`;
        }
      }
    }
    expect(dump).toContain(order.body.id); // the dump did read the order
    for (const secret of [...Object.values(secrets), 'Jane Secret']) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString('hex'));
    }

    // The ciphertext holds values and salts that open every commitment, and a bundle with them verifies.
    const events = t.app.get(OrdersService);
    const rows = await rawEvents(order.body.id);
    const [keyRow] = await t.database!.query<{ wrapped_key: Buffer; data_key_id: string }>(
      `SELECT wrapped_key, data_key_id FROM orders WHERE id = $1`,
      [order.body.id],
    );
    const wrappedKey = { wrapped: keyRow.wrapped_key, dataKeyId: keyRow.data_key_id };
    const bundle: Bundle = {
      format: 'ordertrace-bundle/1',
      chain: { chainId: 31337, contract: `0x${'11'.repeat(20)}` },
      order: order.body.id,
      brand: 'acme',
      events: rows.map((row) => {
        const record = JSON.parse(row.record) as EventRecord;
        const disclosed = events.sealedFieldsOpener(row.order_id, wrappedKey)({ seq: row.seq, sealedPrivate: row.sealed_private });
        expect(Object.keys(disclosed).sort()).toEqual(Object.keys(record.sealed).sort());
        for (const [name, { value, salt }] of Object.entries(disclosed)) {
          expect(commitment(name, value, salt)).toBe(record.sealed[name]);
        }
        return { record, leaf: row.leaf as Hex, disclosed, anchor: null };
      }),
    };
    const disclosedCreated = bundle.events[0].disclosed!;
    expect(disclosedCreated.customer.value).toEqual({ name: 'Jane Secret', email: secrets.email, phone: secrets.phone });
    expect(disclosedCreated.lineItems.value).toEqual([{ sku: 'SKU-PRIV', quantity: 1, unitPrice: secrets.price, currency: 'EUR' }]);
    expect(disclosedCreated.giftNote.value).toBe(secrets.note);
    const result = await verifyBundle(bundle, pendingOnlyReader);
    expect(result.failure).toBeUndefined();
    expect(result.verdict).toBe('pending');

    // Ciphertext bound to its event: moved to another seq it does not open.
    expect(() => events.sealedFieldsOpener(rows[1].order_id, wrappedKey)({ seq: 1, sealedPrivate: rows[1].sealed_private })).toThrow();
  });

  it('keeps a public-only event free of ciphertext', async () => {
    const order = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'PUB-1', data: { gift: false } })
      .expect(201);
    const rows = await rawEvents(order.body.id);
    expect(rows[0].sealed_private).toBeNull();
    expect(JSON.parse(rows[0].record).sealed).toEqual({});
    // Its batch is named when it is stored; the batch itself is not sealed yet.
    expect(rows[0].batch_seq).toBe(1);
  });

  it('appends through OrdersService for other modules, with the brand taken from the order', async () => {
    const order = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'SVC-1' }).expect(201);
    const events = t.app.get(OrdersService);
    for (const type of ['paid', 'packed', 'shipped'] as const) await events.appendEvent({ orderId: order.body.id }, 'operator', { type });
    const received = await events.appendEvent({ orderId: order.body.id }, 'consumer', { type: 'received', data: { via: 'qr' } });
    expect(received).toMatchObject({
      seq: 5,
      type: 'received',
      record: { brand: 'acme', data: { via: 'qr', 'ordertrace:source': 'consumer' } },
    });
    await expect(events.appendEvent({ orderId: order.body.id }, 'consumer', { type: 'received' })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      extensions: { currentState: 'received' },
    });
    await expect(events.appendEvent({ orderId: 'ord_missing' }, 'operator', { type: 'paid' })).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
    expectValidChain(await rawEvents(order.body.id), order.body.id);
  });
});
