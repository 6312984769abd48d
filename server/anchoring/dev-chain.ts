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
import { JsonRpcChainReader, readChainId } from '../../proof/rpc-chain-reader';
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
        await readChainId(rpcUrl, { timeoutMs: 1_000 });
        break;
      } catch {
        await delay(100);
      }
    }
    if (!options.verbose) await new JsonRpcChainReader(rpcUrl, undefined, { timeoutMs: 5_000 }).call('hardhat_setLoggingEnabled', [false]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { rpcUrl, port, stop, process: child };
}

/** Where a supervisor reports what happens to its node; Nest's Logger fits. */
export interface DevChainLog {
  log(message: string): void;
  error(message: string): void;
}

export interface DevChainSupervisorOptions extends DevChainOptions {
  /** Called when the node exits on its own, before it is restarted. */
  onExit?: () => void;
  /** Pause before the first restart; each further attempt waits one more of it. */
  restartDelayMs?: number;
  restartAttempts?: number;
}

const DEFAULT_RESTART_DELAY_MS = 1_000;
const DEFAULT_RESTART_ATTEMPTS = 10;

/**
 * Keeps one dev chain running for the service's embedded default: starts it, starts it again when
 * it dies (a crash, an OOM kill, someone's Ctrl-C in the wrong terminal), and stops it for good on
 * stop(). A restarted node is a new chain; the service anchors its batches there again.
 */
export class DevChainSupervisor {
  private chain: DevChain | null = null;
  private stopping = false;

  constructor(
    private readonly options: DevChainSupervisorOptions,
    private readonly logger: DevChainLog,
  ) {}

  /** The running node's endpoint; null while it is down. */
  get rpcUrl(): string | null {
    return this.chain?.rpcUrl ?? null;
  }

  /** The running node's process id; null while it is down. */
  get pid(): number | null {
    return this.chain?.process.pid ?? null;
  }

  /** Starts the node unless it runs already. */
  async start(): Promise<void> {
    if (this.chain !== null || this.stopping) return;
    const chain = await startDevChain(this.options);
    this.chain = chain;
    chain.process.once('exit', (code, signal) => {
      if (this.stopping || this.chain !== chain) return;
      this.logger.error(`the dev chain on ${chain.rpcUrl} exited (${code ?? signal}); restarting it, batches will be anchored again`);
      this.chain = null;
      this.options.onExit?.();
      setTimeout(() => void this.restart(), this.restartDelayMs).unref();
    });
  }

  /** Stops the node; it is not restarted afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    const chain = this.chain;
    this.chain = null;
    await chain?.stop();
  }

  private get restartDelayMs(): number {
    return this.options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  }

  private async restart(): Promise<void> {
    const attempts = this.options.restartAttempts ?? DEFAULT_RESTART_ATTEMPTS;
    for (let attempt = 1; attempt <= attempts && !this.stopping && this.chain === null; attempt++) {
      try {
        await this.start();
        this.logger.log(`dev chain restarted on ${this.rpcUrl}`);
        return;
      } catch (err) {
        this.logger.error(`restarting the dev chain failed (attempt ${attempt}): ${(err as Error).message}`);
        await delay(this.restartDelayMs * attempt);
      }
    }
  }
}
