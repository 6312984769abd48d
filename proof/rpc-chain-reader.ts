/**
 * A ChainReader over raw Ethereum JSON-RPC with nothing but `fetch`: the verifier page reads the
 * chain itself with it, so a compromised ordertrace server cannot fake a green result, and the
 * page stays small (no ethers). Calldata and results are encoded by hand; the only ABI used is
 * `batch(uint64)`, whose first return word is the root.
 */
import { type Hex, ZERO32 } from './bytes';
import type { ChainReader, TxLog, TxReceipt } from './chain-reader';
import { ChainUnavailableError, ProofError } from './errors';

/**
 * First four bytes of keccak256('batch(uint64)'), written out so that the page's first script
 * needs no keccak (a test recomputes it).
 */
export const BATCH_SELECTOR = '0x857553cc' as Hex;

// Lenient about leading zeros: some nodes send them although the spec says not to.
const HEX_QUANTITY_RE = /^0x[0-9a-fA-F]+$/;
const HEX_DATA_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const HEX32_ANY_CASE_RE = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS_ANY_CASE_RE = /^0x[0-9a-fA-F]{40}$/;

/** How long a read waits for the node unless told otherwise: a hung node must not hang the page. */
export const DEFAULT_RPC_TIMEOUT_MS = 15_000;

/** The most calls ordertrace's readers put in one JSON-RPC batch, and its public proxy accepts. */
export const RPC_BATCH_LIMIT = 50;

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** One JSON-RPC question: what the reader asks, and what an early read is matched by. */
export interface JsonRpcCall {
  method: string;
  params: unknown[];
}

export interface JsonRpcChainReaderOptions {
  /** Per-request time limit; a hung node must not hang the page. */
  timeoutMs?: number;
  /**
   * Up to this many calls made in the same turn of the event loop travel as one JSON-RPC batch
   * (one round trip on a slow network). 1, the default, sends each call on its own. A node that
   * answers a batch with anything but an array is asked one call at a time from then on.
   */
  batchLimit?: number;
  /**
   * The node's JSON-RPC answer to `call` (`{result}` or `{error}`), asked before this reader
   * existed — the page's first script asks what a bundle's check will read while the main script
   * loads — or undefined. Checked like any answer; when it never came, the call is asked again.
   */
  early?: (call: JsonRpcCall) => Promise<unknown> | undefined;
}

interface QueuedCall {
  method: string;
  params: unknown[];
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

interface JsonRpcResponse {
  jsonrpc?: string;
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

function unavailable(message: string, cause?: unknown): ChainUnavailableError {
  return new ChainUnavailableError(message, cause === undefined ? {} : { cause });
}

/** Everything the node answers is untrusted input: each value is checked before use. */
function quantity(value: unknown, what: string): number {
  if (typeof value !== 'string' || !HEX_QUANTITY_RE.test(value)) throw unavailable(`RPC returned a malformed ${what}`);
  const n = Number.parseInt(value.slice(2), 16);
  if (!Number.isSafeInteger(n)) throw unavailable(`RPC returned an out-of-range ${what}`);
  return n;
}

function hex32(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !HEX32_ANY_CASE_RE.test(value)) throw unavailable(`RPC returned a malformed ${what}`);
  return value.toLowerCase() as Hex;
}

function hexData(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !HEX_DATA_RE.test(value)) throw unavailable(`RPC returned malformed ${what}`);
  return value.toLowerCase() as Hex;
}

function address(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !ADDRESS_ANY_CASE_RE.test(value)) throw unavailable(`RPC returned a malformed ${what}`);
  return value.toLowerCase() as Hex;
}

function toQuantity(n: number): string {
  return `0x${n.toString(16)}`;
}

/** ABI encoding of `batch(uint64 seq)`: selector followed by seq as one big-endian 32-byte word. */
export function encodeBatchCall(seq: number): Hex {
  // Safe integers are all below 2^53, so inside uint64.
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new ProofError('INVALID_ARGUMENT', `batch seq must be a uint64, got ${String(seq)}`, { field: 'seq' });
  }
  return `${BATCH_SELECTOR}${seq.toString(16).padStart(64, '0')}` as Hex;
}

