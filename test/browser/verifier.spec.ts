import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import jsQR from 'jsqr';
import { Client } from 'pg';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { DEV_ACCOUNT_0_PRIVATE_KEY } from '../../server/anchoring/dev-chain';
import { createApp } from '../../server/app.factory';
import { loadAppConfig } from '../../server/config/load-app-config';
import { deployTestAnchor, freePort, startTestChain, type TestChain } from '../support/chain';

// The consumer's journey end to end, in Debian's Chromium, against the real server, a private
// PostgreSQL database and a real Hardhat chain with anchoring on: the QR code printed for the
// parcel is decoded, its link opened, the proof checked in the browser against the chain.

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ANCHOR_TIMEOUT_MS = 90_000;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function pageBuildIsStale(): boolean {
  const built = join(ROOT, 'dist/verifier-web/index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(ROOT, 'verifier-web/src')),
    statSync(join(ROOT, 'verifier-web/index.html')).mtimeMs,
    newestMtime(join(ROOT, 'proof')),
  );
  return sources > statSync(built).mtimeMs;
}

describe('verifier page (browser, real server, PostgreSQL and chain)', () => {
  const dbName = `ordertrace_t_${randomBytes(6).toString('hex')}`;
  let chain: TestChain;
  let app: NestFastifyApplication;
  let base: string;
  let apiKey: string;
  let adminToken: string;
  let dataDir: string;
  let profileDir: string;
  let browser: BrowserContext;
  let db: Client;
  const pageErrors: string[] = [];

  let orderId: string;
  let link: string;

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function json<T>(response: Promise<Response>, status: number): Promise<T> {
    const r = await response;
    const text = await r.text();
    if (r.status !== status) throw new Error(`expected HTTP ${status}, got ${r.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function waitAnchored(id: string, count: number): Promise<void> {
    await until(`${count} anchored events of ${id}`, ANCHOR_TIMEOUT_MS, async () => {
      const { items } = await json<{ items: { status: string }[] }>(api('GET', `/v1/orders/${id}/events`), 200);
      return items.length === count && items.every((e) => e.status === 'anchored');
    });
  }

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(url);
    return page;
  }

  async function settledVerdict(page: Page, verdict: string): Promise<void> {
    await page.waitForSelector(`[data-testid="verdict"][data-verdict="${verdict}"]`, { timeout: 60_000 });
  }

  async function rowStatuses(page: Page, testId = 'event-row'): Promise<[string, string][]> {
    return page.$$eval(`[data-testid="${testId}"]`, (rows) =>
      rows.map((r) => [r.getAttribute('data-seq') ?? '', r.getAttribute('data-status') ?? ''] as [string, string]),
    );
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The server serves dist/verifier-web (npm test builds it): build it here only when missing or stale.
    if (pageBuildIsStale()) {
      await promisify(execFile)(
        process.execPath,
        [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'verifier-web/vite.config.mts', '--logLevel', 'warn'],
        {
          cwd: ROOT,
          timeout: 90_000,
        },
      );
    }

    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const dbUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
    db = new Client({ connectionString: dbUrl });
    await db.connect();

    chain = await startTestChain();
    const anchor = await deployTestAnchor(chain);
    dataDir = mkdtempSync(join(tmpdir(), 'ordertrace-browser-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    adminToken = randomBytes(24).toString('hex');
    const config = loadAppConfig(
      {
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_BASE_URL: base,
        DATABASE_URL: dbUrl,
        ORDERTRACE_DATA_KEY: randomBytes(32).toString('hex'),
        ORDERTRACE_ADMIN_TOKEN: adminToken,
        ORDERTRACE_DATA_DIR: dataDir,
        CHAIN_RPC_URL: chain.rpcUrl,
        CONTRACT_ADDRESS: anchor.address,
        ANCHOR_PRIVATE_KEY: DEV_ACCOUNT_0_PRIVATE_KEY,
        ORDERTRACE_ANCHORING: 'on',
        BATCH_MAX_WAIT_MS: '300',
        LOG_LEVEL: 'silent',
      },
      dataDir,
    );
    app = await createApp(config);
    await app.listen(port, '127.0.0.1');

    const brand = await json<{ id: string }>(
      fetch(`${base}/v1/brands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'acme', name: 'Acme Apparel' }),
      }),
      201,
    );
    ({ key: apiKey } = await json<{ key: string }>(
      fetch(`${base}/v1/brands/${brand.id}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({}),
      }),
      201,
    ));

    profileDir = mkdtempSync(join(tmpdir(), 'ordertrace-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await chain?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    for (const dir of [dataDir, profileDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows every event of a delivered order as verified, opened from the decoded QR code', async () => {
    const order = await json<{ id: string }>(
      api('POST', '/v1/orders', {
        reference: 'PO-1001',
        data: { items: 2, channel: 'web' },
        customer: { name: 'Li Wei', phone: '+86 138 0000 0000' },
        shippingAddress: { line1: '1 Nanjing Road', city: 'Shanghai', country: 'CN' },
      }),
      201,
    );
    orderId = order.id;
    for (const [type, data] of [
      ['paid', { method: 'card' }],
      ['packed', {}],
      ['shipped', { carrier: 'DHL', trackingNo: 'JD014600004512' }],
      ['delivered', {}],
    ] as const) {
      await json(api('POST', `/v1/orders/${orderId}/events`, { type, data }), 201);
    }
    await waitAnchored(orderId, 5);

    const png = await api('GET', `/v1/orders/${orderId}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded).not.toBeNull();
    link = decoded!.data;
    expect(link).toMatch(new RegExp(`^${base}/v/${orderId}#[A-Za-z0-9_-]{43}$`));

    const page = await openPage(link);
    await settledVerdict(page, 'verified');
    expect(await rowStatuses(page)).toEqual([
      ['1', 'verified'],
      ['2', 'verified'],
      ['3', 'verified'],
      ['4', 'verified'],
      ['5', 'verified'],
    ]);
    // Public data is shown; private values never reach the page.
    const text = await page.textContent('main');
    expect(text).toContain('JD014600004512');
    expect(text).not.toContain('Li Wei');
    expect(text).not.toContain('Nanjing');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('footer').count()).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-verified.png'), fullPage: true });

    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByTestId('verdict').textContent()).resolves.toContain('已验证');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-verified-zh.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.close();
  });

  it('lets the consumer confirm receipt once, shows the new event pending, then verified', async () => {
    const page = await openPage(link);
    await settledVerdict(page, 'verified');
    const button = page.getByTestId('confirm-receipt');
    // Keyboard only: the action must be reachable and operable without a pointer.
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-done').waitFor();
    await page.waitForSelector('[data-testid="event-row"][data-seq="6"]');
    const sixth = await page.getAttribute('[data-testid="event-row"][data-seq="6"]', 'data-status');
    expect(['pending', 'verified']).toContain(sixth);
    expect(await page.getAttribute('[data-testid="event-row"][data-seq="6"]', 'data-type')).toBe('received');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-receipt-pending.png'), fullPage: true });

    await page.waitForSelector('[data-testid="event-row"][data-seq="6"][data-status="verified"]', { timeout: ANCHOR_TIMEOUT_MS });
    await settledVerdict(page, 'verified');
    expect((await rowStatuses(page)).map(([, s]) => s)).toEqual(Array(6).fill('verified'));
    expect(await page.getByTestId('confirm-receipt').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-receipt-verified.png'), fullPage: true });
    await page.close();

    // Only once.
    const token = link.split('#')[1];
    const again = await fetch(`${base}/public/orders/${orderId}/receipt`, { method: 'POST', headers: { 'x-order-token': token } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('verifies a downloaded bundle file offline against the chain', async () => {
    const token = link.split('#')[1];
    const { bundle } = await json<{ bundle: unknown }>(
      fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': token } }),
      200,
    );
    const file = join(dataDir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const page = await openPage(`${base}/v/`);
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="rpc-url"]')?.value ?? '') !== '');
    expect(await page.inputValue('[data-testid="rpc-url"]')).toBe(chain.rpcUrl);
    await page.setInputFiles('[data-testid="bundle-file"]', file);
    await page.waitForSelector('[data-testid="file-verdict"][data-verdict="verified"]', { timeout: 30_000 });
    expect((await rowStatuses(page, 'file-event-row')).length).toBe(6);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-file.png'), fullPage: true });
    await page.close();
  });

  it('shows the event whose stored record was altered in the database as invalid', async () => {
    const { rowCount } = await db.query(
      `UPDATE events SET record = replace(record, '"carrier":"DHL"', '"carrier":"UPS"') WHERE order_id = $1 AND seq = 4`,
      [orderId],
    );
    expect(rowCount).toBe(1);
    const page = await openPage(link);
    await settledVerdict(page, 'invalid');
    const statuses = Object.fromEntries(await rowStatuses(page));
    expect(statuses['4']).toBe('invalid');
    expect(statuses['1']).toBe('verified');
    expect(await page.textContent('[data-testid="event-row"][data-seq="4"]')).toContain('UPS');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-tampered.png'), fullPage: true });
    await page.close();
  });

  it('answers a wrong token and an unknown order alike, with a not-valid page and no data', async () => {
    const token = link.split('#')[1];
    const wrongToken = `${base}/v/${orderId}#${'A'.repeat(43)}`;
    const unknownOrder = `${base}/v/ord_00000000000000000000000000#${token}`;
    for (const [name, url] of [
      ['wrong-token', wrongToken],
      ['unknown-order', unknownOrder],
    ]) {
      const page = await openPage(url);
      await page.getByTestId('invalid-link').waitFor();
      expect(await page.getByTestId('event-row').count()).toBe(0);
      expect(await page.textContent('main')).not.toContain('Acme');
      await page.screenshot({ path: join(ARTIFACTS, `verifier-invalid-link-${name}.png`), fullPage: true });
      await page.close();
    }
    const strip = (p: Record<string, unknown>) => ({ ...p, instance: undefined });
    const a = await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': 'A'.repeat(43) } });
    const b = await fetch(`${base}/public/orders/ord_00000000000000000000000000`, { headers: { 'x-order-token': token } });
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(strip(await a.json())).toEqual(strip(await b.json()));
  });

  it('revokes the previous link when a new one is issued', async () => {
    const { url } = await json<{ url: string }>(api('POST', `/v1/orders/${orderId}/qr`), 201);
    expect(url).not.toBe(link);
    const oldToken = link.split('#')[1];
    const newToken = url.split('#')[1];
    expect((await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': oldToken } })).status).toBe(404);
    expect((await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': newToken } })).status).toBe(200);
    // The token is stored only as its SHA-256.
    const { rows } = await db.query<{ token_hash: string; revoked: boolean }>(
      `SELECT token_hash, revoked_at IS NOT NULL AS revoked FROM order_access_tokens WHERE order_id = $1 ORDER BY created_at`,
      [orderId],
    );
    expect(rows.map((r) => r.revoked)).toEqual([true, false]);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && r.token_hash !== newToken)).toBe(true);
    // The SVG carries the current link.
    const svg = await api('GET', `/v1/orders/${orderId}/qr.svg`);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg[^>]+viewBox/);
  });

  it('serves the QR codes only to the brand that owns the order, at a sane size', async () => {
    expect((await fetch(`${base}/v1/orders/${orderId}/qr.png`)).status).toBe(401);
    const other = await json<{ id: string }>(
      fetch(`${base}/v1/brands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'other', name: 'Other Brand' }),
      }),
      201,
    );
    const { key } = await json<{ key: string }>(
      fetch(`${base}/v1/brands/${other.id}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: '{}',
      }),
      201,
    );
    for (const path of ['qr.png', 'qr.svg']) {
      expect((await fetch(`${base}/v1/orders/${orderId}/${path}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    }
    expect((await fetch(`${base}/v1/orders/${orderId}/qr`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status).toBe(
      404,
    );
    const tooSmall = await json<{ errors: { field: string }[] }>(api('GET', `/v1/orders/${orderId}/qr.png?size=10`), 400);
    expect(tooSmall.errors.map((e) => e.field)).toContain('size');
    const sized = await api('GET', `/v1/orders/${orderId}/qr.png?size=200`);
    expect(PNG.sync.read(Buffer.from(await sized.arrayBuffer())).width).toBe(200);
  });

  it('serves the page at /v and every path under it, but never HTML for a missing asset', async () => {
    for (const path of ['/v', '/v/', `/v/${orderId}`]) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    const missing = await fetch(`${base}/v/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const traversal = await fetch(`${base}/v/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).not.toContain('devDependencies');
  });

  it('rate-limits the public endpoints, answering with a problem', async () => {
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 200 && limited === null; i++) {
      const r = await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': 'B'.repeat(43) } });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
      else await r.arrayBuffer();
    }
    expect(limited).not.toBeNull();
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThanOrEqual(100);
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    // The standard header, not the throttler's name-suffixed one (Retry-After-public).
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited!.json()).toMatchObject({ status: 429 });
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
