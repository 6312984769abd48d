/**
 * Shared pieces of the sealing/anchoring tests: the server as a child process, a brand with an API key, bulk event ingest over HTTP,
 * a TCP proxy that can cut the chain off, and the final "everything anchored exactly once" check.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JsonRpcProvider } from 'ethers';
import type { Hex } from '../../proof/bytes';
import { MerkleTree, processProof } from '../../proof/merkle';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import { deployTestAnchor, startTestChain, type TestChain } from './chain';
import { createTestDatabase, type TestDatabase } from './database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ordertrace-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a server against `db` and an external chain. */
export function serverEnv(opts: {
  databaseUrl: string;
  rpcUrl: string;
  contract: string;
  privateKey: string;
  dataDir: string;
  port?: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    CHAIN_RPC_URL: opts.rpcUrl,
    CONTRACT_ADDRESS: opts.contract,
    ANCHOR_PRIVATE_KEY: opts.privateKey,
    ORDERTRACE_DATA_KEY: '11'.repeat(32),
    ORDERTRACE_ADMIN_TOKEN: ADMIN_TOKEN,
    ORDERTRACE_DATA_DIR: opts.dataDir,
    HOST: '127.0.0.1',
    PORT: String(opts.port ?? 0),
    BATCH_MAX_WAIT_MS: '200',
    BATCH_MAX_EVENTS: '100',
    CHAIN_CONFIRMATIONS: '1',
    LOG_LEVEL: 'info',
    // One process unless a test asks for several: crash points and log lines then name one process.
    HTTP_WORKERS: '1',
    ...opts.extra,
  };
}

