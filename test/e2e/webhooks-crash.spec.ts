/**
 * A crash between an event and its webhook: the service is SIGKILLed right after acknowledging a
 * burst of writes while its receiver hangs, and restarted. Every acknowledged event's event.accepted
 * message arrives, and exactly once by webhook-id (the receiver dedupes as Standard Webhooks asks):
 * the outbox row was committed with the event, and a retry repeats its id.
 */
import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, spawnServer, type ServerProcess, tempDataDir, waitFor } from '../support/anchoring-fixture';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startWebhookReceiver, verifyWithSecret, type WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

let db: TestDatabase;
let data: { dir: string; remove(): void };
let receiver: WebhookReceiver;
const servers: ServerProcess[] = [];

async function call<T>(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

function start(env: Record<string, string>, label: string): ServerProcess {
  const server = spawnServer(env, label);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  db = await createTestDatabase();
  data = tempDataDir();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  await receiver?.close();
  await db?.drop();
  data?.remove();
});

it('delivers every acknowledged event exactly once by webhook-id across a SIGKILL', async () => {
  const env = {
    DATABASE_URL: db.url,
    ORDERTRACE_DATA_KEY: '22'.repeat(32),
    ORDERTRACE_ADMIN_TOKEN: ADMIN_TOKEN,
    ORDERTRACE_DATA_DIR: data.dir,
    ORDERTRACE_ANCHORING: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    HTTP_WORKERS: '1',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_TIMEOUT_MS: '1000',
  };
  const first = start(env, 'first');
  const baseUrl = await first.baseUrl;
  const brand = await call<{ id: string }>(baseUrl, 'POST', '/v1/brands', ADMIN_TOKEN, {
    slug: `crash${randomBytes(3).toString('hex')}`,
    name: 'Crash',
  });
  expect(brand.status).toBe(201);
  const key = await call<{ key: string }>(baseUrl, 'POST', `/v1/brands/${brand.body.id}/keys`, ADMIN_TOKEN, {
    roles: ['brand:admin', 'brand:write'],
  });
  expect(key.status).toBe(201);
  const hook = await call<{ id: string; secret: string }>(baseUrl, 'POST', '/v1/webhooks', key.body.key, {
    url: receiver.url,
    types: ['event.accepted'],
  });
  expect(hook.status).toBe(201);

  // The receiver hangs: deliveries are in flight or pending when the service dies.
  receiver.respond = () => 'hang';
  const acknowledged = new Set<string>();
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const created = await call<{ id: string }>(baseUrl, 'POST', '/v1/orders', key.body.key, {
        reference: `CRASH-${i}`,
        sealed: { email: 'crash@example.com' },
      });
      expect(created.status).toBe(201);
      acknowledged.add(`${created.body.id}#1`);
      const paid = await call<{ seq: number }>(baseUrl, 'POST', `/v1/orders/${created.body.id}/events`, key.body.key, { type: 'paid' });
      expect(paid.status).toBe(201);
      acknowledged.add(`${created.body.id}#${paid.body.seq}`);
    }),
  );
  // At least one delivery is in flight (the receiver holds it) when the process dies.
  await waitFor('a delivery in flight', async () => receiver.requests.length > 0, 30_000, 20);
  await first.kill('SIGKILL');
  expect(acknowledged.size).toBe(80);
  const beforeCrash = new Set(receiver.requests.map((r) => r.id));

  receiver.respond = () => 204;
  const second = start(env, 'second');
  await second.baseUrl;
  const listed = (): string[] =>
    receiver
      .messages()
      .filter((m) => m.message.type === 'event.accepted')
      .flatMap((m) => (m.message.data.events as { order: string; seq: number }[]).map((e) => `${e.order}#${e.seq}`));
  await waitFor('every acknowledged event delivered', async () => [...acknowledged].every((e) => listed().includes(e)), 90_000, 200);

  // The messages the dead process was delivering (never answered) come again under their ids once their claim lapses.
  await waitFor(
    'the interrupted deliveries again',
    async () => [...beforeCrash].every((id) => receiver.requests.filter((r) => r.id === id).length >= 2),
    60_000,
    200,
  );
  for (const r of receiver.requests) verifyWithSecret(hook.body.secret, r);
  const events = listed();
  // Exactly once by webhook-id: no event is in two distinct messages.
  expect(events.length).toBe(new Set(events).size);
  // A redelivered message is the same message: same id, same body.
  const bodies = new Map<string, string>();
  for (const r of receiver.requests) {
    if (bodies.has(r.id)) expect(r.body).toBe(bodies.get(r.id));
    else bodies.set(r.id, r.body);
  }
  await second.kill('SIGTERM');
});
