/**
 * Roles on API keys: every route of the OpenAPI document against every kind of caller, grants
 * that open a brand's orders to arbitrator and auditor keys, key expiry, rotation, listing, and
 * the migration of the former single `brand` role.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATION_GLOB, runMigrations } from '../../server/database/data-source-options';
import { createTestDatabase } from '../support/database';
import { createBrand, startTestApp, type TestApp } from '../support/app';

type Accessor = 'operator' | 'metrics' | 'brand:admin' | 'brand:write' | 'brand:read' | 'arbitrator' | 'auditor';
type Expected = readonly Accessor[] | 'public';

const METRICS_TOKEN = 'matrix-metrics-token-0123456789';
const GRANT_READERS: Expected = ['brand:read', 'arbitrator', 'auditor'];
const KEY_ADMINS: Expected = ['operator', 'brand:admin'];

/**
 * Who may call each route. A route missing here, or declared otherwise in the service, fails the
 * matrix: adding a route means deciding its row.
 */
const EXPECTED_ACCESS: Record<string, Expected> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': ['operator', 'metrics'],
  'GET /public/chain': 'public',
  'GET /public/orders/{id}': 'public',
  'POST /public/orders/{id}/receipt': 'public',
  'POST /public/orders/{id}/requests': 'public',
  'GET /public/batches': 'public',
  'GET /public/batches/{seq}': 'public',
  'GET /public/trust.json': 'public',
  'POST /v1/brands': ['operator'],
  'GET /v1/brands': ['operator'],
  'POST /v1/brands/{id}/keys': KEY_ADMINS,
  'GET /v1/brands/{id}/keys': KEY_ADMINS,
  'POST /v1/brands/{id}/keys/{keyId}/rotate': KEY_ADMINS,
  'DELETE /v1/brands/{id}/keys/{keyId}': KEY_ADMINS,
  'POST /v1/keys': ['operator'],
  'GET /v1/keys': ['operator'],
  'POST /v1/keys/{keyId}/rotate': ['operator'],
  'DELETE /v1/keys/{keyId}': ['operator'],
  'POST /v1/grants': ['brand:admin'],
  'GET /v1/grants': ['brand:admin', 'arbitrator', 'auditor'],
  'DELETE /v1/grants/{grantId}': ['brand:admin'],
  'POST /v1/orders': ['brand:write'],
  'GET /v1/orders': GRANT_READERS,
  'GET /v1/orders/{id}': GRANT_READERS,
  'POST /v1/orders/{id}/events': ['brand:write'],
  'POST /v1/orders/{id}/erase': ['brand:admin'],
  'POST /v1/admin/data-key/rotate': ['operator'],
  'GET /v1/orders/{id}/events': GRANT_READERS,
  'POST /v1/bulk': ['brand:write'],
  'GET /v1/orders/{id}/epcis': GRANT_READERS,
  'GET /v1/orders/{id}/flags': GRANT_READERS,
  'GET /v1/stats': ['brand:read'],
  'GET /v1/flags': GRANT_READERS,
  'GET /v1/brands/{id}/flag-thresholds': ['brand:admin'],
  'PUT /v1/brands/{id}/flag-thresholds': ['brand:admin'],
  'POST /v1/epcis': ['brand:write'],
  'GET /v1/orders/{id}/bundle': GRANT_READERS,
  'GET /v1/orders/{id}/evidence.pdf': GRANT_READERS,
  'POST /v1/orders/{id}/qr': ['brand:write'],
  'GET /v1/orders/{id}/qr.png': ['brand:write'],
  'GET /v1/orders/{id}/qr.svg': ['brand:write'],
  'GET /v1/batches': ['operator', 'brand:read', 'auditor'],
  'GET /v1/batches/{seq}': ['operator', 'brand:read', 'auditor'],
  'GET /v1/audit-log': ['operator', 'auditor'],
  'POST /v1/webhooks': ['brand:admin'],
  'GET /v1/webhooks': ['brand:admin'],
  'DELETE /v1/webhooks/{id}': ['brand:admin'],
  'POST /v1/webhooks/{id}/rotate-secret': ['brand:admin'],
  'GET /v1/webhooks/{id}/deliveries': ['brand:admin'],
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': ['brand:admin'],
};

