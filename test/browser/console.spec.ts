import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  type AnchoringTestApp,
  createBrand,
  startAnchoringTestApp,
  type TestApp,
  type TestBrand,
  waitEventsEvaluated,
  waitOrderAnchored,
} from '../support/app';
import { launchTestBrowser } from '../support/browser';
import { freePort } from '../support/chain';
import { ensureConsoleBuilt } from '../support/verifier-page';

// A brand's staff in the console, in Chromium, against the real server, a private PostgreSQL
// database and a real Hardhat chain: the key typed in, the figures and charts of the brand's
// orders, a search, and an order opened as the verifier page's own verified timeline.

const ARTIFACTS = join(resolve(__dirname, '../..'), 'test-artifacts');
const HOUR = 3_600_000;

interface Seed {
  reference: string;
  /** Events after `created`, with their `at` in hours before now. */
  events: [type: string, hoursAgo: number][];
}

const SEEDS: Seed[] = [
  {
    reference: 'PO-7001',
    events: [
      ['paid', 4],
      ['packed', 3.5],
      ['shipped', 3],
      ['delivered', 2],
    ],
  },
  {
    reference: 'PO-7002',
    events: [
      ['paid', 5],
      ['packed', 4.5],
      ['shipped', 4],
      ['delivered', 2],
    ],
  },
  {
    reference: 'PO-7003',
    events: [
      ['paid', 1],
      ['packed', 0.9],
      ['shipped', 0.8],
      ['delivered', 0.5],
      ['received', 0.25],
    ],
  },
  { reference: 'PO-8001', events: [['cancelled', 3]] },
];

