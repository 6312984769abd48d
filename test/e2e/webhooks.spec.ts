/**
 * Signed webhooks against real receivers on 127.0.0.1 that verify every message with the Standard
 * Webhooks reference library: registration and its address rules, event.accepted and order.received,
 * retries with backoff and the delivery log, secret rotation, manual redelivery, and that no sealed
 * value reaches a payload or the delivery log.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '../support/anchoring-fixture';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';
import { startWebhookReceiver, verifyWithSecret, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

const FAST_WEBHOOKS = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '100' };
const SEALED_SENTINEL = `sealed-sentinel-${randomBytes(8).toString('hex')}`;

let t: TestApp;
let brand: TestBrand;
const receivers: WebhookReceiver[] = [];

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

async function register(url: string, types?: string[]): Promise<{ id: string; secret: string }> {
  const res = await t.http
    .post('/v1/webhooks')
    .set(brand.auth)
    .send(types === undefined ? { url } : { url, types })
    .expect(201);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body as { id: string; secret: string };
}

async function createOrder(reference: string): Promise<string> {
  const res = await t.http
    .post('/v1/orders')
    .set(brand.auth)
    .send({ reference, data: { channel: 'web' }, sealed: { customer: { email: SEALED_SENTINEL } } })
    .expect(201);
  return res.body.id as string;
}

async function append(orderId: string, type: string): Promise<void> {
  await t.http
    .post(`/v1/orders/${orderId}/events`)
    .set(brand.auth)
    .send({ type, sealed: { note: SEALED_SENTINEL } })
    .expect(201);
}

interface ListedEvent {
  order: string;
  reference: string;
  seq: number;
  type: string;
  leaf: string;
}

function acceptedEvents(messages: readonly ReceivedWebhook[]): ListedEvent[] {
  return messages.filter((m) => m.message.type === 'event.accepted').flatMap((m) => m.message.data.events as ListedEvent[]);
}

beforeAll(async () => {
  t = await startTestApp({ env: FAST_WEBHOOKS });
  brand = await createBrand(t, undefined, ['brand:admin', 'brand:write', 'brand:read']);
});

afterAll(async () => {
  for (const r of receivers) await r.close();
  await t?.close();
});

describe('registering endpoints', () => {
  it('answers the secret once, lists endpoints without it, and deletes them', async () => {
    const r = await receiver();
    const created = await register(r.url, ['order.received']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({ url: r.url, types: ['order.received'], disabledAt: null });
    const listed = await t.http.get('/v1/webhooks').set(brand.auth).expect(200);
    const mine = (listed.body.items as { id: string }[]).find((w) => w.id === created.id);
    expect(mine).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    await t.http.delete(`/v1/webhooks/${created.id}`).set(brand.auth).expect(204);
    await t.http.delete(`/v1/webhooks/${created.id}`).set(brand.auth).expect(404);
  });

  it('refuses bad URLs and types naming the field, and hides other brands’ endpoints', async () => {
    const bad = async (body: object, field: string): Promise<void> => {
      const res = await t.http.post('/v1/webhooks').set(brand.auth).send(body).expect(400);
      expect(JSON.stringify(res.body.errors)).toContain(field);
    };
    await bad({ url: 'not a url' }, 'url');
    await bad({ url: 'ftp://example.com/hook' }, 'url');
    await bad({ url: 'http://user:pw@127.0.0.1/hook' }, 'url');
    await bad({ url: 'http://127.0.0.1/hook', types: ['order.shipped'] }, 'types');
    await bad({ url: 'http://does-not-exist.invalid/hook' }, 'url');
    const r = await receiver();
    const other = await createBrand(t, undefined, ['brand:admin']);
    const theirs = (await t.http.post('/v1/webhooks').set(other.auth).send({ url: r.url }).expect(201)).body.id as string;
    await t.http.get(`/v1/webhooks/${theirs}/deliveries`).set(brand.auth).expect(404);
    await t.http.delete(`/v1/webhooks/${theirs}`).set(brand.auth).expect(404);
    await t.http.post(`/v1/webhooks/${theirs}/rotate-secret`).set(brand.auth).send({}).expect(404);
  });
});

describe('delivery', () => {
  it('signs event.accepted and order.received so that the reference library verifies them, with no sealed value anywhere', async () => {
    const all = await receiver();
    const receipts = await receiver();
    const allHook = await register(all.url);
    const receiptHook = await register(receipts.url, ['order.received']);

    const orderId = await createOrder(`WH-${randomBytes(3).toString('hex')}`);
    for (const type of ['paid', 'packed', 'shipped']) await append(orderId, type);
    const link = await t.http.post(`/v1/orders/${orderId}/qr`).set(brand.auth).expect(201);
    const token = new URLSearchParams(new URL(link.body.url as string).hash.slice(1)).get('t')!;
    await t.http.post(`/public/orders/${orderId}/receipt`).set('x-order-token', token).expect(201);

    await waitFor(
      'all five events as event.accepted',
      async () => acceptedEvents(all.messages()).filter((e) => e.order === orderId).length === 5,
    );
    await waitFor('order.received at both endpoints', async () =>
      [all, receipts].every((r) => r.messages().some((m) => m.message.type === 'order.received')),
    );
    for (const m of all.requests) verifyWithSecret(allHook.secret, m);
    for (const m of receipts.requests) verifyWithSecret(receiptHook.secret, m);
    expect(() => verifyWithSecret(allHook.secret, receipts.requests[0])).toThrow(/signature/i);
    expect(receipts.messages().map((m) => m.message.type)).toEqual(['order.received']);

    const events = acceptedEvents(all.messages()).filter((e) => e.order === orderId);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'created'],
      [2, 'paid'],
      [3, 'packed'],
      [4, 'shipped'],
      [5, 'received'],
    ]);
    const stored = await t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200);
    expect(events.map((e) => e.leaf)).toEqual((stored.body.items as { leaf: string }[]).map((e) => e.leaf));
    const receipt = receipts.messages()[0].message;
    expect(receipt.data).toMatchObject({ order: orderId, seq: 5, type: 'received', source: 'consumer' });
    expect(Math.abs(Date.parse(receipt.timestamp) - Date.now())).toBeLessThan(60_000);

    // No sealed value in any payload nor in the outbox and delivery log tables.
    for (const r of [all, receipts]) for (const m of r.requests) expect(m.body).not.toContain(SEALED_SENTINEL);
    const dump = await t.dataSource.query<{ text: string }[]>(
      `SELECT (SELECT coalesce(string_agg(m::text, ''), '') FROM webhook_messages m) ||
              (SELECT coalesce(string_agg(a::text, ''), '') FROM webhook_attempts a) ||
              (SELECT coalesce(string_agg(w::text, ''), '') FROM webhook_endpoints w) AS text`,
    );
    expect(dump[0].text.length).toBeGreaterThan(100);
    expect(dump[0].text).not.toContain(SEALED_SENTINEL);
    expect(dump[0].text).not.toContain(allHook.secret.slice(6));
  });

  it('retries a failing receiver with backoff, logs every attempt, and keeps the webhook-id', async () => {
    const flaky = await receiver();
    flaky.respond = (_req, attempt) => (attempt <= 3 ? 500 : 200);
    const hook = await register(flaky.url, ['event.accepted']);
    await createOrder(`FLAKY-${randomBytes(3).toString('hex')}`);
    await waitFor('the fourth attempt', async () => flaky.requests.length >= 4, 60_000);
    const ids = new Set(flaky.requests.map((r) => r.id));
    expect(ids.size).toBe(1);
    for (const r of flaky.requests) verifyWithSecret(hook.secret, r);
    const gaps = flaky.requests.slice(1).map((r, i) => Number(r.timestamp) - Number(flaky.requests[i].timestamp));
    expect(gaps.every((g) => g >= 0)).toBe(true);

    const log = await waitFor('the delivery log to show it delivered', async () => {
      const res = await t.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(brand.auth).expect(200);
      const [delivery] = res.body.items as {
        id: string;
        status: string;
        attempts: number;
        log: { statusCode: number; error: string | null; durationMs: number }[];
      }[];
      return delivery?.status === 'delivered' ? delivery : undefined;
    });
    expect(log.id).toBe([...ids][0]);
    expect(log.attempts).toBe(4);
    expect(log.log.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'status'],
      [500, 'status'],
      [500, 'status'],
      [200, null],
    ]);
    expect(log.log.every((a) => typeof a.durationMs === 'number')).toBe(true);

    // Manual redelivery sends the same message again, under the same id.
    await t.http.post(`/v1/webhooks/${hook.id}/deliveries/${log.id}/retry`).set(brand.auth).expect(202);
    await waitFor('the redelivery', async () => flaky.requests.length >= 5);
    expect(flaky.requests[4].id).toBe(log.id);
    expect(flaky.requests[4].body).toBe(flaky.requests[0].body);
    await t.http.post(`/v1/webhooks/${hook.id}/deliveries/msg_nothing/retry`).set(brand.auth).expect(404);

    const metrics = await t.http
      .get('/metrics')
      .set({ Authorization: `Bearer ${t.adminToken}` })
      .expect(200);
    expect(metrics.text).toMatch(/ordertrace_webhook_deliveries_total\{result="failed_attempt"\} [3-9]/);
    expect(metrics.text).toMatch(/ordertrace_webhook_deliveries_total\{result="delivered"\} \d+/);
  });

  it('signs with both secrets during a rotation’s overlap, and with the new one alone after it', async () => {
    const r = await receiver();
    const hook = await register(r.url, ['event.accepted']);
    const rotated = await t.http.post(`/v1/webhooks/${hook.id}/rotate-secret`).set(brand.auth).send({}).expect(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(hook.secret);
    expect(Date.parse(rotated.body.previousSecretUntil as string)).toBeGreaterThan(Date.now() + 86_000_000);
    await createOrder(`ROT-${randomBytes(3).toString('hex')}`);
    await waitFor('a message after the rotation', async () => r.requests.length >= 1);
    expect(r.requests[0].signature.split(' ')).toHaveLength(2);
    verifyWithSecret(newSecret, r.requests[0]);
    verifyWithSecret(hook.secret, r.requests[0]);

    const ended = await t.http.post(`/v1/webhooks/${hook.id}/rotate-secret`).set(brand.auth).send({ overlapSeconds: 0 }).expect(200);
    await createOrder(`ROT-${randomBytes(3).toString('hex')}`);
    await waitFor('a message after the second rotation', async () => r.requests.length >= 2);
    verifyWithSecret(ended.body.secret as string, r.requests[1]);
    expect(() => verifyWithSecret(newSecret, r.requests[1])).toThrow(/signature/i);
  });
});

describe('endpoint addresses', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ env: { WEBHOOK_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('refuses loopback, private, link-local and mapped addresses, and http, unless the operator allows them', async () => {
    const admin = await createBrand(strict, undefined, ['brand:admin']);
    const refused = async (url: string, why: RegExp): Promise<void> => {
      const res = await strict.http.post('/v1/webhooks').set(admin.auth).send({ url }).expect(400);
      expect(res.body.errors[0].field).toBe('url');
      expect(res.body.detail).toMatch(why);
    };
    await refused('http://127.0.0.1:9/hook', /https/);
    await refused('https://127.0.0.1:9/hook', /refused/);
    await refused('https://localhost:9/hook', /refused/);
    await refused('https://10.1.2.3/hook', /refused/);
    await refused('https://169.254.169.254/latest/meta-data', /refused/);
    await refused('https://[::1]/hook', /refused/);
    await refused('https://[::ffff:127.0.0.1]/hook', /refused/);
    await refused('https://[fd00::1]/hook', /refused/);
    await refused('https://[fe80::1]/hook', /refused/);
  });
});

describe('persistent failure', () => {
  let failing: TestApp;
  beforeAll(async () => {
    failing = await startTestApp({
      env: { ...FAST_WEBHOOKS, WEBHOOK_RETRY_WINDOW_MS: '1000', WEBHOOK_DISABLE_AFTER_MS: '1500' },
    });
  });
  afterAll(async () => {
    await failing?.close();
  });

  it('fails a message after its retry window, disables the endpoint, and a manual retry brings both back', async () => {
    const admin = await createBrand(failing, undefined, ['brand:admin', 'brand:write']);
    const down = await receiver();
    down.respond = () => 503;
    const hook = (
      await failing.http
        .post('/v1/webhooks')
        .set(admin.auth)
        .send({ url: down.url, types: ['event.accepted'] })
        .expect(201)
    ).body as { id: string; secret: string };
    const order = (reference: string) => failing.http.post('/v1/orders').set(admin.auth).send({ reference }).expect(201);
    type Delivery = { id: string; status: string; log: { statusCode: number | null; error: string | null }[] };
    const deliveries = async (): Promise<Delivery[]> =>
      (await failing.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(admin.auth).expect(200)).body.items as Delivery[];

    await order('DOWN-1');
    const [first] = await waitFor('the first message failed for good', async () => {
      const items = await deliveries();
      return items[0]?.status === 'failed' ? items : undefined;
    });
    expect(first.log.length).toBeGreaterThanOrEqual(2);
    expect(first.log.every((a) => a.statusCode === 503 && a.error === 'status')).toBe(true);

    await order('DOWN-2');
    const disabled = await waitFor('the endpoint disabled', async () => {
      const listed = (await failing.http.get('/v1/webhooks').set(admin.auth).expect(200)).body.items as {
        id: string;
        disabledAt: string | null;
      }[];
      const mine = listed.find((w) => w.id === hook.id)!;
      return mine.disabledAt !== null ? mine : undefined;
    });
    expect(disabled).toMatchObject({ disabledReason: expect.stringMatching(/failed since/) });
    // Disabled: no attempts, and no new messages.
    const attemptsThen = down.requests.length;
    await order('DOWN-3');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(down.requests.length).toBe(attemptsThen);
    expect(await deliveries()).toHaveLength(2);

    // The receiver is back; retrying the failed message enables the endpoint, and the pending one follows.
    down.respond = () => 200;
    await failing.http.post(`/v1/webhooks/${hook.id}/deliveries/${first.id}/retry`).set(admin.auth).expect(202);
    await waitFor('both messages delivered', async () => (await deliveries()).every((d) => d.status === 'delivered'));
    for (const r of down.requests) verifyWithSecret(hook.secret, r);
    const listed = (await failing.http.get('/v1/webhooks').set(admin.auth).expect(200)).body.items as { disabledAt: string | null }[];
    expect(listed[0].disabledAt).toBeNull();
    const metrics = await failing.http
      .get('/metrics')
      .set({ Authorization: `Bearer ${failing.adminToken}` })
      .expect(200);
    expect(metrics.text).toMatch(/ordertrace_webhook_deliveries_total\{result="gave_up"\} [1-9]/);
  });
});

describe('on the embedded database (PGlite)', () => {
  let embedded: TestApp;
  beforeAll(async () => {
    embedded = await startTestApp({ driver: 'pglite', env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await embedded?.close();
  });

  it('takes http endpoints and delivers signed messages', async () => {
    const admin = await createBrand(embedded, undefined, ['brand:admin', 'brand:write']);
    const r = await receiver();
    const hook = (await embedded.http.post('/v1/webhooks').set(admin.auth).send({ url: r.url }).expect(201)).body as { secret: string };
    const orderId = (await embedded.http.post('/v1/orders').set(admin.auth).send({ reference: 'PGLITE-1' }).expect(201)).body.id as string;
    await waitFor('event.accepted', async () => acceptedEvents(r.messages()).some((e) => e.order === orderId));
    for (const m of r.requests) verifyWithSecret(hook.secret, m);
  });
});
