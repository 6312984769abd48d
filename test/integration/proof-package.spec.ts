/**
 * The proof core as a library: `ordertrace/proof` resolves through the package's `exports` (types
 * included) for a third party's code in another folder, and the example of docs/proof-spec.md —
 * verifying a bundle against a trust file — type-checks against the published declarations.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { markdownExample, ROOT, typecheckConsumerCode } from '../support/packed-package';

const run = promisify(execFile);

describe('ordertrace/proof as a library', () => {
  let dir: string;

  beforeAll(async () => {
    // npm test builds first; a single run of this file builds the library itself.
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.cli.json'], {
      cwd: ROOT,
      timeout: 120_000,
    });
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.proof.json'], {
      cwd: ROOT,
      timeout: 120_000,
    });
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-consumer-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'ordertrace'), 'dir');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resolves through the package exports from another project, with the browser-safe readers and the trust file parser', async () => {
    const script = `
      const proof = require('ordertrace/proof');
      const names = ['verifyBundle', 'parseTrustFile', 'trustedEndpoints', 'JsonRpcChainReader', 'ConsensusChainReader', 'leafHash', 'MerkleTree'];
      const missing = names.filter((n) => typeof proof[n] !== 'function');
      if (missing.length) throw new Error('missing ' + missing.join(', '));
      const trust = proof.parseTrustFile(JSON.stringify({ format: 'ordertrace-trust/1', chainId: 1, contract: '0x' + 'ab'.repeat(20), rpc: 'https://rpc.example' }));
      process.stdout.write(JSON.stringify({ resolved: require.resolve('ordertrace/proof'), rpc: trust.rpc }));
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: dir });
    const out = JSON.parse(stdout) as { resolved: string; rpc: string[] };
    // Node resolves the link to its real path.
    expect(out.resolved).toBe(join(ROOT, 'dist/proof/index.js'));
    expect(out.rpc).toEqual(['https://rpc.example']);
    // Deep imports stay private: only what `exports` lists is the public surface.
    await expect(run(process.execPath, ['-e', "require('ordertrace/dist/server/main.js')"], { cwd: dir })).rejects.toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  });

  it('type-checks the documented example against the published declarations', async () => {
    expect(await typecheckConsumerCode(dir, markdownExample('docs/proof-spec.md', '## Using the proof core as a library'))).toBe('');
  });
});
