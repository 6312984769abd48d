import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

/** Runtime dependencies the client and the proof core load, linked from this checkout instead of downloaded. */
const LINKED_DEPENDENCIES = ['openapi-fetch', 'openapi-typescript-helpers', '@noble/hashes'];

export interface PackedInstall {
  /** A consumer project whose node_modules holds the unpacked tarball as `ordertrace`. */
  dir: string;
  /** The files the tarball holds, relative to the package. */
  files: string[];
  remove(): void;
}

/** The TypeScript block after `heading` in a Markdown file of the repository. */
export function markdownExample(file: string, heading: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const at = text.indexOf(heading);
  if (at < 0) throw new Error(`${file} has no heading "${heading}"`);
  const match = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (match === null) throw new Error(`${file} has no ts example under "${heading}"`);
  return match[1];
}

/** Compiles the client and proof library into dist/ (npm test builds first; a single test file run does not). */
export async function buildLibraries(): Promise<void> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.cli.json', 'tsconfig.proof.json', 'tsconfig.client.json']) {
    await run(process.execPath, [tsc, '-p', project], { cwd: ROOT, timeout: 180_000 });
  }
}

/**
 * `npm pack`s this checkout and unpacks the tarball into a consumer project's node_modules, as
 * `npm install <tarball>` would place it; the few runtime dependencies the libraries load are linked
 * from this checkout, so that nothing is fetched.
 */
export async function installPackedPackage(): Promise<PackedInstall> {
  const dir = mkdtempSync(join(tmpdir(), 'ordertrace-packed-'));
  try {
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, timeout: 120_000 });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const target = join(dir, 'node_modules', 'ordertrace');
    mkdirSync(target, { recursive: true });
    await run('tar', ['xzf', join(dir, packed.filename), '-C', target, '--strip-components=1']);
    for (const name of LINKED_DEPENDENCIES) {
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
    }
    return { dir, files: packed.files.map((f) => f.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Type-checks `code` as `example.ts` of a consumer project in `dir` (strict, node16 resolution, so
 * package `exports` and published declarations decide); the compiler's errors, or '' when none.
 */
export async function typecheckConsumerCode(dir: string, code: string): Promise<string> {
  writeFileSync(join(dir, 'example.ts'), code);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'node16',
        moduleResolution: 'node16',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['example.ts'],
    }),
  );
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir });
    return '';
  } catch (e) {
    return (e as { stdout?: string }).stdout || String(e);
  }
}
