/**
 * scripts/deploy.ts run as a user runs it (a child process), against a real Hardhat node.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, id, ZeroHash } from 'ethers';
import { DEV_ACCOUNT_0_ADDRESS } from '../../server/anchoring/dev-chain';
import { loadOrderAnchorArtifact, orderAnchorAt, packageRoot } from '../../server/anchoring/order-anchor.contract';
import { freePort, startTestChain, type TestChain } from '../support/chain';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runDeploy(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const root = packageRoot();
  const cleanEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    CHAIN_RPC_URL: undefined,
    ANCHOR_PRIVATE_KEY: undefined,
    ANCHORER_ADDRESS: undefined,
    ...env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(root, 'scripts', 'deploy.ts'), ...args],
      { cwd: root, env: cleanEnv, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('scripts/deploy.ts', () => {
  let chain: TestChain;
  let keyDir: string;
  // Dev account #1's key: the deployer in these tests, so it differs from the --dev account.
  const deployerKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
  const deployerAddress = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

  beforeAll(async () => {
    chain = await startTestChain();
    keyDir = mkdtempSync(join(tmpdir(), 'ordertrace-deploy-'));
  });

  afterAll(async () => {
    await chain?.stop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  it('deploys with CHAIN_RPC_URL + ANCHOR_PRIVATE_KEY and prints the address; the deployer holds both roles', async () => {
    const run = await runDeploy([], { CHAIN_RPC_URL: chain.rpcUrl, ANCHOR_PRIVATE_KEY: deployerKey });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const address = /OrderAnchor deployed at (0x[0-9a-fA-F]{40})/.exec(run.stdout)?.[1];
    expect(address).toBeDefined();
    expect(await chain.provider.getCode(address!)).toBe(loadOrderAnchorArtifact().deployedBytecode);
    const contract = orderAnchorAt(address!, chain.provider);
    expect(await contract.hasRole(ZeroHash, deployerAddress)).toBe(true);
    expect(await contract.hasRole(id('ANCHORER_ROLE'), deployerAddress)).toBe(true);
  });

  it('--json with ANCHORER_ADDRESS and a --key-file: the anchorer gets the role, the JSON matches the chain', async () => {
    const keyFile = join(keyDir, 'deployer.key');
    writeFileSync(keyFile, `${deployerKey.slice(2)}\n`);
    const anchorer = chain.wallets[3].address;
    const run = await runDeploy(['--key-file', keyFile, '--json'], { CHAIN_RPC_URL: chain.rpcUrl, ANCHORER_ADDRESS: anchorer });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ chainId: 31337, deployer: deployerAddress, admin: deployerAddress, anchorer });
    const receipt = await chain.provider.getTransactionReceipt(result.txHash as string);
    expect(getAddress(receipt!.contractAddress!)).toBe(result.address);
    expect(receipt!.blockNumber).toBe(result.blockNumber);
    const contract = orderAnchorAt(result.address as string, chain.provider);
    expect(await contract.hasRole(id('ANCHORER_ROLE'), anchorer)).toBe(true);
    expect(await contract.hasRole(id('ANCHORER_ROLE'), deployerAddress)).toBe(false);
  });

  it('--dev deploys with the well-known dev account on a dev chain', async () => {
    const run = await runDeploy(['--dev', '--json'], { CHAIN_RPC_URL: chain.rpcUrl });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deployer: DEV_ACCOUNT_0_ADDRESS });
  });

  it('--help exits 0 and names the environment variables', async () => {
    const run = await runDeploy(['--help'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CHAIN_RPC_URL');
    expect(run.stdout).toContain('ANCHOR_PRIVATE_KEY');
  });

  it.each([
    ['no RPC URL', [], { ANCHOR_PRIVATE_KEY: deployerKey }, 'set CHAIN_RPC_URL'],
    ['a malformed RPC URL', [], { CHAIN_RPC_URL: 'localhost:8545', ANCHOR_PRIVATE_KEY: deployerKey }, 'must be http(s)'],
    ['no key', [], { CHAIN_RPC_URL: 'http://127.0.0.1:1' }, 'no deployer key'],
    ['a malformed key', [], { CHAIN_RPC_URL: 'http://127.0.0.1:1', ANCHOR_PRIVATE_KEY: '0x1234' }, '64 hex digits'],
    [
      'a zero key',
      [],
      { CHAIN_RPC_URL: 'http://127.0.0.1:1', ANCHOR_PRIVATE_KEY: `0x${'0'.repeat(64)}` },
      'not a valid secp256k1 private key',
    ],
    ['two keys', ['--dev'], { CHAIN_RPC_URL: 'http://127.0.0.1:1', ANCHOR_PRIVATE_KEY: deployerKey }, 'give the deployer key once'],
    [
      'a missing key file',
      ['--key-file', '/nonexistent/key'],
      { CHAIN_RPC_URL: 'http://127.0.0.1:1' },
      'cannot read --key-file /nonexistent/key: ENOENT',
    ],
    [
      'a bad anchorer',
      ['--anchorer', '0xnope'],
      { CHAIN_RPC_URL: 'http://127.0.0.1:1', ANCHOR_PRIVATE_KEY: deployerKey },
      'ANCHORER_ADDRESS is not an address',
    ],
    ['an unknown option', ['--frobnicate'], {}, "unknown option '--frobnicate'"],
  ])('exits 2 with a one-line reason for %s', async (_case, args, env, message) => {
    const run = await runDeploy(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 1 naming the URL when the chain cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runDeploy(['--json'], { CHAIN_RPC_URL: url, ANCHOR_PRIVATE_KEY: deployerKey });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the chain at ${url}`);
    expect(JSON.parse(run.stdout).error).toContain('cannot reach the chain');
  });
});
