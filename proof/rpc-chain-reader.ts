/**
 * A ChainReader over raw Ethereum JSON-RPC with nothing but `fetch`: the verifier page reads the
 * chain itself with it, so a compromised ordertrace server cannot fake a green result, and the
 * page stays small (no ethers). Calldata and results are encoded by hand; the only ABI used is
 * `batch(uint64)`, whose first return word is the root.
 */
import { bytesToHex, type Hex, utf8Bytes, ZERO32 } from './bytes';
import type { ChainReader, TxLog, TxReceipt } from './chain-reader';
import { ChainUnavailableError, ProofError } from './errors';
import { keccak256 } from './keccak';

/** First four bytes of keccak256('batch(uint64)'). */
export const BATCH_SELECTOR: Hex = bytesToHex(keccak256(utf8Bytes('batch(uint64)')).subarray(0, 4));

// Lenient about leading zeros: some nodes send them although the spec says not to.
const HEX_QUANTITY_RE = /^0x[0-9a-fA-F]+$/;
const HEX_DATA_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const HEX32_ANY_CASE_RE = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS_ANY_CASE_RE = /^0x[0-9a-fA-F]{40}$/;

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

export interface JsonRpcChainReaderOptions {
  /** Per-request time limit; a hung node must not hang the page. */
  timeoutMs?: number;
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

export class JsonRpcChainReader implements ChainReader {
  private readonly fetchFn: FetchFn;
  private readonly timeoutMs: number;
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
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** One JSON-RPC call. Transport failures, HTTP errors and RPC errors all become ChainUnavailableError. */
  async call(method: string, params: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let body: JsonRpcResponse;
    try {
      const response = await this.fetchFn(this.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: controller.signal,
      });
      if (!response.ok) throw unavailable(`${method}: the RPC node answered HTTP ${response.status}`);
      body = (await response.json()) as JsonRpcResponse;
    } catch (err) {
      if (err instanceof ProofError) throw err;
      const reason = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : transportFailure(err);
      throw unavailable(`${method}: cannot reach the RPC node at ${this.rpcUrl} (${reason})`, err);
    } finally {
      clearTimeout(timer);
    }
    if (typeof body !== 'object' || body === null) throw unavailable(`${method}: the RPC node answered something other than JSON-RPC`);
    if (body.error !== undefined && body.error !== null) {
      const message = typeof body.error.message === 'string' ? body.error.message : 'unknown error';
      throw unavailable(`${method}: the RPC node answered an error: ${message}`);
    }
    if (!('result' in body)) throw unavailable(`${method}: the RPC node answered without a result`);
    return body.result;
  }

  getChainId(): Promise<number> {
    // The chain behind a URL does not change while a page is open; ask once.
    if (this.chainId === null) {
      this.chainId = this.call('eth_chainId', []).then((r) => quantity(r, 'chain id'));
      this.chainId.catch(() => {
        this.chainId = null;
      });
    }
    return this.chainId;
  }

  async getBlockNumber(): Promise<number> {
    return quantity(await this.call('eth_blockNumber', []), 'block number');
  }

  /**
   * The root the contract holds for batch `seq` (the first word of `batch(seq)`), zero if none.
   * An empty answer means no code at that address — nothing was ever anchored there — and reads as zero.
   */
  async getBatchRoot(contract: Hex, seq: number): Promise<Hex> {
    const data = encodeBatchCall(seq);
    const result = hexData(await this.call('eth_call', [{ to: contract, data }, 'latest']), 'eth_call result');
    if (result === '0x') return ZERO32;
    if (result.length < 2 + 64) throw unavailable(`eth_call batch(${seq}) returned ${(result.length - 2) / 2} bytes, expected at least 32`);
    return `0x${result.slice(2, 66)}`;
  }

  async getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null> {
    const raw = await this.call('eth_getTransactionReceipt', [txHash]);
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
      cached = this.call('eth_getBlockByNumber', [toQuantity(blockNumber), false]).then((raw) => {
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
