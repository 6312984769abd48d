import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  type AnchoringTestApp,
  binaryBody,
  createBrand,
  startAnchoringTestApp,
  type TestApp,
  type TestBrand,
  waitOrderAnchored,
} from '../support/app';
import { launchTestBrowser } from '../support/browser';
import { freePort } from '../support/chain';
import { decodeQrPng, pngWidth } from '../support/qr';
import { ensureVerifierPageBuilt } from '../support/verifier-page';

// The consumer's journey end to end, in Chromium, against the real server, a private PostgreSQL
// database and a real Hardhat chain with anchoring on: the QR code printed for the parcel is
// decoded, its link opened, the proof checked in the browser against the chain.

const ARTIFACTS = join(resolve(__dirname, '../..'), 'test-artifacts');

/** The token of a link `<page>#o=…&t=<token>&api=…`. */
function tokenOf(link: string): string {
  return new URLSearchParams(link.split('#')[1]).get('t') ?? '';
}
const ANCHOR_TIMEOUT_MS = 90_000;

describe('verifier page (browser, real server, PostgreSQL and chain)', () => {
  let anchoring: AnchoringTestApp;
  let t: TestApp;
  let base: string;
  let brand: TestBrand;
  let profileDir: string;
  let browser: BrowserContext;
  const pageErrors: string[] = [];

  let orderId: string;
  let link: string;

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(url);
    return page;
  }

  async function settledVerdict(page: Page, verdict: string): Promise<void> {
    await page.waitForSelector(`[data-testid="verdict"][data-verdict="${verdict}"]`, { timeout: 60_000 });
  }

  /** The rows as listed: newest first. */
  async function rowStatuses(page: Page, testId = 'event-row'): Promise<[string, string][]> {
    return page.$$eval(`[data-testid="${testId}"]`, (rows) =>
      rows.map((r) => [r.getAttribute('data-seq') ?? '', r.getAttribute('data-status') ?? ''] as [string, string]),
    );
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureVerifierPageBuilt();

    // The QR link carries PUBLIC_BASE_URL, so the port is chosen before the server starts.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    anchoring = await startAnchoringTestApp({ PORT: String(port), PUBLIC_BASE_URL: base, BATCH_MAX_WAIT_MS: '300' });
    t = anchoring.t;
    brand = await createBrand(t, 'acme');

    profileDir = mkdtempSync(join(tmpdir(), 'ordertrace-chromium-'));
    browser = await launchTestBrowser(profileDir, { locale: 'en-US', viewport: { width: 390, height: 844 } });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await anchoring?.close().catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('shows every event of a delivered order as verified, opened from the decoded QR code', async () => {
    const order = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({
        reference: 'PO-1001',
        data: { items: 2, channel: 'web' },
        customer: { name: 'Li Wei', phone: '+86 138 0000 0000' },
        shippingAddress: { line1: '1 Nanjing Road', city: 'Shanghai', country: 'CN' },
      })
      .expect(201);
    orderId = order.body.id;
    for (const [type, data] of [
      ['paid', { method: 'card' }],
      ['packed', {}],
      ['shipped', { carrier: 'DHL', trackingNo: 'JD014600004512' }],
      ['delivered', {}],
    ] as const) {
      await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type, data }).expect(201);
    }
    await waitOrderAnchored(t, brand, orderId, 5, ANCHOR_TIMEOUT_MS);

    const png = await t.http.get(`/v1/orders/${orderId}/qr.png`).set(brand.auth).buffer(true).parse(binaryBody).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    const decoded = decodeQrPng(png.body as Buffer);
    expect(decoded).not.toBeNull();
    link = decoded!;
    expect(link).toMatch(new RegExp(`^${base}/v/#o=${orderId}&t=[A-Za-z0-9_-]{43}&api=${encodeURIComponent(base).replace(/\./g, '\\.')}$`));

    const page = await openPage(link);
    await settledVerdict(page, 'verified');
    expect(await rowStatuses(page)).toEqual([
      ['5', 'verified'],
      ['4', 'verified'],
      ['3', 'verified'],
      ['2', 'verified'],
      ['1', 'verified'],
    ]);
    // Public data is shown; private values never reach the page.
    const text = await page.textContent('main');
    expect(text).toContain('JD014600004512');
    expect(text).toContain(brand.name);
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

  it('asks for the order once and reads the chain in one batch, both from its inline first script, allowed by the CSP', async () => {
    const html = await fetch(`${base}/v/`);
    const text = await html.text();
    const inline = /<script>([\s\S]+?)<\/script>/.exec(text)?.[1];
    expect(inline).toBeDefined();
    const hash = createHash('sha256').update(inline!, 'utf8').digest('base64');
    expect(html.headers.get('content-security-policy')).toContain(`script-src 'self' 'sha256-${hash}';`);
    // Assets carry no inline-script allowance: only the HTML that holds the script does.
    const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(text)![1];
    expect((await fetch(`${base}/v/${script}`)).headers.get('content-security-policy')).toContain("script-src 'self';");

    const page = await browser.newPage();
    // The main script arrives late, as on a slow network: the first script's requests are then surely first.
    await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    const violations: string[] = [];
    const orderRequests: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const rpcBodies: unknown[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`/public/orders/${orderId}`)) orderRequests.push(r.url());
      if (r.url() === `${base}/public/rpc`) rpcBodies.push(r.postDataJSON());
    });
    await page.goto(link);
    await settledVerdict(page, 'verified');
    const rpcBeforeVerdict = [...rpcBodies];
    await page.close();
    expect(violations).toEqual([]);
    expect(orderRequests).toEqual([`${base}/public/orders/${orderId}`]);
    // The first script asked everything the check reads; the main script took those answers.
    expect(rpcBeforeVerdict).toHaveLength(1);
    expect((rpcBeforeVerdict[0] as { method: string }[]).map((c) => c.method)).toEqual(
      expect.arrayContaining(['eth_chainId', 'eth_blockNumber', 'eth_call', 'eth_getTransactionReceipt', 'eth_getBlockByNumber']),
    );
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
    // The consumer's confirmation reads as the consumer's: its record names the source, which no brand can write.
    expect(await page.getAttribute('[data-testid="event-row"][data-seq="6"] [data-testid="recorded-by"]', 'data-kind')).toBe('consumer');
    expect(await page.getAttribute('[data-testid="event-row"][data-seq="1"] [data-testid="recorded-by"]', 'data-kind')).toBe('api-key');
    expect(await page.textContent('[data-testid="event-row"][data-seq="1"] [data-testid="recorded-by"]')).toContain(brand.keyId);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-receipt-pending.png'), fullPage: true });

    await page.waitForSelector('[data-testid="event-row"][data-seq="6"][data-status="verified"]', { timeout: ANCHOR_TIMEOUT_MS });
    await settledVerdict(page, 'verified');
    expect((await rowStatuses(page)).map(([, s]) => s)).toEqual(Array(6).fill('verified'));
    expect(await page.getByTestId('confirm-receipt').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-receipt-verified.png'), fullPage: true });
    await page.close();

    // Only once.
    const token = tokenOf(link);
    const again = await fetch(`${base}/public/orders/${orderId}/receipt`, { method: 'POST', headers: { 'x-order-token': token } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('verifies a downloaded bundle file offline against the chain', async () => {
    const token = tokenOf(link);
    const { bundle } = (await t.http.get(`/public/orders/${orderId}`).set('x-order-token', token).expect(200)).body as { bundle: unknown };
    const file = join(t.dataDir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const page = await openPage(`${base}/v/`);
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="rpc-url"]')?.value ?? '') !== '');
    // The page's trust anchors name the server's read-only proxy, never the node itself.
    expect(await page.inputValue('[data-testid="rpc-url"]')).toBe(`${base}/public/rpc`);
    await page.setInputFiles('[data-testid="bundle-file"]', file);
    await page.waitForSelector('[data-testid="file-verdict"][data-verdict="verified"]', { timeout: 30_000 });
    expect((await rowStatuses(page, 'file-event-row')).length).toBe(6);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-file.png'), fullPage: true });
    await page.close();
  });

  it('shows the event whose stored record was altered in the database as invalid', async () => {
    const altered = await t.database!.query(
      `UPDATE events SET record = replace(record, '"carrier":"DHL"', '"carrier":"UPS"') WHERE order_id = $1 AND seq = 4 RETURNING seq`,
      [orderId],
    );
    expect(altered).toHaveLength(1);
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
    const token = tokenOf(link);
    const wrongToken = `${base}/v/${orderId}#${'A'.repeat(43)}`;
    const unknownOrder = `${base}/v/ord_00000000000000000000000000#${token}`;
    for (const [name, url] of [
      ['wrong-token', wrongToken],
      ['unknown-order', unknownOrder],
    ]) {
      const page = await openPage(url);
      await page.getByTestId('invalid-link').waitFor();
      expect(await page.getByTestId('event-row').count()).toBe(0);
      expect(await page.textContent('main')).not.toContain(brand.name);
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
    const { url } = (await t.http.post(`/v1/orders/${orderId}/qr`).set(brand.auth).expect(201)).body as { url: string };
    expect(url).not.toBe(link);
    const oldToken = tokenOf(link);
    const newToken = tokenOf(url);
    expect((await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': oldToken } })).status).toBe(404);
    expect((await fetch(`${base}/public/orders/${orderId}`, { headers: { 'x-order-token': newToken } })).status).toBe(200);
    // The token is stored only as its SHA-256.
    const rows = await t.database!.query<{ token_hash: string; revoked: boolean }>(
      `SELECT token_hash, revoked_at IS NOT NULL AS revoked FROM order_access_tokens WHERE order_id = $1 ORDER BY created_at`,
      [orderId],
    );
    expect(rows.map((r) => r.revoked)).toEqual([true, false]);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && r.token_hash !== newToken)).toBe(true);
    // The SVG carries the current link.
    const svg = await t.http.get(`/v1/orders/${orderId}/qr.svg`).set(brand.auth).buffer(true).parse(binaryBody).expect(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect((svg.body as Buffer).toString()).toMatch(/^<svg[^>]+viewBox/);
  });

  it('serves the QR codes only to the brand that owns the order, at a sane size', async () => {
    expect((await fetch(`${base}/v1/orders/${orderId}/qr.png`)).status).toBe(401);
    const { key } = await createBrand(t, 'other');
    for (const path of ['qr.png', 'qr.svg']) {
      expect((await fetch(`${base}/v1/orders/${orderId}/${path}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    }
    expect((await fetch(`${base}/v1/orders/${orderId}/qr`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status).toBe(
      404,
    );
    const tooSmall = await t.http.get(`/v1/orders/${orderId}/qr.png?size=10`).set(brand.auth).expect(400);
    expect((tooSmall.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('size');
    const sized = await t.http.get(`/v1/orders/${orderId}/qr.png?size=200`).set(brand.auth).buffer(true).parse(binaryBody).expect(200);
    expect(pngWidth(sized.body as Buffer)).toBe(200);
  });

  it('serves the page at /v and every path under it, but never HTML for a missing asset', async () => {
    for (const path of ['/v', '/v/', `/v/${orderId}`]) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    // Scripts and styles go out compressed to a client that takes it, and as they are to one that does not.
    const html = await (await fetch(`${base}/v/`)).text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const plain = await fetch(`${base}/v/${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    const plainText = await plain.text();
    for (const [accept, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
    ]) {
      const compressed = await fetch(`${base}/v/${script}`, { headers: { 'accept-encoding': accept } });
      expect([accept, compressed.headers.get('content-encoding')]).toEqual([accept, coding]);
      expect(compressed.headers.get('content-type')).toContain('text/javascript');
      // fetch undoes the coding: the same script either way.
      expect(await compressed.text()).toBe(plainText);
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
