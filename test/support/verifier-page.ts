/** The built verifier page (dist/verifier-web) that the server serves at /v. */
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

/** `npm test` builds the page first; a single test file run builds it here when missing or stale. */
export async function ensureVerifierPageBuilt(): Promise<void> {
  if (!pageBuildIsStale()) return;
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'verifier-web/vite.config.mts', '--logLevel', 'warn'],
    { cwd: ROOT, timeout: 90_000 },
  );
}