/** The calls behind the reader's methods: the one place their parameters are written. */
export const chainCalls = {
  chainId: (): JsonRpcCall => ({ method: 'eth_chainId', params: [] }),
  blockNumber: (): JsonRpcCall => ({ method: 'eth_blockNumber', params: [] }),
  batchRoot: (contract: Hex, seq: number): JsonRpcCall => ({
    method: 'eth_call',
    params: [{ to: contract, data: encodeBatchCall(seq) }, 'latest'],
  }),
  receipt: (txHash: Hex): JsonRpcCall => ({ method: 'eth_getTransactionReceipt', params: [txHash] }),
  block: (blockNumber: number): JsonRpcCall => ({ method: 'eth_getBlockByNumber', params: [toQuantity(blockNumber), false] }),
};

/**
 * The reads a check of `bundle` starts with (chain id, head, each claimed batch root, receipt and
 * block), from its claims alone and at most `limit` of them: the bundle is untrusted until checked,
 * so this only says what to ask early, never what is true. Empty for anything not shaped like one.
 */
export function claimedChainCalls(bundle: unknown, limit: number): JsonRpcCall[] {
  const b = bundle as { chain?: { contract?: unknown }; events?: unknown } | null;
  const contract = b?.chain?.contract;
  if (typeof contract !== 'string' || !Array.isArray(b?.events)) return [];
  const calls = new Map<string, JsonRpcCall>();
  const add = (call: JsonRpcCall): void => {
    if (calls.size < limit) calls.set(JSON.stringify(call), call);
  };
  add(chainCalls.chainId());
  add(chainCalls.blockNumber());
  for (const event of b.events as { anchor?: { batch?: unknown; txHash?: unknown; blockNumber?: unknown } | null }[]) {
    const anchor = event?.anchor;
    if (typeof anchor !== 'object' || anchor === null) continue;
    const { batch, txHash, blockNumber } = anchor;
    if (typeof batch === 'number' && Number.isSafeInteger(batch) && batch >= 0) add(chainCalls.batchRoot(contract as Hex, batch));
    if (typeof txHash === 'string' && HEX32_ANY_CASE_RE.test(txHash)) add(chainCalls.receipt(txHash.toLowerCase() as Hex));
    if (typeof blockNumber === 'number' && Number.isSafeInteger(blockNumber) && blockNumber >= 0) add(chainCalls.block(blockNumber));
  }
  return [...calls.values()];
}

function parseLog(raw: unknown, index: number): TxLog {
  if (typeof raw !== 'object' || raw === null) throw unavailable(`RPC returned a malformed log ${index}`);
  const log = raw as { address?: unknown; topics?: unknown; data?: unknown };
  if (!Array.isArray(log.topics)) throw unavailable(`RPC returned malformed topics in log ${index}`);
  return {
    address: address(log.address, `log ${index} address`),
    topics: log.topics.map((t, i) => hex32(t, `log ${index} topic ${i}`)),
    data: hexData(log.data, `log ${index} data`),
  };
}

/**
 * Node's fetch says only "fetch failed" and keeps the reason (ECONNREFUSED, a DNS failure…) in
 * `cause`. Read by shape: errors of another realm (a test sandbox, a frame) are no `instanceof Error`.
 */
