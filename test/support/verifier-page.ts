/** The built verifier page (dist/verifier-web) and brand console (dist/console-web) that the server serves at /v and /console. */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsStale(built: string, html: string): boolean {
  if (!existsSync(built)) return true;
  const sources = Math.max(newestMtime(join(ROOT, 'verifier-web/src')), statSync(html).mtimeMs, newestMtime(join(ROOT, 'proof')));
  return sources > statSync(built).mtimeMs;
}

async function ensureBuilt(config: string, built: string, html: string): Promise<void> {
  if (!buildIsStale(join(ROOT, built), join(ROOT, html))) return;
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'],
    {
      cwd: ROOT,
      timeout: 90_000,
    },
  );
}

/** `npm test` builds the page first; a single test file run builds it here when missing or stale. */
export function ensureVerifierPageBuilt(): Promise<void> {
  return ensureBuilt('verifier-web/vite.config.mts', 'dist/verifier-web/index.html', 'verifier-web/index.html');
}

/** The same for the brand console. */
export function ensureConsoleBuilt(): Promise<void> {
  return ensureBuilt('verifier-web/vite.console.config.mts', 'dist/console-web/console.html', 'verifier-web/console.html');
}
