/**
 * Self-service changes on real PostgreSQL and a real chain: the consumer asks from the order's link
 * (address, sealed, or hold), the brand hears of it by webhook and answers through the events API,
 * a pending hold blocks shipping, requests after shipping are refused, and the verified bundle
 * shows each request's state.
 */
import { randomBytes } from 'node:crypto';
import { verifyBundle } from '../../proof';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { buildBundleView } from '../../view/bundle-view';
import { waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestBrand, waitOrderAnchored } from '../support/app';
import { startWebhookReceiver, verifyWithSecret, type WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

const NEW_ADDRESS = `Friedrichstraße 43, 10117 Berlin ${randomBytes(6).toString('hex')}`;

let a: AnchoringTestApp;
let brand: TestBrand;
let hooks: WebhookReceiver;
let hookSecret: string;

async function order(...types: string[]): Promise<{ id: string; token: string }> {
  const res = await a.t.http
    .post('/v1/orders')
    .set(brand.auth)
    .send({ reference: `CR-${randomBytes(4).toString('hex')}` })
    .expect(201);
  const id = res.body.id as string;
  for (const type of types) await append(id, { type }).expect(201);
  const link = await a.t.http.post(`/v1/orders/${id}/qr`).set(brand.auth).expect(201);
  return { id, token: new URLSearchParams(new URL(link.body.url as string).hash.slice(1)).get('t')! };
}

function append(orderId: string, body: object) {
  return a.t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send(body);
}

function ask(
  o: { id: string; token: string | null },
  body: object,
  ip = `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
) {
  const req = a.t.http.post(`/public/orders/${o.id}/requests`).set('x-forwarded-for', ip);
  return (o.token === null ? req : req.set('x-order-token', o.token)).send(body);
}

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  a = await startAnchoringTestApp({
    TRUST_PROXY: 'loopback',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_POLL_MS: '50',
  });
  brand = await createBrand(a.t, undefined, ['brand:admin', 'brand:write', 'brand:read']);
  const hook = await a.t.http
    .post('/v1/webhooks')
    .set(brand.auth)
    .send({ url: hooks.url, types: ['order.change_requested'] })
    .expect(201);
  hookSecret = hook.body.secret as string;
});

afterAll(async () => {
  await hooks?.close();
  await a?.close();
});

describe('POST /public/orders/{id}/requests', () => {
  it('records a sealed address request (201), tells the brand by webhook, and the brand approves it with address_changed', async () => {
    const o = await order('paid');
    const before = await a.t.http.get(`/public/orders/${o.id}`).set('x-order-token', o.token).expect(200);
    expect(before.body.requests).toEqual({ allowed: true });

    const res = await ask(o, { type: 'address', sealed: { address: NEW_ADDRESS } }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ seq: 3, type: 'change_requested', request: 'address' });

    const events = await a.t.http.get(`/v1/orders/${o.id}/events`).set(brand.auth).expect(200);
    const record = events.body.items[2].record;
    expect(record).toMatchObject({ type: 'change_requested', data: { request: 'address', 'ordertrace:source': 'consumer' } });
    expect(Object.keys(record.sealed)).toEqual(['address']);
    expect(JSON.stringify(events.body)).not.toContain(NEW_ADDRESS);

    await waitFor('order.change_requested', async () => hooks.messages().some((m) => m.message.data.order === o.id));
    const message = hooks.requests.find((r) => r.body.includes(o.id))!;
    verifyWithSecret(hookSecret, message);
    expect(message.body).not.toContain(NEW_ADDRESS);
    expect(JSON.parse(message.body)).toMatchObject({
      type: 'order.change_requested',
      data: { order: o.id, seq: 3, type: 'change_requested', request: 'address', source: 'consumer' },
    });

    // The brand reads the address it is asked for, then approves with the new address as its own sealed field.
    const disclosed = await a.t.http.get(`/v1/orders/${o.id}/bundle?disclose=address`).set(brand.auth).expect(200);
    expect(disclosed.body.events[2].disclosed.address.value).toBe(NEW_ADDRESS);
    const approved = await append(o.id, { type: 'address_changed', data: { request: 3 }, sealed: { shippingAddress: NEW_ADDRESS } }).expect(
      201,
    );
    expect(approved.body.record.data).toMatchObject({ request: 3 });
    // Answered once only.
    const again = await append(o.id, { type: 'change_declined', data: { request: 3 } }).expect(409);
    expect(again.body).toMatchObject({ code: 'CHANGE_REQUEST_NOT_PENDING', field: 'data.request', pendingRequests: [] });
  });

  it('blocks shipped while a hold is pending (409 naming the request), until the brand declines or confirms it', async () => {
    const o = await order('paid', 'packed');
    await ask(o, { type: 'hold' }).expect(201);
    const blocked = await append(o.id, { type: 'shipped', data: { carrier: 'DHL' } }).expect(409);
    expect(blocked.body).toMatchObject({ code: 'HOLD_PENDING', pendingRequest: 4 });
    expect(blocked.body.detail).toMatch(/hold/);
    // Bulk goes through the same planner.
    const bulk = await a.t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: [{ event: { order: o.id, type: 'shipped' } }] })
      .expect(200);
    expect(bulk.body.items[0]).toMatchObject({ status: 409, problem: { code: 'HOLD_PENDING' } });
    // A second hold while one is pending.
    await ask(o, { type: 'hold' }).expect(409);

    await append(o.id, { type: 'hold_confirmed', data: { request: 4 } }).expect(201);
    await append(o.id, { type: 'shipped', data: { carrier: 'DHL' } }).expect(201);
  });

  it('refuses requests after shipping and after cancelling with 409 and a reason', async () => {
    const shipped = await order('paid', 'packed', 'shipped');
    const res = await ask(shipped, { type: 'hold' }).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'CHANGE_REQUESTS_CLOSED', currentState: 'shipped' });
    expect(res.body.detail).toMatch(/before it is shipped/);
    const page = await a.t.http.get(`/public/orders/${shipped.id}`).set('x-order-token', shipped.token).expect(200);
    expect(page.body.requests).toEqual({ allowed: false });

    const cancelled = await order('cancelled');
    const c = await ask(cancelled, { type: 'address', sealed: { address: 'x' } }).expect(409);
    expect(c.body).toMatchObject({ code: 'CHANGE_REQUESTS_CLOSED', currentState: 'cancelled' });
  });

  it('answers bad bodies 4xx naming the field, and a missing or wrong token 404 as receipts do, writing nothing', async () => {
    const o = await order();
    const bad = async (body: unknown, field: string): Promise<void> => {
      const res = await ask(o, body as object);
      expect([400, 422]).toContain(res.status);
      expect(JSON.stringify(res.body.errors)).toContain(field);
    };
    await bad({}, 'type');
    await bad({ type: 'refund' }, 'type');
    await bad({ type: 'address' }, 'sealed.address');
    await bad({ type: 'address', sealed: { address: '   ' } }, 'sealed.address');
    await bad({ type: 'address', sealed: { address: ['a'] } }, 'sealed.address');
    await bad({ type: 'address', sealed: { address: 'x', phone: '1' } }, 'sealed.phone');
    await bad({ type: 'hold', sealed: { address: 'x' } }, 'sealed');
    await bad({ type: 'hold', extra: 1 }, 'extra');
    await bad({ type: 'hold', sealed: { 'ordertrace:source': 'x' } }, 'sealed');
    await ask({ id: o.id, token: null }, { type: 'hold' }).expect(404);
    await ask({ id: o.id, token: 'a'.repeat(43) }, { type: 'hold' }).expect(404);
    await ask({ id: 'ord_nope', token: o.token }, { type: 'hold' }).expect(404);
    const events = await a.t.http.get(`/v1/orders/${o.id}/events`).set(brand.auth).expect(200);
    expect(events.body.items).toHaveLength(1);
  });

  it('keeps change_requested to the consumer, and answers to pending requests of the order', async () => {
    const o = await order('paid');
    const forged = await append(o.id, { type: 'change_requested', data: { request: 'hold' } }).expect(400);
    expect(forged.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);
    const none = await append(o.id, { type: 'change_declined', data: { request: 2 } }).expect(409);
    expect(none.body).toMatchObject({ code: 'CHANGE_REQUEST_NOT_PENDING', field: 'data.request' });
    const shape = await append(o.id, { type: 'hold_confirmed' }).expect(400);
    expect(shape.body.errors).toEqual([expect.objectContaining({ field: 'data.request' })]);
  });

  it('shows every request with its state in the verified bundle, as page, PDF and CLI render it', async () => {
    const o = await order('paid');
    await ask(o, { type: 'hold' }).expect(201); // seq 3
    await ask(o, { type: 'address', sealed: { address: NEW_ADDRESS } }).expect(201); // seq 4
    await append(o.id, { type: 'change_declined', data: { request: 4, reason: 'outside our delivery area' } }).expect(201); // seq 5
    await waitOrderAnchored(a.t, brand, o.id, 5);
    const page = await a.t.http.get(`/public/orders/${o.id}`).set('x-order-token', o.token).expect(200);
    expect(JSON.stringify(page.body)).not.toContain(NEW_ADDRESS);
    const result = await verifyBundle(page.body.bundle, new JsonRpcChainReader(a.chain.rpcUrl), {
      expectedContract: a.contract,
      confirmations: 1,
    });
    expect(result.verdict).toBe('verified');
    const { requests } = buildBundleView(page.body.bundle, result);
    expect(requests).toEqual([
      { seq: 3, request: 'hold', state: 'pending', answeredBy: null, status: 'verified', answerStatus: null },
      { seq: 4, request: 'address', state: 'declined', answeredBy: 5, status: 'verified', answerStatus: 'verified' },
    ]);
  });
});
