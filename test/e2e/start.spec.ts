/**
 * What `npm start` runs (`node dist/server/main.js`, built by `npm test`'s build step) on the
 * embedded default: no DATABASE_URL, no CHAIN_RPC_URL. It must print where everything is, serve
 * the API, the docs and the verifier page, anchor on its own chain, and stop that chain with itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../support/anchoring-fixture';
import { freePort, portOpen } from '../support/chain';
import { ROOT } from '../support/cli';

const MAIN = path.join(ROOT, 'dist', 'server', 'main.js');

describe('npm start on the embedded default', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-start-'));
  let server: ChildProcess;
  let stdout = '';
  let port: number;
  let chainPort: number;
  let base: string;

  beforeAll(async () => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (npm test does)`);
    port = await freePort();
    chainPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '',
      PORT: String(port),
      CHAIN_PORT: String(chainPort),
      ORDERTRACE_DATA_DIR: dataDir,
      XDG_CONFIG_HOME: `${dataDir}.config`,
      BATCH_MAX_WAIT_MS: '300',
    };
    for (const k of [
      'DATABASE_URL',
      'CHAIN_RPC_URL',
      'ORDERTRACE_ADMIN_TOKEN',
      'ORDERTRACE_DATA_KEY',
      'ORDERTRACE_DATA_KEY_FILE',
      'ORDERTRACE_DATA_KEY_PREVIOUS',
      'CONTRACT_ADDRESS',
      'ANCHOR_PRIVATE_KEY',
      'ORDERTRACE_ANCHORING',
    ])
      delete env[k];
    server = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (stdout += d));
    server.stderr!.resume();
    await waitFor('the start banner', async () => stdout.includes('ordertrace listening on'), 90_000);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.config`, { recursive: true, force: true });
  });

  it('prints the URL, the docs URL, the verifier, the database, the admin token file and the chain', () => {
    expect(stdout).toContain(`ordertrace listening on ${base}`);
    expect(stdout).toContain(`API docs:    ${base}/docs`);
    expect(stdout).toContain(`verifier:    ${base}/v/`);
    expect(stdout).toContain(`embedded PGlite in ${dataDir}`);
    expect(stdout).toContain(`admin token: ${path.join(dataDir, 'admin-token')}`);
    expect(stdout).toMatch(
      new RegExp(`chain: +http://127\\.0\\.0\\.1:${chainPort} \\(embedded dev chain\\), OrderAnchor 0x[0-9a-fA-F]{40}`),
    );
    expect(fs.statSync(path.join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    // The data key lives outside the data folder, and the banner says where.
    const keyLine = /data key: +(\S+)/.exec(stdout);
    expect(keyLine?.[1].startsWith(path.join(`${dataDir}.config`, 'ordertrace', 'data-keys'))).toBe(true);
    expect(stdout).toContain('created the data key');
    expect(fs.existsSync(path.join(dataDir, 'data-key'))).toBe(false);
  });

  it('serves health, docs and the verifier page', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    const page = await fetch(`${base}/v/ord_x`);
    expect(page.status).toBe(200);
    // Relative asset paths: the same build works from any origin and folder.
    expect(await page.text()).toMatch(/<script[^>]+src="\.\/assets\//);
  });

  it('takes an order from the generated admin token to an anchored event', async () => {
    const admin = {
      authorization: `Bearer ${fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim()}`,
      'content-type': 'application/json',
    };
    const brand = await (
      await fetch(`${base}/v1/brands`, { method: 'POST', headers: admin, body: JSON.stringify({ slug: 'acme', name: 'ACME Ltd' }) })
    ).json();
    const key = await (await fetch(`${base}/v1/brands/${brand.id}/keys`, { method: 'POST', headers: admin, body: '{}' })).json();
    const auth = { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' };
    const order = await (
      await fetch(`${base}/v1/orders`, { method: 'POST', headers: auth, body: JSON.stringify({ reference: 'PO-1' }) })
    ).json();
    expect(order.status).toBe('created');
    let events: { anchor: unknown }[] = [];
    await waitFor('the created event to be anchored', async () => {
      events = await (await fetch(`${base}/v1/orders/${order.id}/events`, { headers: auth })).json().then((b) => b.items ?? b);
      return events.length === 1 && events[0].anchor !== null;
    });
  });

  it('stops its chain when it stops', async () => {
    expect(await portOpen(chainPort)).toBe(true);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    await waitFor('the chain port to close', async () => !(await portOpen(chainPort)), 15_000);
  });
});