function transportFailure(err: unknown): string {
  const messageOf = (e: unknown): string | null => {
    const message = (e as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message !== '' ? message : null;
  };
  return messageOf((err as { cause?: unknown } | null)?.cause) ?? messageOf(err) ?? String(err);
}

/** A batch the node answered with an HTTP error: perhaps it takes no batches, so each call is asked alone. */
class BatchHttpError extends Error {}

/** The result of one JSON-RPC answer, or ChainUnavailableError for an error or a malformed answer. */
function resultOf(method: string, body: JsonRpcResponse): unknown {
  if (typeof body !== 'object' || body === null) throw unavailable(`${method}: the RPC node answered something other than JSON-RPC`);
  if (body.error !== undefined && body.error !== null) {
    const message = typeof body.error.message === 'string' ? body.error.message : 'unknown error';
    throw unavailable(`${method}: the RPC node answered an error: ${message}`);
  }
  if (!('result' in body)) throw unavailable(`${method}: the RPC node answered without a result`);
  return body.result;
}

export class JsonRpcChainReader implements ChainReader {
  private readonly fetchFn: FetchFn;
  private readonly timeoutMs: number;
  private readonly batchLimit: number;
  private readonly early: JsonRpcChainReaderOptions['early'];
  private batchRefused = false;
  private queue: QueuedCall[] = [];
  private nextId = 1;
  private chainId: Promise<number> | null = null;
  private readonly blockTimes = new Map<number, Promise<number>>();

  // The default wraps fetch rather than storing it: browsers throw "Illegal invocation" when fetch
  // is called detached from its global.
  constructor(
    readonly rpcUrl: string,
    fetchFn: FetchFn = (input, init) => fetch(input, init),
    options: JsonRpcChainReaderOptions = {},
  ) {
    this.fetchFn = fetchFn;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.batchLimit = Math.max(1, Math.trunc(options.batchLimit ?? 1));
    this.early = options.early;
  }

  /** One JSON-RPC call. Transport failures, HTTP errors and RPC errors all become ChainUnavailableError. */
  call(method: string, params: unknown[]): Promise<unknown> {
    const early = this.early?.({ method, params });
    if (early === undefined) return this.ask(method, params);
    return early.then(
      (body) => (body === undefined ? this.ask(method, params) : resultOf(method, body as JsonRpcResponse)),
      () => this.ask(method, params),
    );
  }

  private ask(method: string, params: unknown[]): Promise<unknown> {
    if (this.batchLimit === 1 || this.batchRefused) return this.callAlone(method, params);
    return new Promise((resolve, reject) => {
      this.queue.push({ method, params, resolve, reject });
      // Calls made before the current task yields join the same batch.
      if (this.queue.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private async callAlone(method: string, params: unknown[]): Promise<unknown> {
    const body = await this.post(method, { jsonrpc: '2.0', id: this.nextId++, method, params });
    return resultOf(method, body);
  }

  /** Sends the calls gathered so far now, rather than when the current task yields. */
  flush(): void {
    const calls = this.queue;
    this.queue = [];
    for (let i = 0; i < calls.length; i += this.batchLimit) void this.sendBatch(calls.slice(i, i + this.batchLimit));
  }

  private async sendBatch(calls: QueuedCall[]): Promise<void> {
    const alone = (c: QueuedCall): void => void this.callAlone(c.method, c.params).then(c.resolve, c.reject);
    if (calls.length === 1 || this.batchRefused) {
      calls.forEach(alone);
      return;
    }
    const requests = calls.map((c) => ({ jsonrpc: '2.0', id: this.nextId++, method: c.method, params: c.params }));
    const what = `a batch of ${calls.length} calls (${[...new Set(calls.map((c) => c.method))].join(', ')})`;
    let answer: unknown;
    try {
      answer = await this.post(what, requests);
    } catch (err) {
      if (err instanceof BatchHttpError) {
        this.batchRefused = true;
        calls.forEach(alone);
      } else {
        calls.forEach((c) => c.reject(err));
      }
      return;
    }
    if (!Array.isArray(answer)) {
      this.batchRefused = true;
      calls.forEach(alone);
      return;
    }
    const byId = new Map<unknown, unknown>();
    for (const item of answer) if (typeof item === 'object' && item !== null) byId.set((item as JsonRpcResponse).id, item);
    calls.forEach((c, i) => {
      const item = byId.get(requests[i].id);
      try {
        if (item === undefined) throw unavailable(`${c.method}: the RPC node left it out of its batch answer`);
        c.resolve(resultOf(c.method, item as JsonRpcResponse));
      } catch (err) {
        c.reject(err);
      }
    });
  }

  /** Sends one JSON-RPC request or batch; returns the parsed body. */
  private async post(what: string, payload: unknown): Promise<JsonRpcResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await this.fetchFn(this.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      if (!response.ok) {
        const message = `${what}: the RPC node answered HTTP ${response.status}`;
        // Any error but "too many" may be a node that takes no batches: its calls are then asked alone.
        const refused = Array.isArray(payload) && response.status !== 429;
        throw refused ? new BatchHttpError(message) : unavailable(message);
      }
      return (await response.json()) as JsonRpcResponse;
    } catch (err) {
      if (err instanceof ProofError || err instanceof BatchHttpError) throw err;
      const reason = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : transportFailure(err);
      throw unavailable(`${what}: cannot reach the RPC node at ${this.rpcUrl} (${reason})`, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private read(call: JsonRpcCall): Promise<unknown> {
    return this.call(call.method, call.params);
  }

  getChainId(): Promise<number> {
    // The chain behind a URL does not change while a page is open; ask once.
    if (this.chainId === null) {
      this.chainId = this.read(chainCalls.chainId()).then((r) => quantity(r, 'chain id'));
      this.chainId.catch(() => {
        this.chainId = null;
      });
    }
    return this.chainId;
  }

  async getBlockNumber(): Promise<number> {
    return quantity(await this.read(chainCalls.blockNumber()), 'block number');
  }

  /**
   * The root the contract holds for batch `seq` (the first word of `batch(seq)`), zero if none.
   * An empty answer means no code at that address — nothing was ever anchored there — and reads as zero.
   */
  async getBatchRoot(contract: Hex, seq: number): Promise<Hex> {
    const result = hexData(await this.read(chainCalls.batchRoot(contract, seq)), 'eth_call result');
    if (result === '0x') return ZERO32;
    if (result.length < 2 + 64) throw unavailable(`eth_call batch(${seq}) returned ${(result.length - 2) / 2} bytes, expected at least 32`);
    return `0x${result.slice(2, 66)}`;
  }

  async getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null> {
    const raw = await this.read(chainCalls.receipt(txHash));
    if (raw === null) return null;
    if (typeof raw !== 'object') throw unavailable('RPC returned a malformed transaction receipt');
    const receipt = raw as { status?: unknown; blockNumber?: unknown; blockHash?: unknown; logs?: unknown };
    // A receipt of a transaction still in the mempool (some nodes) has no block yet: not mined.
    if (receipt.blockNumber === null || receipt.blockHash === null) return null;
    if (!Array.isArray(receipt.logs)) throw unavailable('RPC returned a receipt without logs');
    return {
      status: quantity(receipt.status, 'receipt status'),
      blockNumber: quantity(receipt.blockNumber, 'receipt block number'),
      blockHash: hex32(receipt.blockHash, 'receipt block hash'),
      logs: receipt.logs.map(parseLog),
    };
  }

  getBlockTimestamp(blockNumber: number): Promise<number> {
    let cached = this.blockTimes.get(blockNumber);
    if (cached === undefined) {
      cached = this.read(chainCalls.block(blockNumber)).then((raw) => {
        if (typeof raw !== 'object' || raw === null) throw unavailable(`block ${blockNumber} not found`);
        return quantity((raw as { timestamp?: unknown }).timestamp, 'block timestamp');
      });
      this.blockTimes.set(blockNumber, cached);
      cached.catch(() => this.blockTimes.delete(blockNumber));
    }
    return cached;
  }
}

/**
 * The chain id behind an RPC endpoint (`eth_chainId`): the one reader of it for the service, the
 * CLI, the scripts and the tests. Throws ChainUnavailableError when the node cannot be reached or
 * answers anything but a chain id.
 */
export function readChainId(rpcUrl: string, options: JsonRpcChainReaderOptions & { fetchFn?: FetchFn } = {}): Promise<number> {
  return new JsonRpcChainReader(rpcUrl, options.fetchFn, options).getChainId();
}
