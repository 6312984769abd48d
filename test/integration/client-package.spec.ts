/**
 * `ordertrace/client`: the committed API types match the routes as they are (no drift), the packed
 * tarball carries the client and the proof core, and the documented example type-checks against the
 * declarations an installed package publishes.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  buildLibraries,
  installPackedPackage,
  markdownExample,
  type PackedInstall,
  ROOT,
  typecheckConsumerCode,
} from '../support/packed-package';

const run = promisify(execFile);

describe('ordertrace/client', () => {
  jest.setTimeout(240_000);
  let installed: PackedInstall;

  beforeAll(async () => {
    await buildLibraries();
    installed = await installPackedPackage();
  });
  afterAll(() => installed?.remove());

  it('has types that match the OpenAPI document of the current routes, and notices a stale copy', async () => {
    // The generator's own check, as `npm run generate:client -- --check` runs it (openapi-typescript is an ES module: its own process).
    const check = (schema: string): Promise<unknown> =>
      run(
        process.execPath,
        [join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/generate-client.ts', '--check', '--schema', schema],
        {
          cwd: ROOT,
          timeout: 120_000,
        },
      );
    const committed = join(ROOT, 'client/schema.ts');
    await expect(check(committed)).resolves.toBeDefined();
    const stale = join(tmpdir(), `ordertrace-stale-schema-${process.pid}.ts`);
    writeFileSync(stale, readFileSync(committed, 'utf8').replace('"/v1/orders/{id}/events"', '"/v1/orders/{id}/events-old"'));
    await expect(check(stale)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('is out of date') });
  });

  it('is in the packed tarball and resolves from an installed package, without the sources', async () => {
    expect(installed.files).toEqual(expect.arrayContaining(['dist/client/index.js', 'dist/client/index.d.ts', 'dist/proof/index.js']));
    expect(installed.files.some((f) => f.startsWith('server/') || f.startsWith('test/'))).toBe(false);
    const script = `
      const { createOrdertraceClient } = require('ordertrace/client');
      const api = createOrdertraceClient({ baseUrl: 'http://127.0.0.1:1', token: 'otk_x' });
      process.stdout.write(JSON.stringify({ resolved: require.resolve('ordertrace/client'), methods: ['GET', 'POST', 'DELETE'].filter((m) => typeof api[m] === 'function') }));
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: installed.dir });
    const out = JSON.parse(stdout) as { resolved: string; methods: string[] };
    expect(out.resolved).toBe(join(installed.dir, 'node_modules/ordertrace/dist/client/index.js'));
    expect(out.methods).toEqual(['GET', 'POST', 'DELETE']);
  });

  it('type-checks the documented example, and refuses a wrong path or body', async () => {
    const example = markdownExample('docs/client.md', '## Example: record an order, then prove its history');
    const compile = (code: string): Promise<string> => typecheckConsumerCode(installed.dir, code);
    expect(await compile(example)).toBe('');
    // The compiler knows the API: a misspelt path and a body field of the wrong type are errors.
    expect(await compile(example.replace("'/v1/orders/{id}/events'", "'/v1/order/{id}/events'"))).toMatch(/error TS/);
    expect(await compile(example.replace('{ type }', '{ type: 42 }'))).toMatch(/error TS/);
  });
});