describe('brand console (browser, real server, PostgreSQL and chain)', () => {
  let anchoring: AnchoringTestApp;
  let t: TestApp;
  let brand: TestBrand;
  let profileDir: string;
  let browser: BrowserContext;
  const ids = new Map<string, string>();
  const pageErrors: string[] = [];

  async function openConsole(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // A policy violation (an inline style or script) shows as a console error.
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(`${t.baseUrl}/console/`);
    return page;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.getByTestId('api-key').fill(key);
    await page.getByTestId('open-console').click();
  }

  async function figure(page: Page, testId: string): Promise<string> {
    return (await page.getByTestId(`${testId}-value`).textContent()) ?? '';
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureConsoleBuilt();
    // The trust file lists the service's own read-only RPC proxy at PUBLIC_BASE_URL, so the port is chosen first.
    const port = await freePort();
    anchoring = await startAnchoringTestApp({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, BATCH_MAX_WAIT_MS: '300' });
    t = anchoring.t;
    brand = await createBrand(t, 'tea-house');
    const now = Date.now();
    for (const seed of SEEDS) {
      const created = await t.http
        .post('/v1/orders')
        .set(brand.auth)
        .send({ reference: seed.reference, at: new Date(now - 6 * HOUR).toISOString() })
        .expect(201);
      ids.set(seed.reference, created.body.id);
      for (const [type, hoursAgo] of seed.events) {
        await t.http
          .post(`/v1/orders/${created.body.id}/events`)
          .set(brand.auth)
          .send({ type, at: new Date(now - hoursAgo * HOUR).toISOString() })
          .expect(201);
      }
    }
    for (const seed of SEEDS) await waitOrderAnchored(t, brand, ids.get(seed.reference)!, seed.events.length + 1);
    // The console reads the flags once, at sign-in: the seeds' flags are all raised before it opens.
    await waitEventsEvaluated(t);

    profileDir = mkdtempSync(join(tmpdir(), 'ordertrace-chromium-'));
    browser = await launchTestBrowser(profileDir, { locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await anchoring?.close().catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('is served with a strict content security policy and stores nothing', async () => {
    const res = await t.http.get('/console/').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['set-cookie']).toBeUndefined();
    await t.http.get('/console/trust.json').expect(200);
  });

  it('refuses a wrong key and a key without brand:read, saying which', async () => {
    const page = await openConsole();
    await signIn(page, 'ot_not-a-key');
    await expect(page.getByTestId('key-error').textContent()).resolves.toContain('refused');
    const writer = await t.http
      .post(`/v1/brands/${brand.id}/keys`)
      .set({ Authorization: `Bearer ${t.adminToken}` })
      .send({ roles: ['brand:write'] })
      .expect(201);
    await signIn(page, writer.body.key as string);
    // The first key's message stays until the second answer arrives: wait for the new one.
    await page.getByTestId('key-error').filter({ hasText: 'brand:read' }).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('key-error').textContent()).resolves.toContain('brand:read');
    await page.close();
  });

  it('shows the figures and charts, finds an order and opens its verified timeline, in English and Chinese', async () => {
    const page = await openConsole();
    await signIn(page, brand.key);
    await page.getByTestId('figures').waitFor();

    // Figures worked out here from the seeds: four orders, three delivered 2 h, 3 h and 30 min after payment.
    expect(await figure(page, 'figure-orders')).toBe('4');
    const durations = [2 * 3600, 3 * 3600, 0.5 * 3600].sort((a, b) => a - b);
    expect(await figure(page, 'figure-median')).toBe(
      new Intl.NumberFormat('en', { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(2),
    );
    const p95 = durations[1] + (durations[2] - durations[1]) * 0.9;
    expect(p95).toBe(10_440);
    expect(await figure(page, 'figure-p95')).toBe('2 hr 54 min');
    // No order carries a promised date.
    expect(await figure(page, 'figure-on-time')).toBe('—');
    // Anchoring is on and every event anchored; the wallet's balance is read from the chain.
    expect(await figure(page, 'figure-lag')).toBe('every event anchored');
    const balance = (await t.http.get('/v1/stats').set(brand.auth).expect(200)).body.anchoring.balance as string;
    expect(Number(balance)).toBeGreaterThan(0);
    expect(await figure(page, 'figure-balance')).toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 4 }).format(Number(balance)));
    const funnel = await page.$$eval('[data-testid="funnel-table"] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-key'), r.querySelector('td')?.textContent]),
    );
    expect(funnel).toEqual([
      ['created', '4'],
      ['paid', '3'],
      ['packed', '3'],
      ['shipped', '3'],
      ['delivered', '3'],
      ['received', '1'],
      ['cancelled', '1'],
      ['returned', '0'],
      ['refunded', '0'],
    ]);
    // The charts are drawn (uPlot canvases with a size).
    for (const chart of ['chart-orders-per-day', 'chart-funnel']) {
      const size = await page.$eval(`[data-testid="${chart}"] canvas`, (c) => [
        (c as HTMLCanvasElement).width,
        (c as HTMLCanvasElement).height,
      ]);
      expect(size[0]).toBeGreaterThan(100);
      expect(size[1]).toBeGreaterThan(100);
    }

    // Flagged orders: the count from GET /v1/flags, or "—" where the service has no such route.
    const flags = await t.http.get('/v1/flags').set(brand.auth);
    if (flags.status === 404) {
      await page.getByTestId('flags-unavailable').waitFor();
      expect(await figure(page, 'figure-flagged')).toBe('—');
    } else {
      expect(flags.status).toBe(200);
      const flagged = new Set((flags.body.items as { order: string }[]).map((f) => f.order)).size;
      await page.waitForFunction((n) => document.querySelector('[data-testid="figure-flagged-value"]')?.textContent === n, String(flagged));
    }
    await page.screenshot({ path: join(ARTIFACTS, 'console-dashboard-en.png'), fullPage: true });

    // Search by the start of the reference.
    await page.getByTestId('search-reference').fill('PO-70');
    await page.getByTestId('search').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="open-order"]').length === 3);
    expect(await page.$$eval('[data-testid="open-order"]', (buttons) => buttons.map((b) => b.textContent).sort())).toEqual([
      'PO-7001',
      'PO-7002',
      'PO-7003',
    ]);

    await page.locator('[data-testid="open-order"]', { hasText: 'PO-7002' }).click();
    await page.waitForSelector('[data-testid="verdict"][data-verdict="verified"]', { timeout: 60_000 });
    expect(await page.getByTestId('order-title').textContent()).toContain('PO-7002');
    const rows = await page.$$eval('[data-testid="event-row"]', (els) =>
      els.map((r) => [r.getAttribute('data-type'), r.getAttribute('data-status')]),
    );
    // The same timeline as the consumer's page: newest first.
    expect(rows).toEqual([
      ['delivered', 'verified'],
      ['shipped', 'verified'],
      ['packed', 'verified'],
      ['paid', 'verified'],
      ['created', 'verified'],
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-order-en.png'), fullPage: true });

    await page.getByRole('button', { name: '中文' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect(page.getByTestId('verdict').textContent()).resolves.toContain('已验证');
    await page.screenshot({ path: join(ARTIFACTS, 'console-order-zh.png'), fullPage: true });

    await page.getByTestId('back').click();
    await page.getByTestId('figures').waitFor();
    expect(await page.textContent('main')).toContain('每日订单');
    expect(await page.$$eval('[data-testid="funnel-table"] tbody th', (ths) => ths.map((th) => th.textContent))).toContain('已确认收货');
    await page.screenshot({ path: join(ARTIFACTS, 'console-dashboard-zh.png'), fullPage: true });

    // The key lived in the page's memory only.
    const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    expect(stored).toEqual([0, 0, '']);
    expect(pageErrors.filter((e) => !/status of 40[134]/.test(e))).toEqual([]);
    await page.close();
  });
});
