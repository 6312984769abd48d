/**
 * The verifier page trusting no one, in Chromium against the real server, PostgreSQL and a Hardhat
 * chain: a compromised API handing out a bundle anchored in a look-alike contract (same chain, same
 * roots) is shown invalid; of two RPC endpoints one lies (a proxy that rewrites the root) → invalid,
 * naming it; one dead → verified with a note; and the page built with `build:verifier -- --trust`
 * and served from another local HTTP server on another port verifies an order.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import type { Bundle } from '../../proof/bundle';
import type { Hex } from '../../proof/bytes';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestBrand } from '../support/app';
import { launchTestBrowser } from '../support/browser';
import { deployTestAnchor, freePort } from '../support/chain';
import { type LyingRpcProxy, startLyingRpcProxy } from '../support/lying-rpc-proxy';
import { ensureVerifierPageBuilt } from '../support/verifier-page';

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');

jest.setTimeout(240_000);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** A plain static file server: each URL prefix is a folder, with an optional trust.json of its own. */
async function startStaticServer(sites: Record<string, { dir: string; trust?: string }>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(sites).find((p) => path.startsWith(p));
    if (prefix === undefined) return void res.writeHead(404).end();
    const site = sites[prefix];
    const rest = path.slice(prefix.length);
    if (rest === 'trust.json' && site.trust !== undefined) {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(site.trust);
    }
    const file = normalize(join(site.dir, rest === '' ? 'index.html' : rest));
    if (!file.startsWith(site.dir)) return void res.writeHead(404).end();
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('verifier page with pinned trust anchors (browser, real server, PostgreSQL and chain)', () => {
  let anchoring: AnchoringTestApp;
  let base: string;
  let brand: TestBrand;
  let browser: BrowserContext;
  let profileDir: string;
  let dir: string;
  let liar: LyingRpcProxy;
  let pages: { url: string; server: Server };
  let compromisedApi: Server;
  let compromisedApiUrl: string;
  let orderId: string;
  let token: string;
  let contract: string;
  const pageErrors: string[] = [];

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(url);
    return page;
  }

  async function settled(page: Page, verdict: string): Promise<void> {
    await page.waitForSelector(`[data-testid="verdict"][data-verdict="${verdict}"]`, { timeout: 60_000 });
  }

  async function checksText(page: Page): Promise<string> {
    return (await page.locator('details.checks').first().textContent()) ?? '';
  }

  function trustJson(rpc: string[]): string {
    return JSON.stringify({ format: 'ordertrace-trust/1', chainId: 31337, contract, rpc, publisher: { name: 'Acme' } });
  }

  beforeAll(async () => {
    await ensureVerifierPageBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-trust-page-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    anchoring = await startAnchoringTestApp({ PORT: String(port), PUBLIC_BASE_URL: base, BATCH_MAX_WAIT_MS: '300' });
    contract = anchoring.contract.toLowerCase();
    brand = await createBrand(anchoring.t, 'acme');
    const api = (path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${brand.key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => (await r.json()) as Record<string, unknown>);
    orderId = (await api('/v1/orders', { reference: 'PO-7', data: { items: 1 } })).id as string;
    for (const type of ['paid', 'packed', 'shipped']) await api(`/v1/orders/${orderId}/events`, { type, data: {} });
    await waitFor(
      'the order anchored',
      async () => {
        const { items } = (await api(`/v1/orders/${orderId}/events`)) as { items: { status: string }[] };
        return items.length === 4 && items.every((e) => e.status === 'anchored');
      },
      90_000,
      250,
    );
    const link = (await api(`/v1/orders/${orderId}/qr`, {})).url as string;
    token = new URLSearchParams(link.split('#')[1]).get('t')!;

    // A look-alike OrderAnchor on the same chain, holding the same roots: what a compromised server would deploy.
    const real = orderAnchorAt(contract, anchoring.chain.provider);
    const copy = await deployTestAnchor(anchoring.chain);
    const last = Number(await real.lastSeq());
    for (let seq = 1; seq <= last; seq++) await (await copy.contract.anchor(seq, await real.batch(seq), 1)).wait();
    const copyLogs = await anchoring.chain.provider.getLogs({ address: copy.address, fromBlock: 0 });
    // The compromised API: the real answer, with the bundle re-pointed at the look-alike and its transactions.
    compromisedApi = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'x-order-token');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      void (async () => {
        const answer = await fetch(`${base}${req.url}`, { headers: { 'x-order-token': String(req.headers['x-order-token'] ?? '') } });
        const body = (await answer.json()) as { bundle: Bundle; chain: { contract: string } };
        body.bundle.chain.contract = copy.address.toLowerCase() as Hex;
        body.chain.contract = copy.address.toLowerCase();
        for (const event of body.bundle.events) {
          const log = copyLogs.find((l) => BigInt(l.topics[1]) === BigInt(event.anchor!.batch))!;
          Object.assign(event.anchor!, { txHash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash });
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })();
    });
    await new Promise<void>((r) => compromisedApi.listen(0, '127.0.0.1', r));
    compromisedApiUrl = `http://127.0.0.1:${(compromisedApi.address() as AddressInfo).port}`;

    liar = await startLyingRpcProxy(anchoring.chain.rpcUrl);

    // The brand's own build, trust anchors built in, served from another origin; and the default build
    // served beside other trust.json files (read relative to the page, not from the origin root).
    const trustFile = join(dir, 'trust.json');
    writeFileSync(trustFile, trustJson([`${base}/public/rpc`]));
    const pinnedBuild = join(dir, 'pinned-build');
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-verifier.js'), '--trust', trustFile, '--out', pinnedBuild], {
      cwd: ROOT,
      timeout: 180_000,
    });
    const defaultBuild = join(ROOT, 'dist/verifier-web');
    const dead = `http://127.0.0.1:${await freePort()}`;
    pages = await startStaticServer({
      '/pinned/': { dir: pinnedBuild },
      '/liar/': { dir: defaultBuild, trust: trustJson([`${base}/public/rpc`, liar.url]) },
      '/dead/': { dir: defaultBuild, trust: trustJson([dead, `${base}/public/rpc`]) },
    });

    profileDir = mkdtempSync(join(tmpdir(), 'ordertrace-chromium-'));
    browser = await launchTestBrowser(profileDir, { locale: 'en-US', viewport: { width: 390, height: 844 } });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise((r) => pages?.server.close(r));
    await new Promise((r) => compromisedApi?.close(r));
    await liar?.stop();
    await anchoring?.close().catch(() => undefined);
    for (const d of [profileDir, dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const fragment = (api: string) => `#o=${orderId}&t=${token}&api=${encodeURIComponent(api)}`;

  it('verifies an order from a page built with --trust and served by another HTTP server on another port', async () => {
    const page = await openPage(`${pages.url}/pinned/${fragment(base)}`);
    await settled(page, 'verified');
    expect(await page.locator('[data-testid="event-row"][data-status="verified"]').count()).toBe(4);
    expect(await checksText(page)).toContain('pinned by this page’s trust anchors (built into this page)');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-trust-other-origin.png'), fullPage: true });
    await page.close();
  });

  it('keeps links printed as /v/{id}#<token> working, pinned by the trust.json beside the page', async () => {
    const page = await openPage(`${base}/v/${orderId}#${token}`);
    await settled(page, 'verified');
    expect(await checksText(page)).toContain(`(${base}/v/trust.json)`);
    await page.close();
  });

  it('shows a bundle anchored in a look-alike contract with the same roots invalid, naming both contracts', async () => {
    const page = await openPage(`${base}/v/${fragment(compromisedApiUrl)}`);
    await settled(page, 'invalid');
    const verdict = (await page.getByTestId('verdict').textContent()) ?? '';
    expect(verdict).toContain(contract);
    expect(verdict).toMatch(/bundle names contract 0x[0-9a-f]{40} on chain 31337, but the trust anchors expect contract/);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-trust-look-alike.png'), fullPage: true });
    await page.close();
  });

  it('shows the order invalid, naming the endpoint, when one of two RPC endpoints lies about the root', async () => {
    const before = liar.lies;
    const page = await openPage(`${pages.url}/liar/${fragment(base)}`);
    await settled(page, 'invalid');
    expect(liar.lies).toBeGreaterThan(before);
    const verdict = (await page.getByTestId('verdict').textContent()) ?? '';
    expect(verdict).toContain('endpoints disagree');
    expect(verdict).toContain(liar.url);
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-trust-lying-endpoint.png'), fullPage: true });
    await page.close();
  });

  it('verifies with a note when one of two RPC endpoints is dead', async () => {
    const page = await openPage(`${pages.url}/dead/${fragment(base)}`);
    await settled(page, 'verified');
    const checks = await checksText(page);
    expect(checks).toMatch(/Note: http:\/\/127\.0\.0\.1:\d+ failed: /);
    expect(checks).toContain(`${pages.url}/dead/trust.json`);
    await page.close();
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
