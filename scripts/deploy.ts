/**
 * Deploys OrderAnchor to any EVM network and prints its address.
 *
 *   CHAIN_RPC_URL=… ANCHOR_PRIVATE_KEY=0x… npm run deploy -- [--anchorer 0x…] [--json]
 *
 * Exit codes: 0 deployed, 2 bad usage or configuration, 1 the chain refused or could not be reached.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isAddress, JsonRpcProvider, Network, Wallet } from 'ethers';
import { readChainId } from '../proof/rpc-chain-reader';
import { withChainTimeout } from '../proof/timeout';
import { DEV_ACCOUNT_0_PRIVATE_KEY, DEV_CHAIN_ID } from '../server/anchoring/dev-chain';
import { deployOrderAnchor } from '../server/anchoring/order-anchor.contract';

export interface DeployOptions {
  rpcUrl?: string;
  privateKey?: string;
  keyFile?: string;
  /** Use Hardhat's publicly known dev account #0; refused on any chain but a dev chain. */
  dev?: boolean;
  admin?: string;
  anchorer?: string;
  confirmations: number;
  timeoutMs: number;
}

export interface DeployResult {
  address: string;
  chainId: number;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  deployer: string;
  admin: string;
  anchorer: string;
  gasUsed: number;
}

/** The caller's mistake: reported without a stack, exit code 2. */
export class UsageError extends Error {}

const PRIVATE_KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

function readPrivateKey(options: DeployOptions): string {
  const sources = [
    options.privateKey ? 'ANCHOR_PRIVATE_KEY' : null,
    options.keyFile ? '--key-file' : null,
    options.dev ? '--dev' : null,
  ].filter((s) => s !== null);
  if (sources.length > 1) throw new UsageError(`give the deployer key once, not through ${sources.join(' and ')}`);
  if (options.dev) return DEV_ACCOUNT_0_PRIVATE_KEY;
  let key = options.privateKey;
  if (options.keyFile) {
    try {
      key = readFileSync(options.keyFile, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`cannot read --key-file ${options.keyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (!key) throw new UsageError('no deployer key: set ANCHOR_PRIVATE_KEY or pass --key-file <file> (or --dev on a local dev chain)');
  if (!PRIVATE_KEY_RE.test(key)) throw new UsageError('the deployer key must be 32 bytes of hex (64 hex digits, optional 0x)');
  return key.startsWith('0x') ? key : `0x${key}`;
}

function checkAddress(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !isAddress(value)) throw new UsageError(`${name} is not an address: ${String(value)}`);
  return value;
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  if (!options.rpcUrl) throw new UsageError('no chain: set CHAIN_RPC_URL or pass --rpc-url <url>');
  let url: URL;
  try {
    url = new URL(options.rpcUrl);
  } catch {
    throw new UsageError(`CHAIN_RPC_URL is not a URL: ${options.rpcUrl}`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new UsageError(`CHAIN_RPC_URL must be http(s), got ${url.protocol}`);
  const key = readPrivateKey(options);
  const admin = checkAddress(options.admin, '--admin');
  const anchorer = checkAddress(options.anchorer, 'ANCHORER_ADDRESS');
  let wallet: Wallet;
  try {
    wallet = new Wallet(key);
  } catch {
    throw new UsageError('the deployer key is not a valid secp256k1 private key');
  }

  let chainId: number;
  try {
    chainId = await readChainId(options.rpcUrl, { timeoutMs: Math.min(options.timeoutMs, 30_000) });
  } catch (err) {
    throw new Error(`cannot reach the chain at ${options.rpcUrl}: ${(err as Error).message}`, { cause: err });
  }
  if (options.dev && chainId !== DEV_CHAIN_ID) {
    throw new UsageError(
      `--dev uses a publicly known key and is only for a local dev chain (chain id ${DEV_CHAIN_ID}); this chain is ${chainId}`,
    );
  }
  // The network is known now: a static one spares ethers its endless detection retries on a flaky node.
  const provider = new JsonRpcProvider(options.rpcUrl, Network.from(chainId), { staticNetwork: true, pollingInterval: 1_000 });
  try {
    const signer = wallet.connect(provider);
    const deployer = signer.address;
    const deployed = await withChainTimeout(
      'deployment',
      deployOrderAnchor(signer, { admin: admin ?? deployer, anchorer: anchorer ?? deployer, confirmations: options.confirmations }),
      options.timeoutMs,
    );
    return {
      address: deployed.address,
      chainId,
      txHash: deployed.receipt.hash,
      blockNumber: deployed.receipt.blockNumber,
      blockHash: deployed.receipt.blockHash,
      deployer,
      admin: admin ?? deployer,
      anchorer: anchorer ?? deployer,
      gasUsed: Number(deployed.receipt.gasUsed),
    };
  } finally {
    provider.destroy();
  }
}

function printHuman(r: DeployResult): string {
  return [
    `OrderAnchor deployed at ${r.address}`,
    `  chain id     ${r.chainId}`,
    `  transaction  ${r.txHash} (block ${r.blockNumber}, gas ${r.gasUsed})`,
    `  admin        ${r.admin}`,
    `  anchorer     ${r.anchorer}`,
    '',
    `Run the service with CONTRACT_ADDRESS=${r.address}`,
  ].join('\n');
}

/** Entry point: parses argv, deploys, prints; the only place that turns errors into exit codes. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('deploy')
    .description('Deploy the OrderAnchor contract to an EVM network and print its address.')
    .addOption(new Option('--rpc-url <url>', 'JSON-RPC endpoint of the chain').env('CHAIN_RPC_URL'))
    .option('--key-file <file>', 'file holding the deployer private key (hex); instead of ANCHOR_PRIVATE_KEY')
    .option('--dev', 'deploy with Hardhat dev account #0 (local dev chain only)')
    .addOption(new Option('--anchorer <address>', 'account granted ANCHORER_ROLE (default: the deployer)').env('ANCHORER_ADDRESS'))
    .option('--admin <address>', 'account granted DEFAULT_ADMIN_ROLE (default: the deployer)')
    .option('--confirmations <n>', 'blocks to wait for after the deployment is mined', '1')
    .option('--timeout <seconds>', 'give up after this long', '300')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nEnvironment: CHAIN_RPC_URL, ANCHOR_PRIVATE_KEY, ANCHORER_ADDRESS.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let opts: {
    rpcUrl?: string;
    keyFile?: string;
    dev?: boolean;
    anchorer?: string;
    admin?: string;
    confirmations: string;
    timeout: string;
    json?: boolean;
  };
  try {
    program.parse(argv, { from: 'user' });
    opts = program.opts();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const confirmations = Number(opts.confirmations);
  const timeoutSeconds = Number(opts.timeout);
  try {
    if (!Number.isInteger(confirmations) || confirmations < 1) throw new UsageError('--confirmations must be a whole number >= 1');
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a positive number of seconds');
    const result = await deploy({
      rpcUrl: opts.rpcUrl,
      privateKey: process.env.ANCHOR_PRIVATE_KEY || undefined,
      keyFile: opts.keyFile,
      dev: opts.dev,
      admin: opts.admin,
      anchorer: opts.anchorer,
      confirmations,
      timeoutMs: timeoutSeconds * 1000,
    });
    process.stdout.write(`${opts.json ? JSON.stringify(result, null, 2) : printHuman(result)}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (opts.json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`deploy: ${message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
