import { Injectable } from '@nestjs/common';
import { ChainConnection, RPC_TIMEOUT_MS } from '../anchoring/chain-connection';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { RPC_BATCH_LIMIT } from '../../proof/rpc-chain-reader';

/** A JSON-RPC answer as the proxy sends it back. */
export interface JsonRpcAnswer {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string };
}

const HASH32_RE = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY_RE = /^0x[0-9a-fA-F]{1,16}$/;
const BLOCK_TAGS = new Set(['latest', 'earliest', 'pending', 'safe', 'finalized']);
/** Calldata of a view call: a selector and a few words; nothing a verifier sends is larger. */
const CALLDATA_RE = /^0x[0-9a-fA-F]{8}(?:[0-9a-fA-F]{64}){0,8}$/;

class NotAllowed extends Error {}

type UpstreamAnswer = { result?: unknown; error?: { code: number; message: string } };

function blockRef(x: unknown): string {
  if (typeof x === 'string' && (BLOCK_TAGS.has(x) || QUANTITY_RE.test(x))) return x;
  throw new NotAllowed('a block must be a tag or a hex quantity');
}

function hash32(x: unknown): string {
  if (typeof x === 'string' && HASH32_RE.test(x)) return x;
  throw new NotAllowed('expected a 32-byte hash');
}

function object(x: unknown): Record<string, unknown> {
  if (typeof x === 'object' && x !== null && !Array.isArray(x)) return x as Record<string, unknown>;
  throw new NotAllowed('expected an object');
}

/**
 * The browser's way to the service's own chain node (the embedded dev chain, or CHAIN_RPC_URL when
 * PUBLIC_RPC_URL is not set): a read-only allowlist. Only what verification reads passes — chain id,
 * block number, view calls to the anchoring contract, receipts, blocks without transactions, the
 * contract's logs — each rebuilt from checked parameters, so nothing reaches the node's unlocked
 * accounts (no eth_sendTransaction, eth_sign, eth_accounts, personal_*, hardhat_*, evm_*) and no
 * provider key in CHAIN_RPC_URL leaves the server.
 */
@Injectable()
export class PublicRpcService {
  constructor(private readonly chain: ChainConnection) {}

