/**
 * The typed client's documented example (docs/client.md), compiled as a user would and run from an
 * installed copy of the packed package against a real server and chain: it records an order, waits
 * for its anchors, downloads the bundle and verifies it with the proof core against a trust file.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp } from '../support/app';
import { buildLibraries, installPackedPackage, markdownExample, type PackedInstall } from '../support/packed-package';

const run = promisify(execFile);

describe('docs/client.md example against the real service', () => {
  jest.setTimeout(240_000);
  let fx: AnchoringTestApp;
  let installed: PackedInstall;

  beforeAll(async () => {
    await buildLibraries();
    installed = await installPackedPackage();
    fx = await startAnchoringTestApp();
  });
  afterAll(async () => {
    await fx?.close();
    installed?.remove();
  });

  it('records an order through ordertrace/client and verifies its bundle with ordertrace/proof', async () => {
    const brand = await createBrand(fx.t);
    const source = markdownExample('docs/client.md', '## Example: record an order, then prove its history');
    const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(installed.dir, 'example.js'), compiled.outputText);
    const trust = JSON.stringify({ format: 'ordertrace-trust/1', chainId: 31337, contract: fx.contract, rpc: [fx.chain.rpcUrl] });
    const driver = `require('./example.js').recordAndProve(process.argv[1], process.argv[2], process.argv[3]).then((line) => process.stdout.write(line), (e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', driver, fx.t.baseUrl, brand.key, trust], {
      cwd: installed.dir,
      timeout: 180_000,
    });
    expect(stdout).toMatch(/^ord_\w+: verified \(4 events\)$/);

    // The same example against a look-alike contract: the pin refuses the bundle.
    const otherContract = `0x${'12'.repeat(20)}`;
    const wrongTrust = JSON.stringify({ format: 'ordertrace-trust/1', chainId: 31337, contract: otherContract, rpc: [fx.chain.rpcUrl] });
    const wrong = await run(process.execPath, ['-e', driver, fx.t.baseUrl, brand.key, wrongTrust], {
      cwd: installed.dir,
      timeout: 180_000,
    });
    expect(wrong.stdout).toMatch(/: invalid \(4 events\)$/);
  });
});
