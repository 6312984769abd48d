import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

// The verifier page must load fast on a phone: its JavaScript stays within 100 KB gzipped.
// Builds the real page (into a private folder) and measures what a browser would download.

const BUDGET = 100 * 1024;
const root = resolve(__dirname, '../..');

describe('verifier page build', () => {
  let outDir: string;
  let stdout: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'ordertrace-verifier-'));
    const vite = join(root, 'node_modules/vite/bin/vite.js');
    ({ stdout } = await promisify(execFile)(
      process.execPath,
      [vite, 'build', '--config', 'verifier-web/vite.config.mts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'info'],
      { cwd: root, timeout: 90_000 },
    ));
  });

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  function pageJs(): { name: string; gzip: number }[] {
    const assets = join(outDir, 'assets');
    return readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((name) => ({ name, gzip: gzipSync(readFileSync(join(assets, name)), { level: 9 }).length }));
  }

  it('keeps the page JavaScript within 100 KB gzipped', () => {
    const files = pageJs();
    expect(files.length).toBeGreaterThan(0);
    const total = files.reduce((n, f) => n + f.gzip, 0);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });

  it('prints the gzipped size it measured, equal to what was written', () => {
    const match = /verifier-web page JS: (\d+) bytes gzipped/.exec(stdout);
    expect(match).not.toBeNull();
    const total = pageJs().reduce((n, f) => n + f.gzip, 0);
    expect(Number(match![1])).toBe(total);
  });

  it('loads its script relative to itself, so the folder works from any origin and path', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/[^"]+\.js"><\/script>/);
    expect(html).toContain('<main id="main"');
  });
});
