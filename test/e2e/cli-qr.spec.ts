import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';
import { runCli } from '../support/cli';
import { decodeQrPng } from '../support/qr';

const decodeQr = (file: string): string | null => decodeQrPng(readFileSync(file));

describe('ordertrace qr', () => {
  let t: TestApp;
  let brand: TestBrand;
  let other: TestBrand;
  let orderId: string;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
    other = await createBrand(t);
    const order = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'QR-1' }).expect(201);
    orderId = order.body.id;
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-qr-'));
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a PNG whose code decodes to the order's public verifier link", async () => {
    const run = await runCli(['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '--size', '256', '--json'], { cwd: dir });
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data).toMatchObject({ order: orderId, format: 'png', output: join(dir, `${orderId}.png`) });
    const url = decodeQr(data.output);
    // <verifier URL>#o=<order>&t=<token>&api=<API base>: the page may live on any origin.
    expect(url).toMatch(new RegExp(`/v/#o=${orderId}&t=[A-Za-z0-9_-]{43}&api=http%3A%2F%2F[^&#]+$`));
    // The same link is printed again until a new one is issued.
    await runCli(['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '-o', 'again.png'], { cwd: dir });
    expect(decodeQr(join(dir, 'again.png'))).toBe(url);
  });

  it('issues a new link with --new, and the PNG then carries it', async () => {
    const run = await runCli(['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '--new', '-o', 'new.png', '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.url).toMatch(new RegExp(`/v/#o=${orderId}&t=`));
    expect(decodeQr(join(dir, 'new.png'))).toBe(data.url);
  });

  it('writes SVG when the output file says so', async () => {
    const run = await runCli(['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '-o', 'label.svg'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*label\.svg: SVG QR code/);
    expect(readFileSync(join(dir, 'label.svg'), 'utf8')).toMatch(/^<svg|<\?xml/);
  });

  it.each([
    ["another brand's order", () => ['qr', orderId, '--api', t.baseUrl, '--key', other.key], 2, /not found/],
    ['a revoked or wrong key', () => ['qr', orderId, '--api', t.baseUrl, '--key', 'ot_wrong'], 2, /refused the key/],
    ['a size out of range', () => ['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '--size', '5'], 2, /--size/],
    ['an unknown format', () => ['qr', orderId, '--api', t.baseUrl, '--key', brand.key, '--format', 'gif'], 2, /png or svg/],
    ['an unreachable API', () => ['qr', orderId, '--api', 'http://127.0.0.1:9', '--key', brand.key], 3, /cannot reach/],
  ])('fails clearly for %s', async (_what, args, code, message) => {
    const run = await runCli(args(), { cwd: dir });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('ordertrace:')),
    ).toHaveLength(1);
  });
});