  /**
   * One call, or a batch of up to RPC_BATCH_LIMIT calls answered with an array in the same order.
   * A batch travels upstream as one batch too; each call is checked and answered on its own.
   */
  async answer(body: unknown): Promise<JsonRpcAnswer | JsonRpcAnswer[]> {
    if (!Array.isArray(body)) return (await this.answerAll([body]))[0];
    if (body.length === 0) return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'an empty batch' } };
    if (body.length > RPC_BATCH_LIMIT) {
      return { jsonrpc: '2.0', id: null, error: { code: -32600, message: `a batch holds at most ${RPC_BATCH_LIMIT} calls` } };
    }
    return this.answerAll(body);
  }

  private async answerAll(calls: unknown[]): Promise<JsonRpcAnswer[]> {
    type Checked = { id: JsonRpcAnswer['id']; method: string } & ({ forwarded: unknown[] } | { refused: string });
    const checked = await Promise.all(
      calls.map(async (call): Promise<Checked> => {
        const request = typeof call === 'object' && call !== null && !Array.isArray(call) ? (call as Record<string, unknown>) : {};
        const id = typeof request.id === 'string' || typeof request.id === 'number' ? request.id : null;
        const method = typeof request.method === 'string' ? request.method : '';
        const params = Array.isArray(request.params) ? request.params : [];
        try {
          return { id, method, forwarded: await this.allowedParams(method, params) };
        } catch (err) {
          if (!(err instanceof NotAllowed)) throw err;
          return { id, method, refused: `${method || 'this request'} is not allowed here: ${err.message}` };
        }
      }),
    );
    // A batch counts once against the rate limit: log scans, the one costly read, are not multiplied by it.
    let logScans = 0;
    for (const [i, c] of checked.entries()) {
      if ('forwarded' in c && c.method === 'eth_getLogs' && ++logScans > 1) {
        checked[i] = { id: c.id, method: c.method, refused: 'eth_getLogs is not allowed here: one log query per batch' };
      }
    }
    const allowed = checked.flatMap((c) => ('forwarded' in c ? [{ method: c.method, params: c.forwarded }] : []));
    const upstream = allowed.length === 0 ? [] : await this.forward(allowed);
    let next = 0;
    return checked.map((c): JsonRpcAnswer => {
      if ('refused' in c) return { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: c.refused } };
      const answer = upstream[next++];
      return { jsonrpc: '2.0', id: c.id, ...(answer.error !== undefined ? { error: answer.error } : { result: answer.result }) };
    });
  }

  private async allowedParams(method: string, params: unknown[]): Promise<unknown[]> {
    switch (method) {
      case 'eth_chainId':
      case 'eth_blockNumber':
        return [];
      case 'eth_call': {
        const call = object(params[0]);
        const contract = await this.contract();
        if (typeof call.to !== 'string' || call.to.toLowerCase() !== contract) throw new NotAllowed(`only calls to ${contract}`);
        const data = call.data ?? call.input;
        if (typeof data !== 'string' || !CALLDATA_RE.test(data)) throw new NotAllowed('calldata must be a selector and at most 8 words');
        return [{ to: contract, data }, params[1] === undefined ? 'latest' : blockRef(params[1])];
      }
      case 'eth_getTransactionReceipt':
        return [hash32(params[0])];
      case 'eth_getBlockByNumber':
        if (params[1] !== false && params[1] !== undefined) throw new NotAllowed('blocks without transactions only');
        return [blockRef(params[0]), false];
      case 'eth_getBlockByHash':
        if (params[1] !== false && params[1] !== undefined) throw new NotAllowed('blocks without transactions only');
        return [hash32(params[0]), false];
      case 'eth_getLogs': {
        const filter = object(params[0]);
        const contract = await this.contract();
        if (typeof filter.address !== 'string' || filter.address.toLowerCase() !== contract)
          throw new NotAllowed(`only logs of ${contract}`);
        const topics = filter.topics === undefined ? undefined : filter.topics;
        if (
          topics !== undefined &&
          (!Array.isArray(topics) || topics.length > 4 || !topics.every((t) => t === null || HASH32_RE.test(String(t))))
        ) {
          throw new NotAllowed('topics must be up to four 32-byte hashes or null');
        }
        if (filter.blockHash !== undefined)
          return [{ address: contract, blockHash: hash32(filter.blockHash), ...(topics ? { topics } : {}) }];
        return [
          {
            address: contract,
            fromBlock: filter.fromBlock === undefined ? 'earliest' : blockRef(filter.fromBlock),
            toBlock: filter.toBlock === undefined ? 'latest' : blockRef(filter.toBlock),
            ...(topics ? { topics } : {}),
          },
        ];
      }
      default:
        throw new NotAllowed('read-only verification calls only');
    }
  }

  private async contract(): Promise<string> {
    return (await this.chain.requireIdentity()).contract.toLowerCase();
  }

  /** The node's answers to `calls`, in their order; a single call goes alone, several as one batch. */
  private async forward(calls: { method: string; params: unknown[] }[]): Promise<UpstreamAnswer[]> {
    const url = this.chain.rpcUrl;
    if (url === null) throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, 'The chain node is not running');
    const requests = calls.map((c, i) => ({ jsonrpc: '2.0', id: i + 1, method: c.method, params: c.params }));
    let body: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requests.length === 1 ? requests[0] : requests),
        signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
      });
      body = await response.json();
    } catch {
      // The node's address is not for the public: the message does not name it.
      throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, 'The chain node cannot be reached right now');
    }
    if (requests.length === 1) return [upstreamAnswer(body)];
    const byId = new Map<unknown, unknown>();
    if (Array.isArray(body))
      for (const item of body) if (typeof item === 'object' && item !== null) byId.set((item as { id?: unknown }).id, item);
    return requests.map((r) =>
      byId.has(r.id) ? upstreamAnswer(byId.get(r.id)) : { error: { code: -32603, message: 'the chain node did not answer this call' } },
    );
  }
}

/** One call's answer from the node, reduced to a result or a short error. */
function upstreamAnswer(raw: unknown): UpstreamAnswer {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as {
    result?: unknown;
    error?: { code?: unknown; message?: unknown } | null;
  };
  if (body.error !== undefined && body.error !== null) {
    return {
      error: {
        code: typeof body.error.code === 'number' ? body.error.code : -32603,
        message: typeof body.error.message === 'string' ? body.error.message.slice(0, 300) : 'error',
      },
    };
  }
  return { result: body.result ?? null };
}