interface Caller {
  name: string;
  /** The accessor it counts as; null for no credential. */
  as: Accessor | null;
  /** Arbitrator and auditor keys: whether a grant opens the order the matrix asks about. */
  granted?: boolean;
  headers: Record<string, string>;
}

interface Key {
  id: string;
  key: string;
  auth: { Authorization: string };
}

let t: TestApp;
let admin: { Authorization: string };

function bearer(key: string): { Authorization: string } {
  return { Authorization: `Bearer ${key}` };
}

async function brandKey(brandId: string, roles: string[], by: { Authorization: string } = admin): Promise<Key> {
  const res = await t.http.post(`/v1/brands/${brandId}/keys`).set(by).send({ roles }).expect(201);
  return { id: res.body.id, key: res.body.key, auth: bearer(res.body.key) };
}

async function operatorKey(roles: string[]): Promise<Key> {
  const res = await t.http.post('/v1/keys').set(admin).send({ roles }).expect(201);
  expect(res.headers['cache-control']).toBe('no-store');
  return { id: res.body.id, key: res.body.key, auth: bearer(res.body.key) };
}

async function newOrder(auth: { Authorization: string }, reference: string): Promise<string> {
  return (
    await t.http
      .post('/v1/orders')
      .set(auth)
      .send({ reference, sealed: { note: 'private' } })
      .expect(201)
  ).body.id;
}

async function grant(by: Key, body: object): Promise<string> {
  return (await t.http.post('/v1/grants').set(by.auth).send(body).expect(201)).body.id;
}

beforeAll(async () => {
  // Webhooks of the matrix point at a closed port of 127.0.0.1.
  t = await startTestApp({ env: { METRICS_TOKEN: METRICS_TOKEN, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'true' } });
  admin = bearer(t.adminToken);
});

afterAll(async () => {
  await t?.close();
});

