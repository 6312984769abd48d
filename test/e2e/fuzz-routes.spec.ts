/**
 * Generated requests over every operation of the OpenAPI document: valid-ish requests built from
 * the document's schemas, then broken the ways attackers and buggy clients break them (duplicate
 * keys, deep nesting, U+0000, lone surrogates, numbers a double does not keep, impossible dates,
 * bidi characters, odd path segments and cursors, wrong media types and encodings, bad auth).
 * No answer may be a 5xx; every refusal is a problem without class names; and a refused request
 * writes nothing: triggers on every table keep a checksum of the database's content, read after
 * each refused request. Routes added later are covered as soon as the document lists them.
 *
 * FUZZ_REQUESTS (default 10,000) and FUZZ_SEED reproduce or widen a run.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
/** Only the operations whose path contains this, for chasing one finding. */
const ONLY = process.env.FUZZ_ONLY ?? '';
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  example?: unknown;
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  allOf?: Schema[];
};

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body: Schema | null;
  security: string[];
  /** Answers with a rendered PNG or PDF: far slower than the rest, so it gets fewer existing ids. */
  renders: boolean;
}

interface RequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
}

let chain: TestChain;
let t: TestApp;
let brand: TestBrand;
let spareKeyId: string;
let orderId: string;
/** Orders for the generated events to move along, until each reaches a final state. */
const orderIds: string[] = [];
let shippedOrderId: string;
let orderToken: string;
let db: Client;

beforeAll(async () => {
  chain = await startTestChain();
  const contract = (await deployTestAnchor(chain, { anchorer: chain.wallets[1].address })).address;
  // A reachable chain, so that bundles and /public/chain answer; anchoring and the flag evaluator
  // off, so nothing writes on its own.
  t = await startTestApp({ env: { CHAIN_RPC_URL: chain.rpcUrl, CONTRACT_ADDRESS: contract, FLAG_EVALUATOR_POLL_MS: '0' } });
  // Every brand role, so that brand routes, key management and erasure alike are reached with a valid key.
  brand = await createBrand(t, 'fuzz', ['brand:admin', 'brand:write', 'brand:read']);
  const admin = { Authorization: `Bearer ${t.adminToken}` };
  spareKeyId = (await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({}).expect(201)).body.id;
  for (let i = 1; i <= 5; i++) {
    const created = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: `FUZZ-${i}`, data: { a: i } })
      .expect(201);
    orderIds.push(created.body.id as string);
  }
  orderId = orderIds[0];
  shippedOrderId = (await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'FUZZ-SHIPPED' }).expect(201)).body.id;
  for (const type of ['paid', 'packed', 'shipped']) {
    await t.http.post(`/v1/orders/${shippedOrderId}/events`).set(brand.auth).send({ type }).expect(201);
  }
  const link = (await t.http.post(`/v1/orders/${shippedOrderId}/qr`).set(brand.auth).expect(201)).body.url as string;
  orderToken = new URLSearchParams(new URL(link).hash.slice(1)).get('t') ?? '';

  db = new Client({ connectionString: t.database!.url });
  await db.connect();
  await installContentChecksum(db);
}, 180_000);

afterAll(async () => {
  await db?.end();
  await t?.close();
  await chain?.stop();
});

