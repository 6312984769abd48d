/**
 * The audit trail of privileged actions, end to end against the real server and PostgreSQL: each
 * wired action writes one entry naming who, what and from where; the chain verifies; the database
 * refuses to change entries; concurrent writers keep the chain whole; auditors read it and brand
 * keys do not; `ordertrace audit` (database and --api --key) finds an entry edited behind the
 * trigger's back, and an order whose stored record was altered, by order and seq; with --flags it
 * lists the granted orders' anomaly flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEntry, AUDIT_GENESIS_PREV, checkAuditEntry } from '../../proof/audit-entry';
import type { Hex } from '../../proof/bytes';
import { ingestOrders, waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, startTestApp, type TestApp, type TestBrand } from '../support/app';
import { loadAppConfig } from '../../server/config/load-app-config';
import { freePort } from '../support/chain';
import { runCli } from '../support/cli';
import { everythingAnchored } from '../support/database';

jest.setTimeout(180_000);

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function readTrail(t: TestApp, auth: { Authorization: string }): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await t.http.get(`/v1/audit-log?after=${after}&limit=7`).set(auth).expect(200);
    entries.push(...(page.body.items as AuditEntry[]));
    if (page.body.nextAfter === null) return entries;
    after = page.body.nextAfter as number;
  }
}

function chainProblems(entries: AuditEntry[]): string[] {
  let lastSeq = 0;
  let lastHash: Hex = AUDIT_GENESIS_PREV;
  const problems: string[] = [];
  for (const entry of entries) {
    for (const p of checkAuditEntry(entry, lastSeq, lastHash)) problems.push(`${entry.seq} ${p.code}`);
    lastSeq = entry.seq;
    lastHash = entry.hash;
  }
  return problems;
}

describe('audit trail (anchoring off)', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let brand: TestBrand;
  let auditor: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.adminToken);
    brand = await createBrand(t, 'audited-brand');
    auditor = (
      await t.http
        .post('/v1/keys')
        .set(admin)
        .send({ roles: ['auditor'] })
        .expect(201)
    ).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records every wired action with actor, target and the client address, in a chain that verifies', async () => {
    const brandAdmin = (
      await t.http
        .post(`/v1/brands/${brand.id}/keys`)
        .set(admin)
        .send({ roles: ['brand:admin'] })
        .expect(201)
    ).body;
    const byAdmin = bearer(brandAdmin.key);
    const rotated = (await t.http.post(`/v1/brands/${brand.id}/keys/${brand.keyId}/rotate`).set(byAdmin).send({}).expect(201)).body;
    const spare = (
      await t.http
        .post(`/v1/brands/${brand.id}/keys`)
        .set(byAdmin)
        .send({ roles: ['brand:read'] })
        .expect(201)
    ).body;
    await t.http.delete(`/v1/brands/${brand.id}/keys/${spare.id}`).set(byAdmin).expect(204);
    // Revoking twice is not an error, and not a second entry.
    await t.http.delete(`/v1/brands/${brand.id}/keys/${spare.id}`).set(byAdmin).expect(204);
    const arbitrator = (
      await t.http
        .post('/v1/keys')
        .set(admin)
        .send({ roles: ['arbitrator'] })
        .expect(201)
    ).body;
    const newArbitrator = (await t.http.post(`/v1/keys/${arbitrator.id}/rotate`).set(admin).send({ overlapSeconds: 0 }).expect(201)).body;
    await t.http.delete(`/v1/keys/${newArbitrator.id}`).set(admin).expect(204);
    const order = (await t.http.post('/v1/orders').set(bearer(rotated.key)).send({ reference: 'AUDIT-1' }).expect(201)).body.id as string;
    const grant = (await t.http.post('/v1/grants').set(byAdmin).send({ key: auditor.id, brand: brand.id }).expect(201)).body.id as string;
    await t.http.delete(`/v1/grants/${grant}`).set(byAdmin).expect(204);
    await t.http.post('/v1/grants').set(byAdmin).send({ key: auditor.id, order }).expect(201);
    await t.http.post(`/v1/orders/${order}/qr`).set(bearer(rotated.key)).expect(201);
    // A refused action writes nothing.
    await t.http.post('/v1/grants').set(byAdmin).send({ key: brand.keyId, order }).expect(404);

    const trail = await readTrail(t, bearer(auditor.key));
    expect(chainProblems(trail)).toEqual([]);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    const summary = trail.map((e) => [e.actor, e.action, e.target]);
    const op = 'operator';
    const adm = `key:${brandAdmin.id}`;
    expect(summary).toEqual([
      [op, 'brand.created', `brand:${brand.id}`],
      [op, 'key.created', `key:${brand.keyId}`],
      [op, 'key.created', `key:${auditor.id}`],
      [op, 'key.created', `key:${brandAdmin.id}`],
      [adm, 'key.rotated', `key:${brand.keyId}`],
      [adm, 'key.created', `key:${spare.id}`],
      [adm, 'key.revoked', `key:${spare.id}`],
      [op, 'key.created', `key:${arbitrator.id}`],
      [op, 'key.rotated', `key:${arbitrator.id}`],
      [op, 'key.revoked', `key:${newArbitrator.id}`],
      [adm, 'grant.created', `grant:${grant}`],
      [adm, 'grant.revoked', `grant:${grant}`],
      [adm, 'grant.created', expect.stringMatching(/^grant:/)],
      [`key:${rotated.id}`, 'order-link.issued', `order:${order}`],
    ]);
    for (const entry of trail) {
      expect(entry.from).toBe('127.0.0.1');
      expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(trail[4].details).toMatchObject({ brand: brand.id, replacement: rotated.id });
    expect(trail[12].details).toEqual({ key: auditor.id, brand: brand.id, order });
    // No secret ends up in the trail: neither keys nor link tokens.
    const text = JSON.stringify(trail);
    for (const secret of [brandAdmin.key, rotated.key, spare.key, arbitrator.key, newArbitrator.key, auditor.key]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/otk_/);
  });

  it('records an erasure once and a data-key rotation, with who asked', async () => {
    const eraser = await createBrand(t, 'audited-eraser', ['brand:admin', 'brand:write', 'brand:read']);
    const order = (
      await t.http
        .post('/v1/orders')
        .set(eraser.auth)
        .send({ reference: 'ERASE-1', sealed: { note: 'private' } })
        .expect(201)
    ).body.id as string;
    await t.http.post(`/v1/orders/${order}/erase`).set(eraser.auth).expect(200);
    await t.http.post(`/v1/orders/${order}/erase`).set(eraser.auth).expect(200);
    await t.http.post('/v1/admin/data-key/rotate').set(admin).expect(200);
    const entries = await readTrail(t, admin);
    const erasures = entries.filter((e) => e.action === 'order.erased' && e.target === `order:${order}`);
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ actor: `key:${eraser.keyId}`, details: { fields: ['note'] } });
    expect(entries.filter((e) => e.action === 'data-key.rotated').at(-1)).toMatchObject({
      actor: 'operator',
      target: expect.stringMatching(/^data-key:[0-9a-f]{16}$/),
    });
    expect(chainProblems(entries)).toEqual([]);
  });

  it('is read by the operator and auditor keys, not by brand keys or without a credential', async () => {
    expect((await t.http.get('/v1/audit-log').set(admin).expect(200)).body.items.length).toBeGreaterThan(0);
    await t.http.get('/v1/audit-log').set(bearer(auditor.key)).expect(200);
    await t.http.get('/v1/audit-log').set(brand.auth).expect(403);
    await t.http.get('/v1/audit-log').expect(401);
    const bad = await t.http.get('/v1/audit-log?limit=0').set(admin).expect(400);
    expect(bad.body.errors[0].field).toBe('limit');
    await t.http.get('/v1/audit-log?after=-1').set(admin).expect(400);
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 24 }, () =>
        t.http
          .post('/v1/keys')
          .set(admin)
          .send({ roles: ['auditor'] })
          .expect(201),
      ),
    );
    const trail = await readTrail(t, admin);
    expect(chainProblems(trail)).toEqual([]);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    const [head] = await t.database!.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log_head');
    expect(Number(head.seq)).toBe(trail.length);
    expect(head.hash).toBe(trail[trail.length - 1].hash);
  });

  it('takes the client address from X-Forwarded-For only when TRUST_PROXY names the proxy', async () => {
    const latest = async (app: TestApp) => {
      const items = (await app.http.get('/v1/audit-log?limit=1000').set(bearer(app.adminToken)).expect(200)).body.items as AuditEntry[];
      return items[items.length - 1];
    };
    await t.http
      .post('/v1/keys')
      .set(admin)
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ roles: ['auditor'] })
      .expect(201);
    expect((await latest(t)).from).toBe('127.0.0.1');
    const behindProxy = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    try {
      await behindProxy.http
        .post('/v1/keys')
        .set(bearer(behindProxy.adminToken))
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ roles: ['auditor'] })
        .expect(201);
      expect(await latest(behindProxy)).toMatchObject({ action: 'key.created', from: '203.0.113.7' });
    } finally {
      await behindProxy.close();
    }
    expect(() => loadAppConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY must be/);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused, even for the table owner', async () => {
    for (const sql of [
      "UPDATE audit_log SET actor = 'someone' WHERE seq = 1",
      'DELETE FROM audit_log WHERE seq = 1',
      'TRUNCATE audit_log',
    ]) {
      await expect(t.database!.query(sql)).rejects.toThrow(/audit_log is append-only/);
    }
    const [first] = await t.database!.query<{ actor: string }>('SELECT actor FROM audit_log WHERE seq = 1');
    expect(first.actor).toBe('operator');
  });
});

describe('audit trail and granted orders through ordertrace audit (anchoring on)', () => {
  let running: AnchoringTestApp;
  let t: TestApp;
  let brand: TestBrand;
  let auditor: { id: string; key: string };
  let orders: string[];
  let otherOrders: string[];
  let dir: string;
  let trustPath: string;

  const allAnchored = (): Promise<boolean> => everythingAnchored(t.database!);

  const auditApi = async (key: string) => {
    const run = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--key', key, '--json']);
    return { run, data: JSON.parse(run.stdout || '{}') as { discrepancies: Record<string, unknown>[]; [k: string]: unknown } };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-audit-trail-'));
    const port = await freePort();
    running = await startAnchoringTestApp({ BATCH_MAX_EVENTS: '16', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    t = running.t;
    const admin = bearer(t.adminToken);
    brand = await createBrand(t);
    const other = await createBrand(t);
    orders = await ingestOrders(t.baseUrl, brand.key, 4, 5);
    // Ingested after the granted orders: they share the last batch with them.
    otherOrders = await ingestOrders(t.baseUrl, other.key, 2, 3);
    auditor = (
      await t.http
        .post('/v1/keys')
        .set(admin)
        .send({ roles: ['auditor'] })
        .expect(201)
    ).body;
    const brandAdmin = (
      await t.http
        .post(`/v1/brands/${brand.id}/keys`)
        .set(admin)
        .send({ roles: ['brand:admin'] })
        .expect(201)
    ).body;
    await t.http.post('/v1/grants').set(bearer(brandAdmin.key)).send({ key: auditor.id, brand: brand.id }).expect(201);
    await waitFor('all events anchored', allAnchored, 120_000, 100);
    trustPath = join(dir, 'trust.json');
    writeFileSync(trustPath, await (await fetch(`${t.baseUrl}/public/trust.json`)).text());
  });

  afterAll(async () => {
    await running?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records a disclosing export before answering, and not an export without disclosure', async () => {
    const before = (await t.http.get('/v1/audit-log?limit=1000').set(bearer(auditor.key)).expect(200)).body.items.length as number;
    await t.http.get(`/v1/orders/${orders[0]}/bundle`).set(brand.auth).expect(200);
    await t.http.get(`/v1/orders/${orders[0]}/bundle?disclose=all`).set(brand.auth).expect(200);
    await t.http.get(`/v1/orders/${orders[1]}/evidence.pdf?disclose=all`).set(brand.auth).expect(200);
    const items = (await t.http.get(`/v1/audit-log?after=${before}`).set(bearer(auditor.key)).expect(200)).body.items as AuditEntry[];
    expect(items.map((e) => [e.actor, e.action, e.target, e.details, e.from])).toEqual([
      [`key:${brand.keyId}`, 'disclosure.exported', `order:${orders[0]}`, { fields: 'all', format: 'bundle' }, '127.0.0.1'],
      [`key:${brand.keyId}`, 'disclosure.exported', `order:${orders[1]}`, { fields: 'all', format: 'evidence.pdf' }, '127.0.0.1'],
    ]);
  });

  it('lists to an auditor key only the orders its grants open', async () => {
    const listed = (await t.http.get('/v1/orders?limit=200').set(bearer(auditor.key)).expect(200)).body.items.map(
      (o: { id: string }) => o.id,
    );
    expect([...listed].sort()).toEqual([...orders].sort());
  });

  it('audit --api --key finds the audit trail and every granted order clean', async () => {
    const { run, data } = await auditApi(auditor.key);
    expect(run.code).toBe(0);
    const [{ n }] = await t.database!.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(data).toMatchObject({
      discrepancyCount: 0,
      auditTrailEntries: n,
      grantedOrders: { orders: orders.length, events: orders.length * 5, anchoredEvents: orders.length * 5 },
    });
    expect(run.stderr).toMatch(/audit trail: \d+ entries checked/);
    expect(run.stderr).toMatch(/orders: 4 checked/);
    const human = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--key', auditor.key]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^CLEAN: .*audit trail is whole/m);
    // A brand's key cannot read the trail: refused, exit 2.
    expect((await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--key', brand.key])).code).toBe(2);
  });

  it('audit --api --key --flags lists the anomaly flags of the granted orders, and no other order', async () => {
    // ingestOrders delivers each parcel right after shipping it: every order is implausibly fast.
    const run = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--key', auditor.key, '--flags', '--json']);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout) as { flags: { rule: string; order: string; seqs: number[] }[]; discrepancyCount: number };
    expect(data.discrepancyCount).toBe(0);
    expect(
      data.flags
        .filter((f) => f.rule === 'implausible_speed')
        .map((f) => f.order)
        .sort(),
    ).toEqual([...orders].sort());
    expect(data.flags.every((f) => orders.includes(f.order))).toBe(true);
    expect(data.flags.find((f) => f.order === orders[0] && f.rule === 'implausible_speed')?.seqs).toEqual([4, 5]);
    // Without --flags the JSON says none were asked for.
    expect((await auditApi(auditor.key)).data.flags).toBeNull();
    const human = await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--key', auditor.key, '--flags']);
    expect(human.stdout).toMatch(/^Flags {5}\d+ anomaly flags on the granted orders/m);
    expect(human.stdout).toMatch(new RegExp(`^${orders[0]} +4,5 +implausible_speed +high +The parcel was delivered`, 'm'));
    // Flags come from the API with a key.
    expect((await runCli(['audit', '--api', t.baseUrl, '--trust', trustPath, '--flags'])).code).toBe(2);
  });

  it('audit --api --key names the order and seq of a record altered in the database', async () => {
    const [row] = await t.database!.query<{ record: string }>('SELECT record FROM events WHERE order_id = $1 AND seq = 3', [orders[2]]);
    const altered = row.record.replace('"n":', '"n":1'); // the same shape, another value: the stored leaf no longer fits
    expect(altered).not.toBe(row.record);
    await t.database!.query('UPDATE events SET record = $1 WHERE order_id = $2 AND seq = 3', [altered, orders[2]]);
    try {
      const { run, data } = await auditApi(auditor.key);
      expect(run.code).toBe(1);
      expect(data.discrepancies).toContainEqual(expect.objectContaining({ order: orders[2], seq: 3, code: 'LEAF_MISMATCH' }));
      expect(data.discrepancies.every((d) => d.order === orders[2])).toBe(true);
    } finally {
      await t.database!.query('UPDATE events SET record = $1 WHERE order_id = $2 AND seq = 3', [row.record, orders[2]]);
    }
    expect((await auditApi(auditor.key)).run.code).toBe(0);
  });

  it('audit --api --key refuses the inclusion proofs of granted events whose batch did not check out', async () => {
    // An ungranted order's leaf altered: its batch no longer folds to its root, so no proof into it is believed.
    const [foreign] = await t.database!.query<{ id: string; leaf: string; batch_seq: number }>(
      'SELECT id::text, leaf, batch_seq FROM events WHERE order_id = $1 AND seq = 1',
      [otherOrders[0]],
    );
    const [granted] = await t.database!.query<{ order_id: string; seq: number }>(
      'SELECT order_id, seq FROM events WHERE batch_seq = $1 AND order_id = ANY($2) ORDER BY order_id, seq LIMIT 1',
      [foreign.batch_seq, orders],
    );
    expect(granted).toBeDefined();
    await t.database!.query('UPDATE events SET leaf = $1 WHERE id = $2', [`0x${'ee'.repeat(32)}`, foreign.id]);
    try {
      const { run, data } = await auditApi(auditor.key);
      expect(run.code).toBe(1);
      expect(data.discrepancies).toContainEqual(expect.objectContaining({ batch: foreign.batch_seq, code: 'BATCH_ROOT_MISMATCH' }));
      expect(data.discrepancies).toContainEqual(
        expect.objectContaining({ order: granted.order_id, seq: granted.seq, batch: foreign.batch_seq, code: 'PROOF_MISMATCH' }),
      );
      // Nothing of the ungranted order is read.
      expect(data.discrepancies.some((d) => d.order === otherOrders[0])).toBe(false);
    } finally {
      await t.database!.query('UPDATE events SET leaf = $1 WHERE id = $2', [foreign.leaf, foreign.id]);
    }
  });

  it('finds an entry edited behind the trigger (database and --api), and the database audit checks the trail too', async () => {
    const database = t.database!;
    const clean = await runCli(['audit', '--database-url', database.url, '--rpc', running.chain.rpcUrl, '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout).auditTrailEntries).toBeGreaterThan(5);

    // Only with the trigger disabled, as the table's owner, can an entry be changed at all.
    await database.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
                          UPDATE audit_log SET target = 'brand:someone-else' WHERE seq = 2;
                          ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    const viaApi = await auditApi(auditor.key);
    expect(viaApi.run.code).toBe(1);
    expect(viaApi.data.discrepancies).toEqual([expect.objectContaining({ entry: 2, code: 'AUDIT_HASH_MISMATCH' })]);

    const viaDb = await runCli(['audit', '--database-url', database.url, '--rpc', running.chain.rpcUrl, '--json']);
    expect(viaDb.code).toBe(1);
    expect(JSON.parse(viaDb.stdout).discrepancies).toEqual([expect.objectContaining({ entry: 2, code: 'AUDIT_HASH_MISMATCH' })]);

    // An entry removed from the middle: its successor's prev and seq no longer follow on.
    await database.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
                          DELETE FROM audit_log WHERE seq = 4;
                          ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    const human = await runCli(['audit', '--database-url', database.url, '--rpc', running.chain.rpcUrl]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/AUDIT_SEQ_GAP/);
    expect(human.stdout).toMatch(/AUDIT_PREV_MISMATCH/);
  });
});
