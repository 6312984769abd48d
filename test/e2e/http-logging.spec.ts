/**
 * The request log of the real server (a child process, its stdout captured line by line) carries
 * request ids but no credential: not the admin token, not a brand API key, not a consumer link
 * token, in headers or in query parameters. Health probes are not logged.
 */
import { randomBytes } from 'node:crypto';
import { spawnServer, type ServerProcess, tempDataDir } from '../support/anchoring-fixture';
import { createTestDatabase, type TestDatabase } from '../support/database';

interface LogLine {
  msg?: string;
  req?: { id?: string; url?: string; headers?: Record<string, string>; query?: Record<string, string> };
  res?: { statusCode?: number };
}

describe('request logging', () => {
  const adminToken = `log-admin-${randomBytes(16).toString('hex')}`;
  let db: TestDatabase;
  let data: { dir: string; remove(): void };
  let server: ServerProcess;
  let base: string;
  let apiKey: string;
  let orderToken: string;
  let orderId: string;

  async function call(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    data = tempDataDir();
    server = spawnServer(
      {
        DATABASE_URL: db.url,
        ORDERTRACE_ADMIN_TOKEN: adminToken,
        ORDERTRACE_DATA_KEY: randomBytes(32).toString('hex'),
        ORDERTRACE_DATA_DIR: data.dir,
        ORDERTRACE_ANCHORING: 'off',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      'logging',
    );
    base = await server.baseUrl;
    const admin = { authorization: `Bearer ${adminToken}`, 'x-request-id': 'log-admin-1' };
    const brand = await call('POST', '/v1/brands', admin, { slug: 'logs', name: 'Logs Ltd' });
    expect(brand.status).toBe(201);
    const key = await call('POST', `/v1/brands/${(brand.json as { id: string }).id}/keys`, admin, {});
    expect(key.status).toBe(201);
    apiKey = (key.json as { key: string }).key;
    const order = await call('POST', '/v1/orders', { authorization: `Bearer ${apiKey}` }, { reference: 'LOG-1' });
    expect(order.status).toBe(201);
    orderId = (order.json as { id: string }).id;
    const link = await call('POST', `/v1/orders/${orderId}/qr`, { authorization: `Bearer ${apiKey}` });
    expect(link.status).toBe(201);
    orderToken = new URLSearchParams((link.json as { url: string }).url.split('#')[1]).get('t') ?? '';
    expect(orderToken.length).toBeGreaterThan(20);
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await db?.drop();
    data?.remove();
  });

  it('logs each request with its id and none of the credentials it carried', async () => {
    const page = await call('GET', `/public/orders/${orderId}`, { 'x-order-token': orderToken, 'x-request-id': 'log-public-1' });
    // Without a chain the bundle cannot be built (503); the request is logged all the same.
    expect([200, 503]).toContain(page.status);
    const query = `token=${encodeURIComponent(orderToken)}&key=${encodeURIComponent(apiKey)}&api_key=${encodeURIComponent(adminToken)}&page=2`;
    const queried = await call('GET', `/v1/orders/${orderId}?${query}`, {
      authorization: `Bearer ${apiKey}`,
      'x-api-key': apiKey,
      'x-order-token': orderToken,
      'x-request-id': 'log-query-1',
    });
    expect(queried.status).toBeLessThan(500);
    await call('GET', '/healthz', { 'x-request-id': 'log-health-1' });
    await call('GET', '/readyz', { 'x-request-id': 'log-health-2' });
    // The last request's completion line; lines are written synchronously, in order.
    await server.waitForLine(/"log-query-1".*request completed/, 10_000);

    const entries = server.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
    const byId = (id: string) => entries.find((e) => e.req?.id === id && e.res !== undefined);
    const admin = byId('log-admin-1');
    const pub = byId('log-public-1');
    const queriedLine = byId('log-query-1');
    expect(admin?.req?.headers?.authorization).toBe('[redacted]');
    expect(pub?.req?.headers?.['x-order-token']).toBe('[redacted]');
    expect(pub?.res?.statusCode).toBe(page.status);
    expect(queriedLine?.req?.headers).toMatchObject({
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'x-order-token': '[redacted]',
    });
    expect(queriedLine?.req?.url).toBe(`/v1/orders/${orderId}?token=[redacted]&key=[redacted]&api_key=[redacted]&page=2`);
    if (queriedLine?.req?.query !== undefined) {
      expect(queriedLine.req.query).toEqual({ token: '[redacted]', key: '[redacted]', api_key: '[redacted]', page: '2' });
    }
    expect(entries.some((e) => e.req?.id?.startsWith('log-health'))).toBe(false);

    const everything = server.lines.join('\n');
    for (const secret of [adminToken, apiKey, orderToken, encodeURIComponent(orderToken), encodeURIComponent(apiKey)]) {
      expect(everything).not.toContain(secret);
    }
    // The key's visible prefix is not the secret, but its secret part must not appear either.
    expect(everything).not.toContain(apiKey.slice(-16));
  });

  it('writes no private field value to the log, whatever the request did with it', async () => {
    const value = `LOG-PRIVATE-${randomBytes(6).toString('hex')}`;
    const auth = { authorization: `Bearer ${apiKey}`, 'x-request-id': 'log-private-last' };
    const created = await call('POST', '/v1/orders', auth, { reference: 'LOG-P', customer: { name: value }, sealed: { note: value } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    // Refused requests carrying the value: a taken reference, a bad field beside it, a bulk item.
    expect((await call('POST', '/v1/orders', auth, { reference: 'LOG-P', sealed: { note: value } })).status).toBe(409);
    expect((await call('POST', '/v1/orders', auth, { reference: 'LOG-Q', sealed: { note: value }, at: 'yesterday' })).status).toBe(400);
    expect(
      (await call('POST', '/v1/bulk', auth, { items: [{ event: { order: id, type: 'nope', sealed: { note: value } } }] })).status,
    ).toBe(200);
    expect((await call('POST', `/v1/orders/${id}/events`, auth, { type: 'address_changed', sealed: { address: value } })).status).toBe(201);
    expect((await call('GET', `/v1/orders/${id}/bundle?disclose=all`, auth)).status).toBeLessThan(600);
    await server.waitForLine(/"log-private-last".*request completed/, 10_000);
    expect(server.lines.join('\n')).not.toContain(value);
  });
});