describe('the role matrix over every route of the OpenAPI document', () => {
  it('declares every route, as expected, and admits exactly the declared callers', async () => {
    const brand = await createBrand(t);
    const brandAdmin = await brandKey(brand.id, ['brand:admin']);
    const writer = await brandKey(brand.id, ['brand:write']);
    const reader = await brandKey(brand.id, ['brand:read']);
    const order = await newOrder(writer.auth, 'MATRIX-1');
    const arbitrator = await operatorKey(['arbitrator']);
    const auditor = await operatorKey(['auditor']);
    const lonelyArbitrator = await operatorKey(['arbitrator']);
    const lonelyAuditor = await operatorKey(['auditor']);
    // POST /v1/grants in the matrix grants this key, so the keys above keep their grants as set here.
    const spare = await operatorKey(['arbitrator']);
    await grant(brandAdmin, { key: arbitrator.id, order });
    await grant(brandAdmin, { key: auditor.id, brand: brand.id });

    const callers: Caller[] = [
      { name: 'no credential', as: null, headers: {} },
      { name: 'operator', as: 'operator', headers: admin },
      { name: 'metrics token', as: 'metrics', headers: bearer(METRICS_TOKEN) },
      { name: 'brand:admin', as: 'brand:admin', headers: brandAdmin.auth },
      { name: 'brand:write', as: 'brand:write', headers: writer.auth },
      { name: 'brand:read', as: 'brand:read', headers: reader.auth },
      { name: 'arbitrator with grant', as: 'arbitrator', granted: true, headers: arbitrator.auth },
      { name: 'arbitrator without grant', as: 'arbitrator', granted: false, headers: lonelyArbitrator.auth },
      { name: 'auditor with grant', as: 'auditor', granted: true, headers: auditor.auth },
      { name: 'auditor without grant', as: 'auditor', granted: false, headers: lonelyAuditor.auth },
    ];

    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-access'?: string[] }>>;
    };
    const operations: { route: string; method: string; path: string; declared: string[] | undefined }[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations.push({ route: `${method.toUpperCase()} ${p}`, method, path: p, declared: op['x-access'] });
      }
    }
    expect(operations.map((o) => o.route).sort()).toEqual(Object.keys(EXPECTED_ACCESS).sort());
    const declaredOtherwise = operations
      .filter((op) => {
        const expected = EXPECTED_ACCESS[op.route];
        return (
          JSON.stringify([...(op.declared ?? [])].sort()) !== JSON.stringify(expected === 'public' ? ['public'] : [...expected].sort())
        );
      })
      .map((op) => `${op.route}: ${JSON.stringify(op.declared)}`);
    expect(declaredOtherwise).toEqual([]);

    let erasures = 0;
    /** Path parameters: real resources, fresh ones for the routes that revoke, rotate or erase them. */
    const resolve = async (p: string): Promise<string> => {
      let out = p.replace('{seq}', '1');
      // Erasure gets an order of its own, so that the other routes keep theirs as it was.
      if (p.endsWith('/erase')) out = out.replace('{id}', await newOrder(writer.auth, `MATRIX-ERASE-${++erasures}`));
      if (out.startsWith('/v1/webhooks/{id}')) {
        // A fresh endpoint of the brand, with one message (an order created after it) for {deliveryId}.
        const hook = await t.http.post('/v1/webhooks').set(brandAdmin.auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
        out = out.replace('{id}', hook.body.id as string);
        if (out.includes('{deliveryId}')) {
          await newOrder(writer.auth, `MATRIX-HOOK-${hook.body.id as string}`);
          const deliveries = await t.http
            .get(`/v1/webhooks/${hook.body.id as string}/deliveries`)
            .set(brandAdmin.auth)
            .expect(200);
          out = out.replace('{deliveryId}', (deliveries.body.items as { id: string }[])[0].id);
        }
      }
      if (out.startsWith('/v1/orders/') || out.startsWith('/public/orders/')) out = out.replace('{id}', order);
      out = out.replace('{id}', brand.id);
      if (out.includes('{keyId}')) {
        const fresh = out.startsWith('/v1/keys') ? await operatorKey(['auditor']) : await brandKey(brand.id, ['brand:read']);
        out = out.replace('{keyId}', fresh.id);
      }
      if (out.includes('{grantId}')) out = out.replace('{grantId}', await grant(brandAdmin, { key: spare.id, brand: brand.id }));
      return out;
    };
    const bodyFor = (route: string): object => (route === 'POST /v1/grants' ? { key: spare.id, order } : {});

    const mismatches: string[] = [];
    for (const op of operations) {
      const expected = EXPECTED_ACCESS[op.route];
      for (const caller of callers) {
        const url = await resolve(op.path);
        const req = t.http[op.method as 'get' | 'post' | 'put' | 'delete'](url).set(caller.headers);
        const res = op.method === 'get' ? await req : await req.send(bodyFor(op.route));
        const status = res.status;
        let ok: boolean;
        let want: string;
        if (expected === 'public') {
          ok = status !== 401 && status !== 403;
          want = 'neither 401 nor 403';
        } else if (caller.as === null || !expected.includes(caller.as)) {
          // The metrics token is no credential anywhere else.
          want = caller.as === null || caller.as === 'metrics' ? '401' : '403';
          ok = status === Number(want);
        } else if (caller.granted === false && op.path.startsWith('/v1/orders/{id}')) {
          // Without a grant the order does not exist for the key.
          want = '404';
          ok = status === 404;
        } else {
          want = 'admitted (not 401, 403 or 404)';
          ok = status !== 401 && status !== 403 && (status !== 404 || op.path === '/v1/batches/{seq}');
        }
        if (!ok) mismatches.push(`${op.route} as ${caller.name}: ${status}, expected ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('grants', () => {
  let brand: Awaited<ReturnType<typeof createBrand>>;
  let brandAdmin: Key;
  let orderA1: string;
  let orderA2: string;
  let orderB1: string;
  let otherBrand: Awaited<ReturnType<typeof createBrand>>;

  beforeAll(async () => {
    brand = await createBrand(t);
    brandAdmin = await brandKey(brand.id, ['brand:admin']);
    otherBrand = await createBrand(t);
    orderA1 = await newOrder(brand.auth, 'G-A1');
    orderA2 = await newOrder(brand.auth, 'G-A2');
    orderB1 = await newOrder(otherBrand.auth, 'G-B1');
  });

  it('open the granted order to an arbitrator, and no other order of that brand or another', async () => {
    const arbitrator = await operatorKey(['arbitrator']);
    await t.http.get(`/v1/orders/${orderA1}`).set(arbitrator.auth).expect(404);
    const id = await grant(brandAdmin, { key: arbitrator.id, order: orderA1 });
    const got = await t.http.get(`/v1/orders/${orderA1}`).set(arbitrator.auth).expect(200);
    expect(got.body).toMatchObject({ id: orderA1, reference: 'G-A1' });
    const events = await t.http.get(`/v1/orders/${orderA1}/events`).set(arbitrator.auth).expect(200);
    expect(events.body.items).toHaveLength(1);
    for (const other of [orderA2, orderB1, 'no-such-order']) {
      const res = await t.http.get(`/v1/orders/${other}`).set(arbitrator.auth).expect(404);
      expect(res.body).toMatchObject({ code: 'ORDER_NOT_FOUND' });
      await t.http.get(`/v1/orders/${other}/events`).set(arbitrator.auth).expect(404);
      await t.http.get(`/v1/orders/${other}/bundle`).set(arbitrator.auth).expect(404);
    }
    // Its listing shows the granted order alone (audit --api --key walks it).
    const orders = await t.http.get('/v1/orders').set(arbitrator.auth).expect(200);
    expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([orderA1]);

    const listed = await t.http.get('/v1/grants').set(arbitrator.auth).expect(200);
    expect(listed.body.items).toEqual([
      { id, key: arbitrator.id, brand: brand.id, order: orderA1, createdAt: expect.any(String), revokedAt: null },
    ]);
    // Revoking closes the order at once; revoking again changes nothing.
    await t.http.delete(`/v1/grants/${id}`).set(brandAdmin.auth).expect(204);
    await t.http.get(`/v1/orders/${orderA1}`).set(arbitrator.auth).expect(404);
    expect((await t.http.get('/v1/orders').set(arbitrator.auth).expect(200)).body.items).toEqual([]);
    await t.http.delete(`/v1/grants/${id}`).set(brandAdmin.auth).expect(204);
    expect((await t.http.get('/v1/grants').set(arbitrator.auth).expect(200)).body.items).toEqual([]);
    const ofBrand = await t.http.get('/v1/grants').set(brandAdmin.auth).expect(200);
    expect(ofBrand.body.items).toContainEqual(expect.objectContaining({ id, revokedAt: expect.any(String) }));
  });

  it('of a whole brand open all its orders to an auditor, without private values', async () => {
    const auditor = await operatorKey(['auditor']);
    await grant(brandAdmin, { key: auditor.id, brand: brand.id });
    for (const order of [orderA1, orderA2]) {
      const events = await t.http.get(`/v1/orders/${order}/events`).set(auditor.auth).expect(200);
      expect(events.body.items[0].sealedFields).toEqual(['note']);
      expect(JSON.stringify(events.body)).not.toContain('private');
    }
    await t.http.get(`/v1/orders/${orderB1}`).set(auditor.auth).expect(404);
    const res = await t.http.get(`/v1/orders/${orderA1}/bundle?disclose=all`).set(auditor.auth).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    await t.http.get(`/v1/orders/${orderA1}/evidence.pdf?disclose=note`).set(auditor.auth).expect(403);
    await t.http.get('/v1/batches').set(auditor.auth).expect(200);
  });

  it("are given by the brand's admin key only, for its own orders and to operator-issued keys only", async () => {
    const arbitrator = await operatorKey(['arbitrator']);
    const before = await t.database!.query(`SELECT count(*)::int AS n FROM grants`);
    await t.http.post('/v1/grants').set(brand.auth).send({ key: arbitrator.id, order: orderA1 }).expect(403);
    const otherOrder = await t.http.post('/v1/grants').set(brandAdmin.auth).send({ key: arbitrator.id, order: orderB1 }).expect(404);
    expect(otherOrder.body).toMatchObject({ code: 'ORDER_NOT_FOUND', field: 'order' });
    await t.http.post('/v1/grants').set(brandAdmin.auth).send({ key: arbitrator.id, brand: otherBrand.id }).expect(403);
    const brandKeyGrant = await t.http.post('/v1/grants').set(brandAdmin.auth).send({ key: brand.keyId, brand: brand.id }).expect(404);
    expect(brandKeyGrant.body).toMatchObject({ code: 'API_KEY_NOT_FOUND', field: 'key' });
    const both = await t.http
      .post('/v1/grants')
      .set(brandAdmin.auth)
      .send({ key: arbitrator.id, brand: brand.id, order: orderA1 })
      .expect(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['order']);
    await t.http.post('/v1/grants').set(brandAdmin.auth).send({ key: 'nope', brand: brand.id }).expect(400);
    await t.http.delete(`/v1/keys/${arbitrator.id}`).set(admin).expect(204);
    await t.http.post('/v1/grants').set(brandAdmin.auth).send({ key: arbitrator.id, brand: brand.id }).expect(404);
    expect(await t.database!.query(`SELECT count(*)::int AS n FROM grants`)).toEqual(before);
    // Another brand's admin cannot revoke this brand's grants.
    const otherAdmin = await brandKey(otherBrand.id, ['brand:admin']);
    const live = await operatorKey(['arbitrator']);
    const id = await grant(brandAdmin, { key: live.id, order: orderA1 });
    const res = await t.http.delete(`/v1/grants/${id}`).set(otherAdmin.auth).expect(404);
    expect(res.body).toMatchObject({ code: 'GRANT_NOT_FOUND' });
    await t.http.get(`/v1/orders/${orderA1}`).set(live.auth).expect(200);
  });
});

describe('issuing keys', () => {
  it("lets a brand's admin key issue and list its brand's keys, but not operator-level roles or other brands' keys", async () => {
    const brand = await createBrand(t);
    const other = await createBrand(t);
    const brandAdmin = await brandKey(brand.id, ['brand:admin']);
    const minted = await brandKey(brand.id, ['brand:write'], brandAdmin.auth);
    await t.http.post('/v1/orders').set(minted.auth).send({ reference: 'MINTED-1' }).expect(201);
    for (const roles of [['arbitrator'], ['brand:read', 'auditor']]) {
      const res = await t.http.post(`/v1/brands/${brand.id}/keys`).set(brandAdmin.auth).send({ roles }).expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    }
    const unknown = await t.http
      .post(`/v1/brands/${brand.id}/keys`)
      .set(brandAdmin.auth)
      .send({ roles: ['root'] })
      .expect(422);
    expect(unknown.body.validRoles).toEqual(['brand:admin', 'brand:write', 'brand:read', 'arbitrator', 'auditor']);
    await t.http.post(`/v1/brands/${other.id}/keys`).set(brandAdmin.auth).send({}).expect(404);
    await t.http.get(`/v1/brands/${other.id}/keys`).set(brandAdmin.auth).expect(404);
    await t.http.delete(`/v1/brands/${other.id}/keys/${other.keyId}`).set(brandAdmin.auth).expect(404);
    await t.http.get('/v1/brands').set(brandAdmin.auth).expect(403);
    // The operator issues arbitrator and auditor keys through /v1/keys only, and brand roles only per brand.
    const misplaced = await t.http
      .post(`/v1/brands/${brand.id}/keys`)
      .set(admin)
      .send({ roles: ['arbitrator'] })
      .expect(400);
    expect(misplaced.body.errors.map((e: { field: string }) => e.field)).toEqual(['roles']);
    await t.http
      .post('/v1/keys')
      .set(admin)
      .send({ roles: ['brand:read'] })
      .expect(400);
    await t.http
      .post('/v1/keys')
      .set(admin)
      .send({ roles: ['nobody'] })
      .expect(422);
    await t.http.post('/v1/keys').set(admin).send({}).expect(400);

    const listed = await t.http.get(`/v1/brands/${brand.id}/keys`).set(brandAdmin.auth).expect(200);
    expect(listed.body.items.map((k: { id: string }) => k.id).sort()).toEqual([brand.keyId, brandAdmin.id, minted.id].sort());
    const listedMinted = listed.body.items.find((k: { id: string }) => k.id === minted.id);
    expect(Object.keys(listedMinted).sort()).toEqual(
      ['id', 'brandId', 'keyPrefix', 'roles', 'name', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'].sort(),
    );
    expect(listedMinted).toMatchObject({
      id: minted.id,
      brandId: brand.id,
      keyPrefix: minted.key.slice(0, 12),
      roles: ['brand:write'],
      name: null,
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(minted.key);
    const brands = await t.http.get('/v1/brands').set(admin).expect(200);
    expect(brands.body.items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining([brand.id, other.id]));
  });

  it('records a key’s last use without a write per request', async () => {
    const brand = await createBrand(t);
    const lastUsed = async () =>
      (await t.database!.query<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [brand.keyId]))[0]
        .last_used_at;
    expect(await lastUsed()).toBeNull();
    await t.http.get('/v1/orders').set(brand.auth).expect(200);
    let first: Date | null = null;
    for (let i = 0; i < 50 && first === null; i++) {
      first = await lastUsed();
      if (first === null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(first).not.toBeNull();
    // Within the minute, further uses write nothing.
    await t.http.get('/v1/orders').set(brand.auth).expect(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lastUsed()).toEqual(first);
  });

  it('lists the operator-issued keys with their names', async () => {
    const res = await t.http
      .post('/v1/keys')
      .set(admin)
      .send({ roles: ['auditor'], name: 'external auditor' })
      .expect(201);
    expect(res.body).toMatchObject({ brandId: null, roles: ['auditor'], name: 'external auditor' });
    const listed = await t.http.get('/v1/keys').set(admin).expect(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: res.body.id, name: 'external auditor', brandId: null }));
    expect(listed.body.items.every((k: { brandId: string | null }) => k.brandId === null)).toBe(true);
  });
});

describe('key expiry and rotation', () => {
  it('refuses a key from its expiry on, and expiries in the past', async () => {
    const brand = await createBrand(t);
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const res = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({ expiresAt }).expect(201);
    expect(res.body.expiresAt).toBe(expiresAt);
    const auth = bearer(res.body.key);
    await t.http.get('/v1/orders').set(auth).expect(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 100));
    const refused = await t.http.get('/v1/orders').set(auth).expect(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    for (const bad of [new Date(Date.now() - 1000).toISOString(), '2030-01-01', 'tomorrow']) {
      const r = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({ expiresAt: bad }).expect(400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['expiresAt']);
    }
  });

  it('rotates a key: the new one has the same roles, the old one works until the overlap ends', async () => {
    const brand = await createBrand(t);
    const brandAdmin = await brandKey(brand.id, ['brand:admin']);
    const old = await brandKey(brand.id, ['brand:write', 'brand:read']);
    const rotated = await t.http
      .post(`/v1/brands/${brand.id}/keys/${old.id}/rotate`)
      .set(brandAdmin.auth)
      .send({ overlapSeconds: 4 })
      .expect(201);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.body).toMatchObject({ roles: ['brand:write', 'brand:read'], brandId: brand.id, expiresAt: null });
    expect(rotated.body.id).not.toBe(old.id);
    const fresh = bearer(rotated.body.key);
    await t.http.get('/v1/orders').set(old.auth).expect(200);
    await t.http.get('/v1/orders').set(fresh).expect(200);
    const listed = await t.http.get(`/v1/brands/${brand.id}/keys`).set(admin).expect(200);
    const oldListed = listed.body.items.find((k: { id: string }) => k.id === old.id);
    expect(Date.parse(oldListed.expiresAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(oldListed.expiresAt)).toBeLessThanOrEqual(Date.now() + 4000);
    await new Promise((r) => setTimeout(r, Date.parse(oldListed.expiresAt) - Date.now() + 100));
    await t.http.get('/v1/orders').set(old.auth).expect(401);
    await t.http.get('/v1/orders').set(fresh).expect(200);
    // An expired or revoked key has nothing left to rotate.
    await t.http.post(`/v1/brands/${brand.id}/keys/${old.id}/rotate`).set(admin).send({}).expect(404);
    await t.http.delete(`/v1/brands/${brand.id}/keys/${rotated.body.id}`).set(admin).expect(204);
    await t.http.post(`/v1/brands/${brand.id}/keys/${rotated.body.id}/rotate`).set(admin).send({}).expect(404);
  });

  it('rotates without overlap, and operator-issued keys too', async () => {
    const arbitrator = await operatorKey(['arbitrator']);
    const res = await t.http.post(`/v1/keys/${arbitrator.id}/rotate`).set(admin).send({ overlapSeconds: 0 }).expect(201);
    expect(res.body).toMatchObject({ roles: ['arbitrator'], brandId: null });
    await t.http.get('/v1/grants').set(arbitrator.auth).expect(401);
    await t.http.get('/v1/grants').set(bearer(res.body.key)).expect(200);
    const bad = await t.http.post(`/v1/keys/${res.body.id}/rotate`).set(admin).send({ overlapSeconds: -1 }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['overlapSeconds']);
  });
});

describe('the migration of the former `brand` role', () => {
  it('turns `brand` into brand:admin, brand:write and brand:read, and drops names that granted nothing', async () => {
    const db = await createTestDatabase();
    const dir = path.dirname(MIGRATION_GLOB);
    const ext = path.extname(MIGRATION_GLOB);
    const before = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(ext) && Number(f.split('-')[0]) < 1795600600000)
      .map((f) => path.join(dir, f));
    const options = buildDataSourceOptions({ driver: 'postgres', url: db.url, poolSize: 2 });
    try {
      const old = await new DataSource({ ...options, migrations: before }).initialize();
      try {
        await runMigrations(old);
        await old.query(`INSERT INTO brands (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', 'legacy', 'Legacy')`);
        for (const [n, roles] of [
          [1, '{brand}'],
          [2, '{brand,arbitrator}'],
          [3, '{arbitrator}'],
          [4, '{bundle:export}'],
        ] as const) {
          await old.query(
            `INSERT INTO api_keys (id, brand_id, key_hash, key_prefix, roles)
             VALUES ($1, '00000000-0000-4000-8000-000000000001', $2, 'otk_legacy', $3)`,
            [`00000000-0000-4000-8000-00000000010${n}`, `hash-${n}`, roles],
          );
        }
      } finally {
        await old.destroy();
      }
      const current = await new DataSource(options).initialize();
      try {
        await runMigrations(current);
        const rows: { id: string; roles: string[] }[] = await current.query(`SELECT id::text, roles FROM api_keys ORDER BY id`);
        expect(rows.map((r) => r.roles)).toEqual([
          ['brand:admin', 'brand:write', 'brand:read'],
          ['brand:admin', 'brand:write', 'brand:read'],
          ['brand:read'],
          [],
        ]);
      } finally {
        await current.destroy();
      }
    } finally {
      await db.drop();
    }
  });
});