async function http<T>(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export function apiGet<T>(baseUrl: string, path: string, token: string): Promise<{ status: number; body: T }> {
  return http<T>(baseUrl, 'GET', path, token);
}

/** A brand and a brand API key, through the admin API. */
export async function seedBrand(baseUrl: string, slug = `b${randomBytes(4).toString('hex')}`): Promise<string> {
  const brand = await http<{ id: string }>(baseUrl, 'POST', '/v1/brands', ADMIN_TOKEN, { slug, name: `Brand ${slug}` });
  if (brand.status !== 201) throw new Error(`creating a brand failed: ${brand.status} ${JSON.stringify(brand.body)}`);
  const key = await http<{ key: string }>(baseUrl, 'POST', `/v1/brands/${brand.body.id}/keys`, ADMIN_TOKEN, {});
  if (key.status !== 201) throw new Error(`creating a key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return key.body.key;
}

/** A legal lifecycle of `length` events (created first): created, paid, packed, shipped, in_transit…, delivered. */
export function lifecycle(length: number): string[] {
  const head = ['created', 'paid', 'packed', 'shipped'];
  if (length <= head.length) return head.slice(0, length);
  return [...head, ...Array<string>(length - head.length - 1).fill('in_transit'), 'delivered'];
}

/**
 * Creates `orders` orders of `eventsPerOrder` events each over HTTP; orders in parallel (bounded),
 * each order's events in sequence. Returns the order ids.
 */
export async function ingestOrders(
  baseUrl: string,
  apiKey: string,
  orders: number,
  eventsPerOrder: number,
  parallel = 10,
): Promise<string[]> {
  const ids: string[] = [];
  const types = lifecycle(eventsPerOrder);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      if (n >= orders) return;
      const created = await http<{ id: string }>(baseUrl, 'POST', '/v1/orders', apiKey, {
        reference: `SO-${n}-${randomBytes(3).toString('hex')}`,
      });
      if (created.status !== 201) throw new Error(`creating order ${n} failed: ${created.status} ${JSON.stringify(created.body)}`);
      ids.push(created.body.id);
      for (const type of types.slice(1)) {
        const appended = await http(baseUrl, 'POST', `/v1/orders/${created.body.id}/events`, apiKey, { type, data: { n } });
        if (appended.status !== 201)
          throw new Error(`appending ${type} to order ${n} failed: ${appended.status} ${JSON.stringify(appended.body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

/** Polls `check` until it returns a value other than undefined/false; bounded in time. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
  );
}

/** Waits until nothing answers at `baseUrl` any more (the server and all its workers are gone). */
export async function waitUntilClosed(baseUrl: string, what = 'the port closed'): Promise<void> {
  await waitFor(
    what,
    () =>
      fetch(`${baseUrl}/healthz`).then(
        () => false,
        () => true,
      ),
    10_000,
    50,
  );
}

export interface AnchoringSummary {
  events: number;
  batches: number;
  lastSeq: number;
}

/**
 * Everything anchored exactly once: every event in exactly one batch, batches 1..n gapless and confirmed,
 * `lastSeq() == n`, every stored root equal to the contract's and to the root rebuilt from the leaves,
 * every event's proof folding to it.
 */
export async function expectAllAnchored(db: TestDatabase, provider: JsonRpcProvider, contract: string): Promise<AnchoringSummary> {
  const batches = await db.query<{
    seq: number;
    root: string;
    leaf_count: number;
    status: string;
    block_hash: string;
    block_number: string;
    contract: string;
  }>(`SELECT seq, root, leaf_count, status, block_hash, block_number::text, contract FROM batches ORDER BY seq`);
  const events = await db.query<{ id: string; leaf: string; batch_seq: number | null; batch_index: number | null }>(
    `SELECT id::text, leaf, batch_seq, batch_index FROM events ORDER BY batch_seq, batch_index`,
  );
  expect(events.filter((e) => e.batch_seq === null)).toEqual([]);
  expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i + 1));
  expect(batches.filter((b) => b.status !== 'confirmed').map((b) => b.seq)).toEqual([]);
  expect(batches.reduce((n, b) => n + b.leaf_count, 0)).toBe(events.length);
  const anchor = orderAnchorAt(contract, provider);
  expect(Number(await anchor.lastSeq())).toBe(batches.length);
  const bySeq = new Map<number, typeof events>();
  for (const e of events) {
    const list = bySeq.get(e.batch_seq!) ?? [];
    list.push(e);
    bySeq.set(e.batch_seq!, list);
  }
  for (const b of batches) {
    expect(b.contract?.toLowerCase()).toBe(contract.toLowerCase());
    expect((await anchor.batch(b.seq)).toLowerCase()).toBe(b.root);
    const block = await provider.getBlock(Number(b.block_number));
    expect(block?.hash).toBe(b.block_hash);
    const leaves = bySeq.get(b.seq)!;
    expect(leaves.map((e) => e.batch_index)).toEqual(leaves.map((_, i) => i));
    // Leaves are in event id order within the batch.
    expect(leaves.every((e, i) => i === 0 || BigInt(e.id) > BigInt(leaves[i - 1].id))).toBe(true);
    const tree = MerkleTree.build(leaves.map((e) => e.leaf as Hex));
    expect(tree.root).toBe(b.root);
    leaves.forEach((e, i) => expect(processProof(e.leaf as Hex, tree.proof(i))).toBe(b.root));
  }
  return { events: events.length, batches: batches.length, lastSeq: Number(await anchor.lastSeq()) };
}

/** A server run as a child process from the TypeScript sources. */
export interface ServerProcess {
  process: ChildProcess;
  baseUrl: Promise<string>;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const SERVER_ENTRY = join(__dirname, 'run-server-from-source.js');

/** `nodeArgs` go before the entry script (`--expose-gc`, `-r probe.js`); `ipc` opens a message channel to the server. */
export function spawnServer(
  env: Record<string, string>,
  label = 'server',
  options: { nodeArgs?: string[]; ipc?: boolean } = {},
): ServerProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, NODE_OPTIONS: '' },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    if (process.env.ORDERTRACE_TEST_VERBOSE) process.stderr.write(`[${label}] ${line}\n`);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForLine = (pattern: RegExp, timeoutMs = 60_000): Promise<string> => {
    const found = lines.find((l) => pattern.test(l));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`${label}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-30).join('\n')}`)),
        timeoutMs,
      );
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.push(waiter);
      void exited.then(() => {
        if (!waiters.includes(waiter)) return;
        clearTimeout(timer);
        reject(new Error(`${label} exited before printing ${pattern}; last lines:\n${lines.slice(-30).join('\n')}`));
      });
    });
  };
  const baseUrl = waitForLine(/ordertrace listening on http:\/\/\S+/).then((line) =>
    /http:\/\/\S+/.exec(line)![0].replace('localhost', '127.0.0.1'),
  );
  baseUrl.catch(() => undefined);
  return {
    process: child,
    baseUrl,
    lines,
    exited,
    waitForLine,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * A TCP proxy in front of the chain node: `cut()` refuses new connections and drops open ones (the RPC
 * endpoint is down), `restore()` listens again on the same port.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** Where connections go; change it to point the proxy at another node. */
  constructor(public targetPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      this.sockets.add(client);
      this.sockets.add(upstream);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start(this.port);
  }
}

/** A Hardhat node with OrderAnchor, a private database and data folder, and the environment of servers on them. */
export interface FaultFixture {
  chain: TestChain;
  contract: string;
  db: TestDatabase;
  data: { dir: string; remove(): void };
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * What the fault tests run servers against: blocks keep coming without transactions (interval
 * mining), so confirmations accumulate as on a live chain.
 */
export async function startFaultFixture(extra: Record<string, string>): Promise<FaultFixture> {
  const chain = await startTestChain();
  const anchorer = chain.wallets[1];
  const contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
  await chain.provider.send('evm_setIntervalMining', [200]);
  const db = await createTestDatabase();
  const data = tempDataDir();
  const env = serverEnv({ databaseUrl: db.url, rpcUrl: chain.rpcUrl, contract, privateKey: anchorer.privateKey, dataDir: data.dir, extra });
  return {
    chain,
    contract,
    db,
    data,
    env,
    close: async () => {
      await chain.stop();
      await db.drop();
      data.remove();
    },
  };
}
