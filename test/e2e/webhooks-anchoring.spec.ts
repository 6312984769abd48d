/**
 * Webhooks that report anchoring, against a real Hardhat chain: batch.anchored lists a brand's events
 * of a confirmed batch with the anchor the chain holds, and a stopped chain makes anchoring stall,
 * reported once per episode to the subscribed brands with events waiting.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestBrand, waitOrderAnchored } from '../support/app';
import { startWebhookReceiver, verifyWithSecret, type WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

let fixture: AnchoringTestApp;
let receiver: WebhookReceiver;
let idleReceiver: WebhookReceiver;
let brand: TestBrand;
let idle: TestBrand;
let secret: string;

beforeAll(async () => {
  fixture = await startAnchoringTestApp({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_RETRY_BASE_MS: '100',
    ANCHORING_STALLED_AFTER_MS: '1500',
  });
  receiver = await startWebhookReceiver();
  idleReceiver = await startWebhookReceiver();
  brand = await createBrand(fixture.t, undefined, ['brand:admin', 'brand:write', 'brand:read']);
  idle = await createBrand(fixture.t, undefined, ['brand:admin', 'brand:write', 'brand:read']);
  const types = ['batch.anchored', 'anchoring.stalled'];
  secret = (await fixture.t.http.post('/v1/webhooks').set(brand.auth).send({ url: receiver.url, types }).expect(201)).body.secret as string;
  await fixture.t.http.post('/v1/webhooks').set(idle.auth).send({ url: idleReceiver.url, types }).expect(201);
});

afterAll(async () => {
  await receiver?.close();
  await idleReceiver?.close();
  await fixture?.close();
});

interface AnchoredMessage {
  batch: { seq: number; root: string; txHash: string; blockNumber: number; blockHash: string; chainId: number; contract: string };
  page: number;
  pages: number;
  events: { order: string; reference: string; seq: number; type: string; leaf: string; index: number }[];
}

it('sends batch.anchored with the brand’s events and the anchor the chain holds', async () => {
  const { t, chain } = fixture;
  const reference = `ANCH-${randomBytes(3).toString('hex')}`;
  const orderId = (await t.http.post('/v1/orders').set(brand.auth).send({ reference }).expect(201)).body.id as string;
  await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'paid' }).expect(201);
  await waitOrderAnchored(t, brand, orderId, 2);
  const anchored = await waitFor('batch.anchored listing both events', async () => {
    const listed = receiver
      .messages()
      .filter((m) => m.message.type === 'batch.anchored')
      .flatMap((m) => (m.message.data as unknown as AnchoredMessage).events.map((e) => ({ e, m })))
      .filter(({ e }) => e.order === orderId);
    return listed.length === 2 ? listed : undefined;
  });
  for (const m of receiver.requests) verifyWithSecret(secret, m);

  const stored = (await t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200)).body.items as {
    seq: number;
    leaf: string;
    anchor: { batch: number; root: string; txHash: string; blockNumber: number; blockHash: string };
  }[];
  for (const { e, m } of anchored) {
    const data = m.message.data as unknown as AnchoredMessage;
    const event = stored.find((s) => s.seq === e.seq)!;
    expect(e).toMatchObject({ reference, leaf: event.leaf });
    expect(data.batch).toMatchObject({
      seq: event.anchor.batch,
      root: event.anchor.root,
      txHash: event.anchor.txHash,
      blockNumber: event.anchor.blockNumber,
      blockHash: event.anchor.blockHash,
      contract: fixture.contract,
    });
    expect(data).toMatchObject({ page: 1, pages: 1 });
    const receipt = await chain.provider.getTransactionReceipt(data.batch.txHash);
    expect(receipt?.blockHash).toBe(data.batch.blockHash);
  }
  // The idle brand had no event in the batch, so it got no message about it.
  expect(idleReceiver.requests).toHaveLength(0);
});

it('reports a stall once per episode, to the brands with events waiting', async () => {
  const { t, chain } = fixture;
  await chain.stop();
  const orderId = (
    await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: `STALL-${randomBytes(3).toString('hex')}` })
      .expect(201)
  ).body.id as string;
  expect(orderId).toBeTruthy();
  const stalled = await waitFor(
    'anchoring.stalled',
    async () => receiver.messages().find((m) => m.message.type === 'anchoring.stalled'),
    30_000,
  );
  verifyWithSecret(secret, stalled);
  expect(stalled.message.data).toMatchObject({ stalledAfterSeconds: 2 });
  expect(stalled.message.data.oldestUnanchoredSeconds).toEqual(expect.any(Number));
  // The stall goes on, and is not reported again; the idle brand has nothing waiting.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(receiver.messages().filter((m) => m.message.type === 'anchoring.stalled')).toHaveLength(1);
  expect(idleReceiver.requests).toHaveLength(0);
});
