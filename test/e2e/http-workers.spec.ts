/**
 * Several HTTP workers on one port (HTTP_WORKERS): every worker serves the API, a key revoked
 * through one worker is refused by all of them at once, and SIGTERM stops them all.
 */
import { request } from 'node:http';
import {
  ADMIN_TOKEN,
  type FaultFixture,
  type ServerProcess,
  spawnServer,
  startFaultFixture,
  waitFor,
  waitUntilClosed,
} from '../support/anchoring-fixture';
import { parseExposition, sampleValue } from '../support/prometheus';

/** A request on a connection of its own, so that the primary hands each one to the next worker. */
function freshRequest(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${baseUrl}${path}`,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          connection: 'close',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('HTTP workers', () => {
  jest.setTimeout(180_000);
  let fixture: FaultFixture;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    fixture = await startFaultFixture({ HTTP_WORKERS: '2', LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await fixture?.close();
  });

  it('serves from every worker, revokes a key in all of them at once, and stops them all on SIGTERM', async () => {
    server = spawnServer(fixture.env, 'workers');
    const baseUrl = await server.baseUrl;
    await server.waitForLine(/2 HTTP workers on one port/);
    await server.waitForLine(/worker 1 listening/);

    const brand = await freshRequest(baseUrl, 'POST', '/v1/brands', ADMIN_TOKEN, { slug: 'workers', name: 'Workers' });
    expect(brand.status).toBe(201);
    const brandId = (JSON.parse(brand.text) as { id: string }).id;
    const created = await freshRequest(baseUrl, 'POST', `/v1/brands/${brandId}/keys`, ADMIN_TOKEN, {});
    expect(created.status).toBe(201);
    const { id: keyId, key } = JSON.parse(created.text) as { id: string; key: string };

    // Each request on a new connection: both workers serve some, and both cache the key.
    const writes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => freshRequest(baseUrl, 'POST', '/v1/orders', key, { reference: `W-${i}` })),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(12).fill(201));
    const stored = await fixture.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
    expect(stored[0].n).toBe(12);

    // Whichever worker is scraped answers for both: the primary adds up their counters.
    const scrapes = await Promise.all(Array.from({ length: 4 }, () => freshRequest(baseUrl, 'GET', '/metrics', ADMIN_TOKEN)));
    for (const scrape of scrapes) {
      expect(scrape.status).toBe(200);
      expect(sampleValue(parseExposition(scrape.text), 'ordertrace_events_accepted_total')).toBe(12);
      expect(sampleValue(parseExposition(scrape.text), 'ordertrace_http_requests_total', { route: '/v1/orders', status: '201' })).toBe(12);
    }

    const revoked = await freshRequest(baseUrl, 'DELETE', `/v1/brands/${brandId}/keys/${keyId}`, ADMIN_TOKEN);
    expect(revoked.status).toBe(204);
    // The other worker hears of the revocation through the primary; give the message its moment.
    const after = await waitFor(
      'every worker refusing the revoked key',
      async () => {
        const answers = await Promise.all(Array.from({ length: 12 }, () => freshRequest(baseUrl, 'GET', '/v1/orders', key)));
        return answers.every((a) => a.status === 401) ? answers : false;
      },
      2_000,
      50,
    );
    expect(after).toHaveLength(12);

    await server.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    await waitUntilClosed(baseUrl, 'the port closed');
  });
});
