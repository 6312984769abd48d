/**
 * The embedded default: no DATABASE_URL, PGlite on disk in the data folder, secrets generated
 * on first start. The same order flow as on PostgreSQL, a restart on the same folder, and the
 * configuration the service refuses to start with.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AuditEntry, AUDIT_GENESIS_PREV, checkAuditEntry } from '../../proof/audit-entry';
import { GENESIS_PREV, leafHashOfCanonical } from '../../proof/hashes';
import { loadAppConfig } from '../../server/config/load-app-config';
import { openDataSource } from '../../server/database/data-source-options';
import { ConfigError } from '../../server/config/parse-app-config';
import { createBrand, startTestApp, type TestApp } from '../support/app';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-pglite-'));
let t: TestApp | undefined;

afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.config`, { recursive: true, force: true });
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('embedded default (PGlite)', () => {
  let orderId: string;
  let brandKey: string;

  it('starts with generated admin token and data key files readable only by the owner, the data key outside the data folder', async () => {
    t = await startTestApp({ driver: 'pglite', dataDir });
    expect(t.config.database).toEqual({ driver: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const tokenFile = path.join(dataDir, 'admin-token');
    expect(t.config.admin.adminTokenFile).toBe(tokenFile);
    expect(fs.readFileSync(tokenFile, 'utf8').trim()).toBe(t.adminToken);
    expect(mode(tokenFile)).toBe(0o600);
    const keyFile = t.config.dataKey.keyFile!;
    expect(keyFile.startsWith(path.join(`${dataDir}.config`, 'ordertrace', 'data-keys') + path.sep)).toBe(true);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(t.config.dataKey.key.toString('hex'));
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(path.dirname(keyFile))).toBe(0o700);
    expect(fs.existsSync(path.join(dataDir, 'data-key'))).toBe(false);
    const ready = await t.http.get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'up', reasons: [], warnings: [] });
  });

  it('keeps no data key in the data folder: no file there holds it, so the folder alone opens nothing', async () => {
    const brand = await createBrand(t!, 'keyless');
    await t!.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'KEY-1', sealed: { note: 'FOLDER-SECRET-8812' } })
      .expect(201);
    await t!.dataSource.query('CHECKPOINT');
    const key = t!.config.dataKey.key;
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(Buffer.from(key.toString('hex')))).toBe(false);
      expect(bytes.includes(Buffer.from('FOLDER-SECRET-8812'))).toBe(false);
    }
  });

  it('refuses a second opener of the same folder while the server runs', async () => {
    await expect(openDataSource(t!.config.database)).rejects.toThrow(/in use by process/);
    await t!.http.get('/readyz').expect(200);
  });

  it('runs the order flow: lifecycle, 409, idempotent retry', async () => {
    const brand = await createBrand(t!, 'acme');
    brandKey = brand.key;
    const body = {
      reference: 'PG-1',
      customer: { email: 'jane@example.com' },
      lineItems: [{ sku: 'A', quantity: 1, unitPrice: '5.00', currency: 'EUR' }],
    };
    const order = await t!.http.post('/v1/orders').set(brand.auth).set('Idempotency-Key', 'pg-1').send(body).expect(201);
    orderId = order.body.id;
    const retry = await t!.http.post('/v1/orders').set(brand.auth).set('Idempotency-Key', 'pg-1').send(body).expect(201);
    expect(retry.body.id).toBe(orderId);
    await t!.http.post('/v1/orders').set(brand.auth).set('Idempotency-Key', 'pg-1').send({ reference: 'PG-2' }).expect(422);
    for (const type of ['paid', 'packed', 'shipped', 'delivered']) {
      await t!.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type }).expect(201);
    }
    const illegal = await t!.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'packed' }).expect(409);
    expect(illegal.body).toMatchObject({ currentState: 'delivered', allowed: ['received', 'return_requested'] });
    await t!.http.post('/v1/orders').set(brand.auth).send('{"reference":').set('Content-Type', 'application/json').expect(400);
    const got = await t!.http.get(`/v1/orders/${orderId}`).set(brand.auth).expect(200);
    expect(got.body).toMatchObject({ status: 'delivered', lastSeq: 5 });
  });

  it('serialises concurrent appends on its single session: gap-free seqs and a valid chain', async () => {
    const auth = { Authorization: `Bearer ${brandKey}` };
    const order = await t!.http.post('/v1/orders').set(auth).send({ reference: 'PG-CONC' }).expect(201);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t!.http
          .post(`/v1/orders/${order.body.id}/events`)
          .set(auth)
          .send({ type: 'address_changed', sealed: { note: `n${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const rows = await t!.dataSource.query<{ seq: number; record: string; leaf: string }[]>(
      `SELECT seq, record, leaf FROM events WHERE order_id = $1 ORDER BY seq`,
      [order.body.id],
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    rows.forEach((row, i) => {
      expect(leafHashOfCanonical(row.record)).toBe(row.leaf);
      expect(JSON.parse(row.record).prev).toBe(i === 0 ? GENESIS_PREV : rows[i - 1].leaf);
    });
  });

  it('keeps transactions apart although PGlite has one session', async () => {
    const ds = t!.dataSource;
    const insertBrand = (tx: { query: (sql: string, params: unknown[]) => Promise<unknown> }, slug: string) =>
      tx.query(`INSERT INTO brands (id, slug, name, created_at) VALUES (gen_random_uuid(), $1, $1, now())`, [slug]);
    // The first transaction yields to the event loop mid-way and then fails; the second must
    // neither run inside it nor commit its row.
    const failing = ds.transaction(async (tx) => {
      await insertBrand(tx, 'tx-rolled-back');
      // Event-loop turns, not time: the second transaction's queries are issued meanwhile.
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      throw new Error('roll back');
    });
    const succeeding = ds.transaction((tx) => insertBrand(tx, 'tx-committed'));
    await expect(failing).rejects.toThrow('roll back');
    await succeeding;
    const slugs = (await ds.query<{ slug: string }[]>(`SELECT slug FROM brands WHERE slug LIKE 'tx-%'`)).map((r) => r.slug);
    expect(slugs).toEqual(['tx-committed']);
  });

  it('keeps the audit trail append-only and chained on PGlite too', async () => {
    const trail = (
      await t!.http
        .get('/v1/audit-log')
        .set({ Authorization: `Bearer ${t!.adminToken}` })
        .expect(200)
    ).body.items as AuditEntry[];
    // Every brand created so far in this file, with its key.
    expect(trail.length).toBeGreaterThanOrEqual(2);
    expect(trail.slice(0, 2).map((e) => e.action)).toEqual(['brand.created', 'key.created']);
    trail.forEach((entry, i) => expect(checkAuditEntry(entry, i, i === 0 ? AUDIT_GENESIS_PREV : trail[i - 1].hash)).toEqual([]));
    await expect(t!.dataSource.query(`UPDATE audit_log SET actor = 'someone' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t!.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('keeps orders, keys and the admin token across a restart on the same folder', async () => {
    const token = t!.adminToken;
    const migrations = await t!.dataSource.query('SELECT name FROM migrations ORDER BY id');
    await t!.close();
    t = undefined;
    t = await startTestApp({ driver: 'pglite', dataDir });
    expect(t.adminToken).toBe(token);
    expect(await t.dataSource.query('SELECT name FROM migrations ORDER BY id')).toEqual(migrations);
    const got = await t.http
      .get(`/v1/orders/${orderId}`)
      .set({ Authorization: `Bearer ${brandKey}` })
      .expect(200);
    expect(got.body).toMatchObject({ status: 'delivered', lastSeq: 5 });
    const event = await t.http
      .post(`/v1/orders/${orderId}/events`)
      .set({ Authorization: `Bearer ${brandKey}` })
      .send({ type: 'received' })
      .expect(201);
    expect(event.body.seq).toBe(6);
  });

  it('erases an order and rotates the data key on the embedded database too', async () => {
    const brand = await createBrand(t!, 'erasing', ['brand:admin', 'brand:write', 'brand:read']);
    const order = await t!.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'ER-1', sealed: { note: 'n' } })
      .expect(201);
    const erased = await t!.http.post(`/v1/orders/${order.body.id}/erase`).set(brand.auth).expect(200);
    expect(erased.body.erasedFields).toEqual(['note']);
    const rows = await t!.dataSource.query(
      `SELECT wrapped_key, sealed_private FROM orders o JOIN events e ON e.order_id = o.id WHERE o.id = $1`,
      [order.body.id],
    );
    expect(rows).toEqual([{ wrapped_key: null, sealed_private: null }]);
    const rotated = await t!.http
      .post('/v1/admin/data-key/rotate')
      .set({ Authorization: `Bearer ${t!.adminToken}` })
      .expect(200);
    // Every key is already under the only data key there is.
    expect(rotated.body).toMatchObject({
      orderKeysRewrapped: 0,
      serviceKeysRewrapped: 0,
      eventsMovedUnderOrderKeys: 0,
      unknownDataKeys: [],
    });
  });
});

describe('configuration', () => {
  it('refuses DATABASE_URL without ORDERTRACE_DATA_KEY, saying what to set', () => {
    expect(() => loadAppConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' })).toThrow(ConfigError);
    expect(() => loadAppConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' })).toThrow(
      /ORDERTRACE_DATA_KEY \(or ORDERTRACE_DATA_KEY_FILE\) is required/,
    );
  });

  it('moves a data key an earlier version kept in the data folder out of it, and says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-config-'));
    try {
      const data = path.join(dir, 'data');
      fs.mkdirSync(data);
      const legacyKey = 'ab'.repeat(32);
      fs.writeFileSync(path.join(data, 'data-key'), `${legacyKey}\n`, { mode: 0o600 });
      const env = { ORDERTRACE_DATA_DIR: data, XDG_CONFIG_HOME: path.join(dir, 'config') };
      const config = loadAppConfig(env, dir);
      expect(config.dataKey.key.toString('hex')).toBe(legacyKey);
      expect(fs.existsSync(path.join(data, 'data-key'))).toBe(false);
      expect(fs.readFileSync(config.dataKey.keyFile!, 'utf8').trim()).toBe(legacyKey);
      expect(mode(config.dataKey.keyFile!)).toBe(0o600);
      expect(config.dataKey.notices).toEqual([expect.stringMatching(/^moved the data key out of the data folder/)]);
      // A stale copy of another key in the folder is refused, not guessed between.
      fs.writeFileSync(path.join(data, 'data-key'), `${'cd'.repeat(32)}\n`, { mode: 0o600 });
      expect(() => loadAppConfig(env, dir)).toThrow(/hold different data keys/);
      // A key file inside the data folder is refused.
      expect(() => loadAppConfig({ ...env, ORDERTRACE_DATA_KEY_FILE: path.join(data, 'k') }, dir)).toThrow(/outside the data folder/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every bad variable at once without echoing secrets', () => {
    let error: ConfigError | undefined;
    try {
      loadAppConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ORDERTRACE_DATA_KEY: 'secret-but-too-short',
        ORDERTRACE_ANCHORING: 'maybe',
        CHAIN_CONFIRMATIONS: '-1',
        CONTRACT_ADDRESS: '0x123',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_URL',
        'ORDERTRACE_DATA_KEY',
        'ORDERTRACE_ANCHORING',
        'CHAIN_CONFIRMATIONS',
        'CONTRACT_ADDRESS',
      ]),
    );
    expect(error!.message).not.toContain('secret-but-too-short');
  });

  it('applies the documented defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-config-'));
    try {
      const config = loadAppConfig({ XDG_CONFIG_HOME: path.join(dir, 'config') }, dir);
      expect(config.http).toEqual({
        host: '127.0.0.1',
        port: 3000,
        publicBaseUrl: 'http://localhost:3000',
        bodyLimitBytes: 1024 * 1024,
        workers: 1,
        trustProxy: false,
      });
      expect(config.dataDir).toBe(path.join(dir, '.ordertrace'));
      expect(config.database).toEqual({ driver: 'pglite', dataDir: path.join(dir, '.ordertrace', 'pglite') });
      expect(config.chain).toMatchObject({ rpcUrl: null, port: 8545, confirmations: 1 });
      expect(config.anchoring).toEqual({
        enabled: true,
        batchMaxEvents: 10000,
        batchMaxWaitMs: 5000,
        lowBalanceWei: 50_000_000_000_000_000n,
        stalledAfterMs: 900_000,
      });
      expect(config.dataKey.key).toHaveLength(32);
      // A second load reads the same secrets instead of making new ones.
      const again = loadAppConfig({ XDG_CONFIG_HOME: path.join(dir, 'config') }, dir);
      expect(again.admin.adminToken).toBe(config.admin.adminToken);
      expect(again.dataKey.key.equals(config.dataKey.key)).toBe(true);
      expect(config.dataKey.keyFile!.startsWith(path.join(dir, 'config', 'ordertrace', 'data-keys'))).toBe(true);
      expect(config.dataKey.notices).toEqual([expect.stringContaining('created the data key')]);
      expect(again.dataKey.notices).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
