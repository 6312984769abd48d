/**
 * A local Hardhat node as a child process: the embedded default's chain, and the chain of the
 * tests and scripts.
 *
 * The node is spawned as `node …/hardhat/internal/cli/bootstrap.js node` rather than through
 * `npx hardhat`, so the process we hold is the node itself and stopping it leaves nothing behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from './order-anchor.contract';

/**
 * Hardhat's default accounts come from this publicly known mnemonic (and are funded with
 * 10,000 ETH on every dev chain). DEV ONLY: anything sent to these accounts on a real network is lost.
 */
export const DEV_CHAIN_MNEMONIC = 'test test test test test test test test test test test junk';

/** Private key of Hardhat dev account #0 (`DEV_ACCOUNT_0_ADDRESS`). DEV ONLY, publicly known. */
export const DEV_ACCOUNT_0_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const DEV_ACCOUNT_0_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

/** Chain id of Hardhat's network (hardhat.config.ts). */
export const DEV_CHAIN_ID = 31337;

export interface DevChainOptions {
  port: number;
  host?: string;
  /** Receives each line the node prints (stdout and stderr). The node is drained either way. */
  log?: (line: string) => void;
  /** Keep Hardhat's per-request logging on; off by default since it prints every RPC call. */
  verbose?: boolean;
  /** How long to wait for the node to answer; default 60 s. */
  startTimeoutMs?: number;
}

export interface DevChain {
  rpcUrl: string;
  port: number;
  /** Stops the node (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  stop(): Promise<void>;
  process: ChildProcess;
}

/** Lines kept for error messages when the node fails to start. */
const OUTPUT_TAIL_LINES = 30;
const STOP_GRACE_MS = 5_000;

export class DevChainStartError extends Error {
  constructor(
    message: string,
    readonly output: string[],
  ) {
    super(output.length > 0 ? `${message}\n--- hardhat node output (last lines) ---\n${output.join('\n')}` : message);
    this.name = 'DevChainStartError';
  }
}

/** Rejects if something already listens on host:port, so we never mistake another node for ours. */
function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new DevChainStartError(
          err.code === 'EADDRINUSE'
            ? `cannot start the dev chain: port ${port} on ${host} is already in use (another chain or service?); choose another CHAIN_PORT`
            : `cannot start the dev chain on ${host}:${port}: ${err.message}`,
          [],
        ),
      );
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function rpc(rpcUrl: string, method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? 'RPC error'}`);
  return body.result;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startDevChain(options: DevChainOptions): Promise<DevChain> {
  const host = options.host ?? '127.0.0.1';
  const { port } = options;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new DevChainStartError(`invalid dev chain port ${String(port)}`, []);
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  await assertPortFree(host, port);

  const root = packageRoot();
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'hardhat', 'internal', 'cli', 'bootstrap.js'), 'node', '--hostname', host, '--port', String(port)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Never stop at Hardhat's interactive telemetry question; a NODE_OPTIONS meant for us (jest's VM modules) is not meant for it.
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', NODE_OPTIONS: '' },
    },
  );

  const tail: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    options.log?.(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // If our process ends without stop() (a crash, a forgotten stop in a test), do not leave the node running.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const rpcUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + startTimeoutMs;
  try {
    for (;;) {
      if (spawnError) throw new DevChainStartError(`cannot spawn the hardhat node: ${spawnError.message}`, tail);
      if (child.exitCode !== null || child.signalCode !== null) {
        const inUse = tail.some((l) => l.includes('EADDRINUSE'));
        throw new DevChainStartError(
          inUse
            ? `the dev chain could not listen on ${host}:${port}: the port is already in use`
            : `the hardhat node exited during start (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode})`,
          tail,
        );
      }
      if (Date.now() > deadline) {
        throw new DevChainStartError(`the dev chain on ${rpcUrl} did not answer eth_chainId within ${startTimeoutMs} ms`, tail);
      }
      try {
        await rpc(rpcUrl, 'eth_chainId', [], 1_000);
        break;
      } catch {
        await delay(100);
      }
    }
    if (!options.verbose) await rpc(rpcUrl, 'hardhat_setLoggingEnabled', [false], 5_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { rpcUrl, port, stop, process: child };
}
