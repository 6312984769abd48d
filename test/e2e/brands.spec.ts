/**
 * Operator API for brands and keys, and the authentication of every /v1 call.
 */
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { createBrand, startTestApp, type TestApp } from '../support/app';

const PROBLEM = /^application\/problem\+json/;

let t: TestApp;
let admin: { Authorization: string };

beforeAll(async () => {
  t = await startTestApp();
  admin = { Authorization: `Bearer ${t.adminToken}` };
});

afterAll(async () => {
  await t?.close();
});

describe('POST /v1/brands', () => {
  it('creates a brand with the admin token', async () => {
    const res = await t.http.post('/v1/brands').set(admin).send({ slug: 'acme', name: 'ACME Ltd' }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: 'acme',
      name: 'ACME Ltd',
      createdAt: expect.any(String),
    });
  });

  it('refuses a taken slug with 409', async () => {
    await t.http.post('/v1/brands').set(admin).send({ slug: 'dup', name: 'One' }).expect(201);
    const res = await t.http.post('/v1/brands').set(admin).send({ slug: 'dup', name: 'Two' }).expect(409);
    expect(res.body).toMatchObject({ code: 'BRAND_SLUG_TAKEN', field: 'slug' });
  });

  it('refuses slugs that are not lowercase identifiers, naming the field', async () => {
    for (const slug of ['ACME', 'a b', '-acme', 'acme-', '', 'x'.repeat(65), 7]) {
      const res = await t.http.post('/v1/brands').set(admin).send({ slug, name: 'N' }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['slug']);
    }
  });

  it('needs the admin token', async () => {
    const none = await t.http.post('/v1/brands').send({ slug: 'nope', name: 'N' }).expect(401);
    expect(none.headers['content-type']).toMatch(PROBLEM);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await t.http.post('/v1/brands').set({ Authorization: 'Bearer wrong-token-123456' }).send({ slug: 'nope', name: 'N' }).expect(401);
    await t.http.post('/v1/brands').set({ Authorization: t.adminToken }).send({ slug: 'nope', name: 'N' }).expect(401);
    const brand = await createBrand(t);
    await t.http.post('/v1/brands').set(brand.auth).send({ slug: 'nope', name: 'N' }).expect(403);
    expect(await t.database!.query(`SELECT id FROM brands WHERE slug = 'nope'`)).toEqual([]);
  });
});

describe('brand API keys', () => {
  it('shows a key once and stores only its hash, with the default role', async () => {
    const brand = await t.http.post('/v1/brands').set(admin).send({ slug: 'hashco', name: 'Hash Co' }).expect(201);
    const res = await t.http.post(`/v1/brands/${brand.body.id}/keys`).set(admin).send({}).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      key: expect.stringMatching(/^otk_[A-Za-z0-9_-]{43}$/),
      roles: ['brand:write', 'brand:read'],
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.key.startsWith(res.body.keyPrefix)).toBe(true);
    const rows = await t.database!.query<{ key_hash: string; key_prefix: string; roles: string[] }>(
      `SELECT * FROM api_keys WHERE id = $1`,
      [res.body.id],
    );
    expect(rows[0].key_hash).toBe(createHash('sha256').update(res.body.key).digest('hex'));
    expect(rows[0].roles).toEqual(['brand:write', 'brand:read']);
    const everything = JSON.stringify(await t.database!.query(`SELECT * FROM api_keys`));
    expect(everything).not.toContain(res.body.key);
  });

  it('accepts explicit roles and refuses malformed ones', async () => {
    const brand = await createBrand(t);
    const ok = await t.http
      .post(`/v1/brands/${brand.id}/keys`)
      .set(admin)
      .send({ roles: ['brand:admin', 'brand:read'] })
      .expect(201);
    expect(ok.body.roles).toEqual(['brand:admin', 'brand:read']);
    for (const roles of [[], ['Brand'], 'brand:read', ['brand:read', 'brand:read'], [1], null]) {
      const res = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({ roles }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('roles');
    }
  });

  it('refuses unknown role names with 422 listing the valid ones', async () => {
    const brand = await createBrand(t);
    for (const roles of [['brand'], ['brand:read', 'bundle:export']]) {
      const res = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({ roles }).expect(422);
      expect(res.body).toMatchObject({
        code: 'UNKNOWN_ROLE',
        validRoles: ['brand:admin', 'brand:write', 'brand:read', 'arbitrator', 'auditor'],
        errors: [{ field: 'roles', message: expect.any(String) }],
      });
    }
    expect(await t.database!.query(`SELECT id FROM api_keys WHERE brand_id = $1`, [brand.id])).toHaveLength(1);
  });

  it('answers keys for unknown brands with 404', async () => {
    await t.http.post(`/v1/brands/${randomUUID()}/keys`).set(admin).send({}).expect(404);
    const res = await t.http.post('/v1/brands/not-a-uuid/keys').set(admin).send({}).expect(404);
    expect(res.body).toMatchObject({ code: 'BRAND_NOT_FOUND' });
  });

  it('makes a revoked key answer 401 while other keys keep working', async () => {
    const brand = await createBrand(t);
    const second = await t.http.post(`/v1/brands/${brand.id}/keys`).set(admin).send({}).expect(201);
    await t.http.get('/v1/orders').set(brand.auth).expect(200);
    await t.http.delete(`/v1/brands/${brand.id}/keys/${brand.keyId}`).set(admin).expect(204);
    const res = await t.http.get('/v1/orders').set(brand.auth).expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'R-1' }).expect(401);
    await t.http
      .get('/v1/orders')
      .set({ Authorization: `Bearer ${second.body.key}` })
      .expect(200);
    // Revoking again changes nothing; unknown keys and other brands' keys are 404.
    await t.http.delete(`/v1/brands/${brand.id}/keys/${brand.keyId}`).set(admin).expect(204);
    await t.http.delete(`/v1/brands/${brand.id}/keys/${randomUUID()}`).set(admin).expect(404);
    const other = await createBrand(t);
    await t.http.delete(`/v1/brands/${other.id}/keys/${second.body.id}`).set(admin).expect(404);
    await t.http
      .get('/v1/orders')
      .set({ Authorization: `Bearer ${second.body.key}` })
      .expect(200);
  });

  it("refuses a key without the route's role with 403 naming the roles it needs", async () => {
    const brand = await createBrand(t, undefined, ['brand:admin']);
    const res = await t.http.get('/v1/orders').set(brand.auth).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['brand:read', 'arbitrator', 'auditor'] });
  });
});

describe('brand authentication on /v1/orders', () => {
  it('answers missing, malformed and unknown credentials with 401, and the admin token with 403', async () => {
    for (const headers of [
      {},
      { Authorization: 'Basic abc' },
      { Authorization: 'Bearer otk_unknown' },
      { Authorization: 'Bearer other' },
    ]) {
      const res = await t.http.get('/v1/orders').set(headers).expect(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const res = await t.http.get('/v1/orders').set(admin).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['brand:read', 'arbitrator', 'auditor'] });
  });

  it('authenticates before validating: a bad body without a key is 401, not 400', async () => {
    await t.http.post('/v1/orders').send({ nonsense: true }).expect(401);
  });
});

describe('an instance without admin token', () => {
  it('keeps the admin API disabled', async () => {
    const bare = await startTestApp({ env: { ORDERTRACE_ADMIN_TOKEN: '' } });
    try {
      const res = await bare.http
        .post('/v1/brands')
        .set({ Authorization: 'Bearer anything-at-all-123' })
        .send({ slug: 'x', name: 'X' })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'ADMIN_API_DISABLED' });
    } finally {
      await bare.close();
    }
  });
});