/** A checksum of every row of every table, kept by row triggers: inserts add, deletes subtract. */
async function installContentChecksum(client: Client): Promise<void> {
  await client.query(`
    CREATE TABLE fuzz_content_checksum (total bigint NOT NULL);
    INSERT INTO fuzz_content_checksum VALUES (0);
    CREATE FUNCTION fuzz_track_content() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- A key's last use is noted whatever the request's outcome (the key was used): not a change the request made.
      IF TG_OP <> 'INSERT' THEN UPDATE fuzz_content_checksum SET total = total - hashtext(TG_TABLE_NAME || (to_jsonb(OLD) - 'last_used_at')::text); END IF;
      IF TG_OP <> 'DELETE' THEN UPDATE fuzz_content_checksum SET total = total + hashtext(TG_TABLE_NAME || (to_jsonb(NEW) - 'last_used_at')::text); END IF;
      RETURN NULL;
    END $$;`);
  const tables = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'fuzz_content_checksum'`,
  );
  expect(tables.rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['orders', 'events', 'brands', 'api_keys']));
  for (const { tablename } of tables.rows) {
    await client.query(
      `CREATE TRIGGER fuzz_track_content AFTER INSERT OR UPDATE OR DELETE ON "${tablename}" FOR EACH ROW EXECUTE FUNCTION fuzz_track_content()`,
    );
  }
}

async function contentChecksum(): Promise<string> {
  return (await db.query<{ total: string }>('SELECT total FROM fuzz_content_checksum')).rows[0].total;
}

// ---------------------------------------------------------------- the document

function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
        body: content?.['application/json']?.schema ?? null,
        security: ((op.security as Record<string, unknown>[] | undefined) ?? []).flatMap((s) => Object.keys(s)),
        renders: /\.(png|pdf)$/.test(path) || /image\/png|application\/pdf/.test(JSON.stringify(op.responses ?? {})),
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------- generators

const hostile = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u202eevil',
  'A\u2066B\u2069',
  '\u0007bell',
  '\u0085',
  '\u2028',
  'line\nbreak',
  '\u200f',
  '😀',
  '北京',
  '',
  ' ',
  'x'.repeat(5000),
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  "'; DROP TABLE orders; --",
);

const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: hostile },
);

const timeText = fc.oneof(
  fc.constant(new Date(Date.now() - 60_000).toISOString()),
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2025-02-29T12:00:00Z',
    '2026-06-30T23:59:60Z',
    '2026-06-30T24:00:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01T10:00:00.123456789Z',
    '2026-01-01T10:00:00+25:00',
    '1999-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2099-01-01T00:00:00Z',
    'yesterday',
  ),
  fc
    .date({ min: new Date('1970-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().replace('Z', '+00:00')),
);

/** A path segment as sent: percent-encoded where a URL needs it, raw escapes where it must not decode. */
const oddSegment = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%ff',
    '%ED%A0%80',
    '%C0%AF',
    '%',
    '%2F',
    '..',
    '.',
    '-1',
    '0',
    '1e3',
    '1.5',
    '99999999999999999999',
    '0x10',
    'null',
    'x'.repeat(3000),
    'ord_',
    'ord_00000000000000000000000000',
    'ord_IIIIIIIIIIIIIIIIIIIIIIIIII',
    '00000000-0000-0000-0000-000000000000',
    '%E2%80%AE',
    '%20',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
);

/** A query value as sent (already encoded). */
const oddQueryValue = fc.oneof(
  oddSegment,
  timeText.map(encodeURIComponent),
  fc.integer({ min: -10, max: 10_000 }).map(String),
  fc
    .tuple(timeText, fc.constantFrom('ord_01JD3ZK7Q9T4W8X2B5N6M0P1RS', 'x', ''))
    .map(([a, b]) => Buffer.from(JSON.stringify([a, b])).toString('base64url')),
  fc.base64String({ maxLength: 80 }).map(encodeURIComponent),
);

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  let s = schema;
  while (s.$ref !== undefined) s = components[s.$ref.split('/').pop()!];
  if (s.allOf !== undefined && s.allOf.length === 1) return resolve(s.allOf[0], components);
  return s;
}

const FIELD_NAMES = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('carrier', 'note', 'weightKg', 'x.y', 'a_b-c', 'Z9') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Free-form JSON: the values `data` and `sealed` hold. */
const freeJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A value for a schema of the document: valid most of the time, wrong in type or content sometimes. */
function valueFor(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const wrong = fc.oneof(fc.constant(null), fc.integer(), anyText, fc.constant([]), fc.constant({}), fc.boolean());
  let right: fc.Arbitrary<unknown>;
  if (s.enum !== undefined) right = fc.constantFrom(...s.enum);
  else if (s.type === 'string' && s.format === 'date-time') right = timeText;
  else if (s.type === 'string')
    right =
      s.example !== undefined
        ? fc.oneof(
            { weight: 2, arbitrary: fc.constant(s.example) },
            { weight: 4, arbitrary: fc.nat().map((n) => `${String(s.example)}-${n.toString(36)}`) },
            { weight: 1, arbitrary: anyText },
          )
        : fc.oneof({ weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, { weight: 1, arbitrary: anyText });
  else if (s.type === 'integer' || s.type === 'number')
    right = fc.oneof(fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1_000_000, 1_000_000) }), fc.double());
  else if (s.type === 'boolean') right = fc.boolean();
  else if (s.type === 'array') {
    right = depth > 4 ? fc.constant([]) : fc.array(s.items ? itemFor(s.items, components, depth) : freeJson, { maxLength: 3 });
  } else if (s.properties !== undefined) {
    const props: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, prop] of Object.entries(s.properties)) props[name] = valueFor(prop, components, depth + 1);
    const required = (s.required ?? []).filter((k) => k in props);
    // The smallest valid body: only what is required, from the document's examples (made unique).
    const minimal: Record<string, fc.Arbitrary<unknown>> = {};
    for (const name of required) minimal[name] = plausible(s.properties[name], components);
    right = fc.oneof(fc.record(props, { requiredKeys: required }), fc.record(minimal));
  } else right = fc.dictionary(FIELD_NAMES, freeJson, { maxKeys: 4 });
  return fc.oneof({ weight: 9, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** A value that should pass: an enum member, or the example with a unique suffix. */
function plausible(schema: Schema, components: Record<string, Schema>): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  if (s.type === 'string' && s.example !== undefined) return fc.nat().map((n) => `${String(s.example)}-${n.toString(36)}`);
  if (s.type === 'string' && s.format === 'date-time') return fc.constant(new Date(Date.now() - 60_000).toISOString());
  if ((s.type === 'integer' || s.type === 'number') && s.example !== undefined) return fc.constant(s.example);
  return valueFor(s, components, 5);
}

/** Array items: the bulk body's items are loose objects in the document, so they borrow the single calls' bodies. */
function itemFor(items: Schema, components: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(items, components);
  if (s.type === 'object' && s.properties === undefined && components.CreateOrderDto && components.AppendEventDto) {
    const order = valueFor({ $ref: '#/components/schemas/CreateOrderDto' }, components, depth + 1);
    const event = fc
      .tuple(valueFor({ $ref: '#/components/schemas/AppendEventDto' }, components, depth + 1), fc.constantFrom('order', 'reference'))
      .map(([e, by]) => ({ ...(e as object), [by]: by === 'order' ? orderId : 'FUZZ-1' }));
    return fc.oneof(
      order.map((o) => ({ order: o })),
      event.map((e) => ({ event: e })),
      freeJson,
    );
  }
  return valueFor(items, components, depth);
}

/** Where in a value a mutation lands: any object of it, by an index taken modulo their count. */
function objectsOf(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value === 'object' && value !== null) {
    if (!Array.isArray(value)) out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objectsOf(v, out);
  }
  return out;
}

const MARK = '"\u0001mark\u0001"';

/** A body's text after one of the families of damage. */
function damaged(value: unknown, kind: string, pick: number): string | Buffer {
  const objects = objectsOf(value);
  const target = objects.length > 0 ? objects[pick % objects.length] : null;
  const put = (key: string): string => {
    if (target === null) return JSON.stringify(value);
    target[key] = '\u0001mark\u0001';
    return JSON.stringify(value);
  };
  const keyOf = (o: Record<string, unknown> | null): string =>
    o !== null ? (Object.keys(o)[pick % Math.max(1, Object.keys(o).length)] ?? 'k') : 'k';
  const text = JSON.stringify(value) ?? '{}';
  switch (kind) {
    case 'duplicate-key': {
      const key = keyOf(target);
      return put('\u0001dup').replace(`"\u0001dup":${MARK}`, `${JSON.stringify(key)}:1,${JSON.stringify(key)}:2`);
    }
    case 'deep':
      return put('deep').replace(MARK, `${'['.repeat(40 + (pick % 3000))}${']'.repeat(40 + (pick % 3000))}`);
    case 'deep-objects':
      return put('deep').replace(MARK, `${'{"a":'.repeat(60 + (pick % 200))}1${'}'.repeat(60 + (pick % 200))}`);
    case 'big-number':
      return put(keyOf(target)).replace(
        MARK,
        ['9007199254740993', '12345678901234567890', '1.0', '1E2', '-0', '1e400', '1e-400', '0.1000000000000000000001', '4.2e1'][pick % 9],
      );
    case 'escape':
      return put(keyOf(target)).replace(
        MARK,
        ['"\\u0000"', '"\\ud800"', '"a\\udc00"', '"\\ud83d\\ude00"', '"\\u202e"', '"\\u0000\\ud800"'][pick % 6],
      );
    case 'refused-key':
      return put('\u0001k').replace(
        `"\u0001k":${MARK}`,
        `${['"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"'][pick % 4]}:{"a":1}`,
      );
    case 'truncated':
      return text.slice(0, pick % Math.max(1, text.length));
    case 'not-utf8': {
      const bytes = Buffer.from(text);
      if (bytes.length > 2) bytes[pick % bytes.length] = [0xff, 0xc0, 0xed, 0x80][pick % 4];
      return bytes;
    }
    case 'bare':
      return ['42', '"x"', 'null', 'true', '', ' ', '\ufeff{}', '{}x', '[]', '[1,2]'][pick % 10];
    default:
      return text;
  }
}

const DAMAGE = fc.oneof(
  { weight: 8, arbitrary: fc.constant('none') },
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      'duplicate-key',
      'deep',
      'deep-objects',
      'big-number',
      'escape',
      'refused-key',
      'truncated',
      'not-utf8',
      'bare',
    ),
  },
);

function requestsFor(op: Operation, components: Record<string, Schema>): fc.Arbitrary<RequestSpec> {
  const pathNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const validSegment = (name: string): fc.Arbitrary<string> => {
    if (name === 'keyId') return fc.constant(spareKeyId);
    if (name === 'seq') return fc.constantFrom('1', '2');
    if (name === 'path') return fc.constantFrom('', 'index.html', 'trust.json', orderId, 'assets/x.js');
    if (op.path.startsWith('/v1/brands')) return fc.constant(brand.id);
    return op.path.startsWith('/public/orders') ? fc.constant(shippedOrderId) : fc.constantFrom(...orderIds);
  };
  const segments = fc.tuple(
    // Unbiased: fast-check otherwise favours the first choice far beyond its weight.
    ...pathNames.map((name) =>
      fc.noBias(
        fc.oneof({ weight: op.renders ? 1 : 30, arbitrary: validSegment(name) }, { weight: op.renders ? 40 : 20, arbitrary: oddSegment }),
      ),
    ),
  );
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const query = fc.array(
    fc.tuple(
      queryParams.length > 0
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...queryParams.map((p) => p.name)) },
            { weight: 1, arbitrary: fc.constantFrom('x', 'limit', 'cursor') },
          )
        : fc.constantFrom('x', 'limit', 'cursor'),
      fc.oneof(
        ...queryParams.flatMap((p) => (p.schema?.enum ? [fc.constantFrom(...p.schema.enum.map(String))] : [])),
        oddQueryValue,
        fc.constantFrom('1', '50', 'all', 'customer,lineItems', '%00'),
      ),
    ),
    { maxLength: 3 },
  );
  const auth = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constant(
        op.security.includes('api-key') ? `Bearer ${brand.key}` : op.security.includes('admin-token') ? `Bearer ${t.adminToken}` : '',
      ),
    },
    {
      weight: op.security.includes('admin-token') && op.security.includes('api-key') ? 3 : 0,
      arbitrary: fc.constant(`Bearer ${t.adminToken}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer otk_nope', 'Basic YTpi', `Bearer ${'x'.repeat(2000)}`, 'bearer  otk_') },
  );
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/vnd.ordertrace+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json; charset="UTF-16"',
        'APPLICATION/JSON',
        '',
      ),
    },
  );
  const encoding = fc.oneof(
    { weight: 15, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity', 'deflate, gzip') },
  );
  const body = op.body !== null ? valueFor(op.body, components) : fc.oneof(fc.constant(undefined), freeJson);
  return fc
    .record({
      segments,
      query,
      auth,
      contentType,
      encoding,
      body,
      damage: DAMAGE,
      pick: fc.nat(),
      idempotencyKey: fc.oneof(
        { weight: 4, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom(`k-${randomBytes(4).toString('hex')}`, 'x'.repeat(300), 'a b', 'ÿ') },
      ),
      requestId: fc.oneof(
        { weight: 6, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom('req-1', 'x'.repeat(500), '<script>', '%00', '../..', '"quoted"') },
      ),
      orderToken: fc.oneof(fc.constant(orderToken), fc.constantFrom('', 'x', orderToken.slice(1), '%00')),
      sharedAddress: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map((r) => {
      let url = op.path;
      pathNames.forEach((name, i) => (url = url.replace(`{${name}}`, r.segments[i])));
      if (r.query.length > 0) url += `?${r.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
      const headers: Record<string, string> = {};
      if (r.auth !== '') headers.authorization = r.auth;
      if (r.idempotencyKey !== '') headers['idempotency-key'] = r.idempotencyKey;
      if (r.requestId !== '') headers['x-request-id'] = r.requestId;
      if (op.path.startsWith('/public/orders') && r.orderToken !== '') headers['x-order-token'] = r.orderToken;
      let payload: string | Buffer | undefined;
      if (op.method !== 'GET' && r.body !== undefined) {
        payload = damaged(r.body, r.damage, r.pick);
        if (r.contentType !== '') headers['content-type'] = r.contentType;
        if (r.encoding !== '') headers['content-encoding'] = r.encoding;
      }
      // Distinct client addresses keep the per-address limits of /public out of the way; a few share one to meet them.
      const remoteAddress = r.sharedAddress ? '203.0.113.7' : `10.${r.pick % 256}.${(r.pick >> 8) % 256}.${(r.pick >> 16) % 256}`;
      return { method: op.method, url, headers, payload, remoteAddress };
    });
}

// ---------------------------------------------------------------- the run

it('notices a change to any row, and no change once it is undone', async () => {
  const before = await contentChecksum();
  await db.query(`UPDATE brands SET name = name || '!' WHERE id = $1`, [brand.id]);
  const changed = await contentChecksum();
  await db.query(`UPDATE brands SET name = left(name, -1) WHERE id = $1`, [brand.id]);
  expect(changed).not.toBe(before);
  expect(await contentChecksum()).toBe(before);
});

interface Finding {
  what: string;
  request: string;
  status: number;
  body: string;
}

it(`answers ${TOTAL.toLocaleString('en')} generated requests over every documented route without a 5xx, and refused ones write nothing`, async () => {
  const fastify = t.app.getHttpAdapter().getInstance();
  const docRes = await fastify.inject({ method: 'GET', url: '/docs-json' });
  expect(docRes.statusCode).toBe(200);
  const doc = docRes.json<{
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, Schema> };
  }>();
  // Routes the document leaves out on purpose (the JSON-RPC proxy, the verifier page, the console) are sent to all the same.
  const undocumented: Operation[] = [
    { method: 'POST', path: '/public/rpc', parameters: [], body: null, security: [], renders: false },
    { method: 'GET', path: '/v/{path}', parameters: [], body: null, security: [], renders: false },
    { method: 'GET', path: '/console/{path}', parameters: [], body: null, security: [], renders: false },
  ];
  const ops = [...operationsOf(doc), ...undocumented].filter((op) => op.path.includes(ONLY));
  if (ONLY === '') expect(ops.length).toBeGreaterThanOrEqual(15);
  const perOp = Math.ceil(TOTAL / ops.length);
  const plans = ops.map((op, i) => fc.sample(requestsFor(op, doc.components.schemas), { numRuns: perOp, seed: SEED + i }));

  const findings: Finding[] = [];
  const byClass: Record<string, number> = {};
  const perOperation = new Map<string, Record<string, number>>();
  let sent = 0;
  let refusedChecked = 0;
  let checksumMs = 0;
  const slowest: { ms: number; request: string }[] = [];
  let checksum = await contentChecksum();
  const started = Date.now();
  for (let round = 0; round < perOp; round++) {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const spec = plans[i][round];
      const t0 = Date.now();
      const res = await fastify.inject({
        method: spec.method as 'GET',
        url: spec.url,
        headers: spec.headers,
        payload: spec.payload,
        remoteAddress: spec.remoteAddress,
      });
      sent++;
      const ms = Date.now() - t0;
      if (slowest.length < 5 || ms > slowest[slowest.length - 1].ms) {
        slowest.push({ ms, request: `${spec.method} ${spec.url.slice(0, 120)} → ${res.statusCode}` });
        slowest.sort((a, b) => b.ms - a.ms).splice(5);
      }
      const cls = `${Math.floor(res.statusCode / 100)}xx`;
      byClass[cls] = (byClass[cls] ?? 0) + 1;
      const key = `${op.method} ${op.path}`;
      const counts = perOperation.get(key) ?? {};
      counts[cls] = (counts[cls] ?? 0) + 1;
      counts.ms = (counts.ms ?? 0) + ms;
      perOperation.set(key, counts);
      // Credentials never reach a log line, a failing test's report included.
      const headers = { ...spec.headers, ...(spec.headers.authorization === undefined ? {} : { authorization: '[redacted]' }) };
      const shown = `${spec.method} ${spec.url.slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)} ${String(spec.payload ?? '').slice(0, 300)}`;
      const note = (what: string) => findings.push({ what, request: shown, status: res.statusCode, body: res.body.slice(0, 400) });
      if (res.statusCode >= 500) note('5xx');
      if (process.env.FUZZ_SHOW === '1' && res.statusCode >= 400) console.log(shown, '→', res.statusCode, res.body.slice(0, 300));
      const personal = op.security.length > 0 || op.path.startsWith('/public/orders');
      if (res.statusCode >= 400) {
        if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) note('a refusal that is not a problem');
        else if (/[A-Z][A-Za-z]+(Exception|Error)\b|\.ts:\d+/.test(String(res.json<{ detail?: string }>().detail ?? '')))
          note('a class name in the detail');
        if (res.headers['cache-control'] !== 'no-store') note('a problem without Cache-Control: no-store');
        if (res.statusCode === 429 && res.headers['retry-after'] === undefined) note('a 429 without Retry-After');
        const c0 = Date.now();
        const after = await contentChecksum();
        checksumMs += Date.now() - c0;
        refusedChecked++;
        if (after !== checksum) note('a refused request changed the database');
        checksum = after;
      } else {
        if (personal && !String(res.headers['cache-control']).includes('no-store')) note('personal data or a secret without no-store');
        checksum = await contentChecksum();
      }
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const table = [...perOperation.entries()].map(([k, v]) => `  ${k.padEnd(44)} ${JSON.stringify(v)}`).join('\n');
  console.log(
    `fuzz-routes: ${sent.toLocaleString('en')} requests over ${ops.length} operations in ${seconds.toFixed(1)} s (seed ${SEED}): ` +
      `${Object.entries(byClass)
        .map(([k, v]) => `${v} × ${k}`)
        .join(
          ', ',
        )}; 0 × 5xx expected; ${refusedChecked} refusals checked to have written nothing (${checksumMs} ms)\n${table}\nslowest:\n${slowest.map((x) => `  ${x.ms} ms ${x.request}`).join('\n')}`,
  );
  expect(sent).toBeGreaterThanOrEqual(TOTAL);
  expect(byClass['2xx'] ?? 0).toBeGreaterThan(0);
  expect(findings.slice(0, 10)).toEqual([]);
  expect(byClass['5xx'] ?? 0).toBe(0);
}, 600_000);
