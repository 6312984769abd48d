/**
 * The Chromium the browser tests drive, found without downloading anything: CHROMIUM_PATH, else a
 * system Chromium or Chrome, else one in Playwright's cache, else the Chromium shipped inside the
 * npm package @sparticuz/chromium (a devDependency), so `npm test` needs no browser installed.
 * ORDERTRACE_TEST_BROWSER=bundled skips straight to the packaged one.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import bundledChromium from '@sparticuz/chromium';
import { type BrowserContext, chromium } from 'playwright-core';

export interface FoundBrowser {
  executablePath: string;
  /** Where it came from, for the test log. */
  source: string;
  /** Extra environment the browser needs (shared libraries of the packaged build). */
  env: Record<string, string>;
}

/** The same flags for every browser found, so the page runs alike wherever the test runs. */
export const CHROMIUM_ARGS = [
  '--headless',
  // CI runs as root, where Chromium refuses its sandbox; the tests only open pages of the server under test.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function systemBrowser(): string | undefined {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const name of SYSTEM_NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

function playwrightCacheBrowser(): string | undefined {
  const setting = process.env.PLAYWRIGHT_BROWSERS_PATH;
  const roots = [
    // PLAYWRIGHT_BROWSERS_PATH=0 means "inside the playwright-core package".
    setting === '0' ? join(dirname(require.resolve('playwright-core/package.json')), '.local-browsers') : setting,
    join(homedir(), '.cache', 'ms-playwright'),
  ].filter((root): root is string => !!root && existsSync(root));
  for (const root of roots) {
    const builds = readdirSync(root)
      .map((name) => ({ name, revision: /^chromium-(\d+)$/.exec(name)?.[1] }))
      .filter((b) => b.revision !== undefined)
      .sort((a, b) => Number(b.revision) - Number(a.revision));
    for (const build of builds) {
      for (const platform of readdirSync(join(root, build.name)).filter((n) => n.startsWith('chrome-linux'))) {
        const path = join(root, build.name, platform, 'chrome');
        if (isExecutable(path)) return path;
      }
    }
  }
  return undefined;
}

function unresolvedLibraries(executable: string): string[] {
  try {
    return execFileSync('ldd', [executable], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('not found'))
      .map((line) => line.trim().split(/\s/)[0]);
  } catch {
    return []; // no ldd (not glibc): let the launch report what is missing
  }
}

async function packagedBrowser(): Promise<FoundBrowser> {
  const packageDir = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  // Unpacks the brotli-compressed build to the temp folder once; later calls reuse it.
  const executablePath = await bundledChromium.executablePath();
  const env: Record<string, string> = {};
  let libraries = '';
  // A machine without NSS (libnss3 and friends) can still run it: the package carries those libraries
  // for Amazon Linux, and they load on any glibc Linux.
  if (unresolvedLibraries(executablePath).length > 0) {
    const libDir = join(tmpdir(), 'al2023', 'lib');
    if (!existsSync(libDir)) {
      mkdirSync(dirname(libDir), { recursive: true });
      const { brotliDecompressSync } = await import('node:zlib');
      const tarball = brotliDecompressSync(readFileSync(join(packageDir, 'bin', 'al2023.tar.br')));
      execFileSync('tar', ['-x', '-C', dirname(libDir)], { input: tarball });
    }
    env.LD_LIBRARY_PATH = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter);
    libraries = `, with its own NSS libraries from ${libDir}`;
  }
  return { executablePath, source: `@sparticuz/chromium ${version} unpacked to ${executablePath}${libraries}`, env };
}

export async function findChromium(): Promise<FoundBrowser> {
  if (process.env.ORDERTRACE_TEST_BROWSER === 'bundled') return packagedBrowser();
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return { executablePath: configured, source: `CHROMIUM_PATH=${configured}`, env: {} };
  }
  const system = systemBrowser();
  if (system) return { executablePath: system, source: `system browser ${system}`, env: {} };
  const cached = playwrightCacheBrowser();
  if (cached) return { executablePath: cached, source: `Playwright cache ${cached}`, env: {} };
  return packagedBrowser();
}

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * A headless persistent context of the browser findChromium() picks; prints once which browser
 * (and version) runs, so a CI log shows it.
 */
export async function launchTestBrowser(
  profileDir: string,
  options: { locale?: string; timezoneId?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const found = await findChromium();
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: found.executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    ...(Object.keys(found.env).length > 0 ? { env: { ...definedEnv(), ...found.env } } : {}),
    ...options,
  });
  // The user agent hides the minor version; the DevTools protocol tells the full one.
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  const { product } = (await session.send('Browser.getVersion')) as { product: string };
  await session.detach();
  await page.close();
  const version = product.replace(/^\D+\//, '');
  process.stderr.write(`browser tests run Chromium ${version}: ${found.source}\n`);
  return context;
}
