import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestApp, type TestBrand } from '../support/app';
import { launchTestBrowser } from '../support/browser';
import { freePort } from '../support/chain';
import { ensureVerifierPageBuilt } from '../support/verifier-page';

// The consumer's change requests in Chromium, against the real server, PostgreSQL and a Hardhat
// chain: the form on the order's page, the brand's answers through the API, and each request's
// state as the page reads it from the verified history.

const ANCHOR_TIMEOUT_MS = 90_000;

describe('change requests on the verifier page (browser)', () => {
  let anchoring: AnchoringTestApp;
  let t: TestApp;
  let brand: TestBrand;
  let profileDir: string;
  let browser: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureVerifierPageBuilt();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
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

  async function requestStates(page: Page): Promise<[string, string][]> {
    return page.$$eval('[data-testid="request-item"]', (items) =>
      items.map((i) => [i.getAttribute('data-request') ?? '', i.getAttribute('data-state') ?? ''] as [string, string]),
    );
  }

  it('asks for a new address and a hold before shipping, shows the answers, and hides the form once shipped', async () => {
    const order = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'PO-CR-1' }).expect(201);
    const orderId = order.body.id as string;
    await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'paid' }).expect(201);
    const link = (await t.http.post(`/v1/orders/${orderId}/qr`).set(brand.auth).expect(201)).body.url as string;

    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(link);
    await page.waitForSelector('[data-testid="verdict"][data-verdict]', { timeout: 60_000 });

    // An empty address is caught on the page, without a request.
    const address = page.getByTestId('request-address');
    await address.waitFor();
    await page.getByTestId('request-address-button').click();
    await expect(page.locator('.requests [role="alert"]').textContent()).resolves.toContain('Enter the new address');
    expect((await t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200)).body.items).toHaveLength(2);

    await address.fill('Friedrichstraße 43, 10117 Berlin');
    await page.getByTestId('request-address-button').click();
    await page.getByTestId('request-sent').waitFor();
    await page.waitForSelector('[data-testid="request-item"][data-state="pending"]', { timeout: ANCHOR_TIMEOUT_MS });
    expect(await requestStates(page)).toEqual([['address', 'pending']]);
    // The address went sealed: the page shows the request, never the address.
    expect(await page.textContent('[data-testid="request-list"]')).not.toContain('Friedrichstraße');

    // The brand declines it; the page picks the answer up while it follows the anchoring.
    await t.http
      .post(`/v1/orders/${orderId}/events`)
      .set(brand.auth)
      .send({ type: 'change_declined', data: { request: 3 } })
      .expect(201);
    await page.reload();
    await page.waitForSelector('[data-testid="request-item"][data-state="declined"]', { timeout: ANCHOR_TIMEOUT_MS });

    await page.getByTestId('request-hold').click();
    await page.getByTestId('request-sent').waitFor();
    // A hold blocks shipping until the brand answers it.
    await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'shipped' }).expect(409);
    await t.http
      .post(`/v1/orders/${orderId}/events`)
      .set(brand.auth)
      .send({ type: 'hold_confirmed', data: { request: 5 } })
      .expect(201);
    await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'packed' }).expect(201);
    await t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type: 'shipped' }).expect(201);

    await page.reload();
    await page.waitForSelector('[data-testid="verdict"][data-verdict="verified"]', { timeout: ANCHOR_TIMEOUT_MS });
    expect(await requestStates(page)).toEqual([
      ['address', 'declined'],
      ['hold', 'approved'],
    ]);
    // Shipped: the list stays, the form is gone.
    expect(await page.getByTestId('request-hold').count()).toBe(0);
    expect(await page.getByTestId('request-address').count()).toBe(0);

    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.textContent('[data-testid="request-list"]')).resolves.toContain('已拒绝');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
