/**
 * LOG_FORMAT: `pretty` writes readable lines for a person at a terminal (`auto` picks it when stdout
 * is one), still with every credential redacted; anything else gets one JSON object per line.
 */
import { randomBytes } from 'node:crypto';
import { loadAppConfig } from '../../server/config/load-app-config';
import { spawnServer, type ServerProcess, tempDataDir } from '../support/anchoring-fixture';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('LOG_FORMAT', () => {
  const adminToken = `pretty-admin-${randomBytes(16).toString('hex')}`;
  let db: TestDatabase;
  let data: { dir: string; remove(): void };
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    data = tempDataDir();
  });
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
    data?.remove();
  });

  it('resolves auto from whether stdout is a terminal, and refuses unknown formats', () => {
    const env = { DATABASE_URL: db.url, ORDERTRACE_DATA_KEY: '11'.repeat(32), ORDERTRACE_DATA_DIR: data.dir };
    expect(loadAppConfig(env, process.cwd(), true).logFormat).toBe('pretty');
    expect(loadAppConfig(env, process.cwd(), false).logFormat).toBe('json');
    expect(loadAppConfig({ ...env, LOG_FORMAT: 'json' }, process.cwd(), true).logFormat).toBe('json');
    expect(() => loadAppConfig({ ...env, LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT must be one of auto, json, pretty/);
  });

  it('writes readable request lines with the credentials redacted', async () => {
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
        LOG_FORMAT: 'pretty',
      },
      'pretty',
    );
    const base = await server.baseUrl;
    const res = await fetch(`${base}/v1/brands?token=${adminToken}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'x-request-id': 'pretty-1' },
      body: JSON.stringify({ slug: 'pretty', name: 'Pretty Ltd' }),
    });
    expect(res.status).toBe(201);
    const line = await server.waitForLine(/request completed/);
    // Not JSON: a timestamp, a level and the message, as a person reads them.
    expect(() => JSON.parse(line) as unknown).toThrow();
    expect(line).toMatch(/\d\d:\d\d:\d\d\.\d{3}.*INFO.*request completed/);
    await server.waitForLine(/authorization.*\[redacted\]/);
    const everything = server.lines.join('\n');
    expect(everything).toContain('pretty-1');
    expect(everything).not.toContain(adminToken);
    // The start banner is kept as it is.
    expect(everything).toMatch(/ordertrace listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});
