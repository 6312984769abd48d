/**
 * Bad input of every kind gets a 4xx RFC 9457 problem naming the field, and writes nothing.
 */
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

const PROBLEM = /^application\/problem\+json/;
const BODY_LIMIT = 64 * 1024;

let t: TestApp;
let brand: TestBrand;
let orderId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BODY_LIMIT: String(BODY_LIMIT) } });
  brand = await createBrand(t, 'acme');
  const order = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'BASE-1' }).expect(201);
  orderId = order.body.id;
});

afterAll(async () => {
  await t?.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  const rows = await t.database!.query<{ orders: string; events: string; keys: string }>(
    `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM idempotency_keys) AS keys`,
  );
  return { orders: Number(rows[0].orders), events: Number(rows[0].events), keys: Number(rows[0].keys) };
}

interface Case {
  name: string;
  path?: 'order' | 'event';
  body: unknown;
  status: number;
  code: string;
  fields?: string[];
}

const validOrder = { reference: 'X-1', lineItems: [{ sku: 'A', quantity: 1, unitPrice: '1.00', currency: 'EUR' }] };

const cases: Case[] = [
  { name: 'malformed JSON', body: '{"reference": "X-1",', status: 400, code: 'MALFORMED_JSON' },
  { name: 'a JSON string instead of an object', body: '"SO-1"', status: 400, code: 'MALFORMED_JSON' },
  { name: 'a JSON array instead of an object', body: '[{"reference":"X-1"}]', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'an empty object', body: {}, status: 400, code: 'VALIDATION_FAILED', fields: ['reference'] },
  { name: 'a number as reference', body: { reference: 42 }, status: 400, code: 'VALIDATION_FAILED', fields: ['reference'] },
  {
    name: 'wrong types in line items',
    body: { reference: 'X-1', lineItems: [{ sku: 'A', quantity: '2', unitPrice: 1.5, currency: 'EURO' }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems[0].quantity', 'lineItems[0].unitPrice', 'lineItems[0].currency'],
  },
  {
    name: 'a zero quantity',
    body: { reference: 'X-1', lineItems: [{ sku: 'A', quantity: 0, unitPrice: '1', currency: 'EUR' }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems[0].quantity'],
  },
  {
    name: 'a fractional quantity',
    body: { reference: 'X-1', lineItems: [{ sku: 'A', quantity: 1.5, unitPrice: '1', currency: 'EUR' }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems[0].quantity'],
  },
  {
    name: 'a negative price',
    body: { reference: 'X-1', lineItems: [{ sku: 'A', quantity: 1, unitPrice: '-1.00', currency: 'EUR' }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems[0].unitPrice'],
  },
  {
    name: 'line items as an object',
    body: { reference: 'X-1', lineItems: { sku: 'A' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems'],
  },
  {
    name: 'an unknown top-level field',
    body: { ...validOrder, discount: 5 },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['discount'],
  },
  {
    name: 'an unknown nested field',
    body: { reference: 'X-1', lineItems: [{ sku: 'A', quantity: 1, unitPrice: '1', currency: 'EUR', color: 'red' }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['lineItems[0].color'],
  },
  {
    name: 'an address without country',
    body: { reference: 'X-1', shippingAddress: { line1: 'a', city: 'b' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['shippingAddress.country'],
  },
  {
    name: 'a bad email',
    body: { reference: 'X-1', customer: { email: 'not-an-email' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['customer.email'],
  },
  {
    name: 'data that is not an object',
    body: { reference: 'X-1', data: [1, 2] },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['data'],
  },
  {
    name: 'a data field name JSON tools trip on',
    body: '{"reference":"X-1","data":{"__proto__":{"x":1}}}',
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'a nested key JSON tools trip on',
    body: '{"reference":"X-1","data":{"a":[{"__proto__":1}]}}',
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'a data field name starting with a digit',
    body: { reference: 'X-1', data: { '1st': true } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['data'],
  },
  {
    name: 'a number JSON cannot hold',
    body: '{"reference":"X-1","data":{"big":1e400}}',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['data.big'],
  },
  {
    name: 'a lone surrogate',
    body: '{"reference":"X-1","sealed":{"note":"\\ud800"}}',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['sealed.note'],
  },
  {
    name: 'a sealed field clashing with a typed one',
    body: { reference: 'X-1', customer: { name: 'A' }, sealed: { customer: 'B' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['sealed.customer'],
  },
  {
    name: 'a time without offset',
    body: { reference: 'X-1', at: '2026-01-01T10:00:00' },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['at'],
  },
  {
    name: 'a time in the future',
    body: { reference: 'X-1', at: '2099-01-01T10:00:00Z' },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['at'],
  },
  { name: 'an unknown event type', path: 'event', body: { type: 'teleported' }, status: 400, code: 'VALIDATION_FAILED', fields: ['type'] },
  { name: 'an event without type', path: 'event', body: { data: { a: 1 } }, status: 400, code: 'VALIDATION_FAILED', fields: ['type'] },
  {
    name: 'an event with an unknown field',
    path: 'event',
    body: { type: 'paid', paidAt: 'now' },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['paidAt'],
  },
  {
    name: 'an event with sealed as a string',
    path: 'event',
    body: { type: 'paid', sealed: 'card' },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['sealed'],
  },
  {
    name: 'an event with a bad sealed name',
    path: 'event',
    body: { type: 'paid', sealed: { 'card number': '4111' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['sealed'],
  },
  { name: 'malformed JSON on an event', path: 'event', body: '{"type":', status: 400, code: 'MALFORMED_JSON' },
  {
    name: 'a reserved data name on an order',
    body: { reference: 'X-1', data: { 'ordertrace:source': 'consumer' } },
    status: 422,
    code: 'RESERVED_FIELD_NAME',
    fields: ['data'],
  },
  {
    name: 'a reserved data name on an event, claiming to be the consumer',
    path: 'event',
    body: { type: 'paid', data: { note: 'x', 'ordertrace:source': 'consumer' } },
    status: 422,
    code: 'RESERVED_FIELD_NAME',
    fields: ['data'],
  },
  {
    name: 'a reserved sealed name on an event',
    path: 'event',
    body: { type: 'paid', sealed: { 'ordertrace:anything': 1 } },
    status: 422,
    code: 'RESERVED_FIELD_NAME',
    fields: ['sealed'],
  },
];

describe('bad input', () => {
  it.each(cases)('answers $name with $status $code and writes nothing', async (c) => {
    const before = await rowCounts();
    const url = c.path === 'event' ? `/v1/orders/${orderId}/events` : '/v1/orders';
    let req = t.http
      .post(url)
      .set(brand.auth)
      .set('Idempotency-Key', `bad-${c.name}`.slice(0, 255).replace(/[^\x21-\x7e]/g, '-'));
    if (typeof c.body === 'string') req = req.set('Content-Type', 'application/json');
    const res = await req.send(c.body as object);
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: c.status, code: c.code, instance: url });
    expect(typeof res.body.type).toBe('string');
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    for (const field of c.fields ?? []) {
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('says which name is reserved and why, also for a bulk item', async () => {
    const res = await t.http
      .post(`/v1/orders/${orderId}/events`)
      .set(brand.auth)
      .send({ type: 'paid', data: { 'ordertrace:source': 'consumer' } })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'data', message: expect.stringContaining('field name "ordertrace:source" is reserved') as unknown },
    ]);
    expect(res.body.detail).toContain('"ordertrace:"');
    const before = await rowCounts();
    const bulk = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({
        items: [
          { event: { order: orderId, type: 'paid', data: { 'ordertrace:source': 'consumer' } } },
          { order: { reference: 'BULK-RES-1', sealed: { 'ordertrace:source': 'x' } } },
        ],
      })
      .expect(200);
    expect(bulk.body.items.map((i: { status: number; problem: { code: string } }) => [i.status, i.problem.code])).toEqual([
      [422, 'RESERVED_FIELD_NAME'],
      [422, 'RESERVED_FIELD_NAME'],
    ]);
    expect(bulk.body.items[0].problem.errors).toEqual([{ field: 'items[0].event.data', message: expect.any(String) as unknown }]);
    expect(bulk.body.items[1].problem.errors).toEqual([{ field: 'items[1].order.sealed', message: expect.any(String) as unknown }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers an oversized body with 413 and writes nothing', async () => {
    const before = await rowCounts();
    const res = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'BIG-1', data: { blob: 'x'.repeat(BODY_LIMIT + 1) } });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await rowCounts()).toEqual(before);
    // Just under the limit is fine.
    await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'BIG-2', data: { blob: 'x'.repeat(BODY_LIMIT - 200) } })
      .expect(201);
  });

  it('refuses a malformed Idempotency-Key naming the header', async () => {
    const res = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .set('Idempotency-Key', 'x'.repeat(256))
      .send({ reference: 'IK-1' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.http.get('/v1/nothing-here').set(brand.auth).expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('request bodies', () => {
  const post = (contentType: string, body: string) => t.http.post('/v1/orders').set(brand.auth).set('Content-Type', contentType).send(body);

  it.each([
    ['a form-encoded body', 'application/x-www-form-urlencoded', 'reference=FORM-1'],
    ['a plain-text body', 'text/plain', '{"reference":"TEXT-1"}'],
    ['JSON in another charset', 'application/json; charset=latin1', '{"reference":"LATIN-1"}'],
  ])('answers %s with a 415 problem and writes nothing', async (_, contentType, body) => {
    const before = await rowCounts();
    const res = await post(contentType, body);
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', instance: '/v1/orders' });
    expect(res.body.type).not.toBe('about:blank');
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['an escaped __proto__ key', '{"reference":"P-1","data":{"\\u005f_proto__":{"x":1}}}', '__proto__'],
    ['a constructor key', '{"reference":"P-2","data":{"constructor":"Ada & Co"}}', 'constructor'],
    ['a prototype key', '{"reference":"P-3","sealed":{"a":{"prototype":true}}}', 'prototype'],
  ])('refuses %s as malformed JSON naming the key', async (_, body, key) => {
    const before = await rowCounts();
    const res = await post('application/json', body).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(res.body.detail).toContain(`"${key}"`);
    expect(await rowCounts()).toEqual(before);
  });

  it.each(['gzip', 'br', 'deflate, gzip'])(
    'answers Content-Encoding %s with a 415 problem, even when the body is plain JSON',
    async (encoding) => {
      const before = await rowCounts();
      const res = await post('application/json', '{"reference":"GZ-1"}').set('Content-Encoding', encoding).expect(415);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('accepts a structured +json type with a UTF-8 charset', async () => {
    const res = await post('application/vnd.ordertrace+json; charset=UTF-8', '{"reference":"PLUS-1","data":{"maker":"Ada & Co"}}').expect(
      201,
    );
    const got = await t.http.get(`/v1/orders/${res.body.id}`).set(brand.auth).expect(200);
    expect(JSON.stringify(got.body)).toContain('Ada & Co');
  });

  it('answers the size limit with a typed 413 problem', async () => {
    const res = await post('application/json', JSON.stringify({ reference: 'BIG-3', data: { blob: 'y'.repeat(BODY_LIMIT) } })).expect(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', type: expect.stringMatching(/payload-too-large|PAYLOAD_TOO_LARGE/i) });
  });
});

describe('health and docs', () => {
  it('reports liveness and readiness without auth', async () => {
    await t.http.get('/healthz').expect(200, { status: 'ok' });
    const ready = await t.http.get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'up', reasons: [], warnings: [] });
  });

  it('serves the OpenAPI document with the order routes', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/orders',
        '/v1/orders/{id}',
        '/v1/orders/{id}/events',
        '/v1/brands',
        '/v1/brands/{id}/keys',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(res.body.components.schemas.CreateOrderDto.properties).toHaveProperty('lineItems');
    await t.http.get('/docs').expect(200);
  });
});

describe('hardened input', () => {
  const send = (url: string, body: string) => t.http.post(url).set(brand.auth).set('Content-Type', 'application/json').send(body);
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  it.each([
    ['duplicate keys, naming the key path', '{"reference":"H-1","data":{"a":1,"b":{"c":1,"c":2}}}', 'data.b.c'],
    ['an integer beyond 2^53', '{"reference":"H-2","data":{"n":9007199254740993}}', 'data.n'],
    ['more digits than a double keeps', '{"reference":"H-3","data":{"n":0.1000000000000000000001}}', 'data.n'],
    ['U+0000 in data', '{"reference":"H-4","data":{"a":["x","\\u0000"]}}', 'data.a[1]'],
    ['a lone surrogate in a typed sealed field', '{"reference":"H-5","customer":{"name":"\\udc00"}}', 'customer.name'],
    ['an impossible date', '{"reference":"H-6","at":"2026-02-30T00:00:00Z"}', 'at'],
    ['a leap second', '{"reference":"H-7","at":"2016-12-31T23:59:60Z"}', 'at'],
    ['a bidi override in a reference', '{"reference":"H-8\\u202e"}', 'reference'],
    ['nesting 2,000 deep', `{"reference":"H-9","data":{"a":${'['.repeat(2000)}${']'.repeat(2000)}}}`, /^data\.a(\[0\])+$/],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_, body, field) => {
    const before = await rowCounts();
    const res = await send('/v1/orders', body).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(fieldsOf(res)).toEqual([
      expect.stringMatching(typeof field === 'string' ? new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}$`) : field),
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it('keeps 1.0 as the number 1, the same value per RFC 8785', async () => {
    const res = await send('/v1/orders', '{"reference":"H-10","data":{"n":1.0,"m":1E2}}').expect(201);
    expect(res.body.data).toEqual({ n: 1, m: 100 });
  });

  it('keeps control and bidi characters inside data as sent', async () => {
    const res = await send('/v1/orders', '{"reference":"H-11","data":{"note":"a\\u202eb\\u0007"}}').expect(201);
    expect(res.body.data).toEqual({ note: 'a\u202eb\u0007' });
  });

  it.each([
    ['/v1/orders/ord_%00', 400],
    ['/v1/orders/a%00b/events', 400],
    ['/v1/orders/not-an-order', 404],
    ['/v1/orders/%ff', 400],
    ['/v1/orders?reference=a%00b', 400],
  ])('answers %s with a problem, never a 5xx', async (url, status) => {
    const res = await t.http.get(url).set(brand.auth).expect(status);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers U+0000 in the path of the unauthenticated public order route with a 400', async () => {
    const res = await t.http.get('/public/orders/a%00b').set('X-Order-Token', 'x').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
  });

  it('refuses control and bidi characters in a brand name, which consumers see', async () => {
    const admin = { Authorization: `Bearer ${t.adminToken}` };
    for (const name of ['ACME\u202e Ltd', 'ACME\u0000', 'A\u2066B', 'A\u0085B']) {
      const res = await t.http.post('/v1/brands').set(admin).send({ slug: 'bidi', name }).expect(400);
      expect(fieldsOf(res)).toEqual(['name']);
    }
  });

  it('marks order reads, new API keys and problems Cache-Control: no-store', async () => {
    const admin = { Authorization: `Bearer ${t.adminToken}` };
    const key = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({}).expect(201);
    expect(key.headers['cache-control']).toBe('no-store');
    for (const url of [`/v1/orders/${orderId}`, '/v1/orders', `/v1/orders/${orderId}/events`]) {
      expect((await t.http.get(url).set(brand.auth).expect(200)).headers['cache-control']).toBe('no-store');
    }
    expect((await t.http.get('/v1/orders/not-an-order').set(brand.auth).expect(404)).headers['cache-control']).toBe('no-store');
  });

  it('answers the public rate limit 429 RATE_LIMITED with Retry-After and no class name', async () => {
    let res = await t.http.get('/public/chain');
    for (let i = 0; i < 200 && res.status !== 429; i++) res = await t.http.get('/public/chain');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED', type: 'urn:ordertrace:problem:rate-limited' });
    expect(JSON.stringify(res.body)).not.toMatch(/Exception/);
  });
});

describe('readiness without a database', () => {
  // Last in this file: it takes the app's database connection away.
  it('answers /readyz with a 503 problem while /healthz stays up', async () => {
    await t.dataSource.destroy();
    const res = await t.http.get('/readyz').expect(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    await t.http.get('/healthz').expect(200);
  });
});
