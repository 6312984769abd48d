import { Injectable } from '@nestjs/common';
import { ChainConnection, RPC_TIMEOUT_MS } from '../anchoring/chain-connection';
import { DomainError, ErrorCode } from '../errors/domain-error';

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

  async answer(body: unknown): Promise<JsonRpcAnswer> {
    if (Array.isArray(body)) return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch requests are not supported' } };
    const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const id = typeof request.id === 'string' || typeof request.id === 'number' ? request.id : null;
    const method = typeof request.method === 'string' ? request.method : '';
    const params = Array.isArray(request.params) ? request.params : [];
    let forwarded: unknown[];
    try {
      forwarded = await this.allowedParams(method, params);
    } catch (err) {
      if (!(err instanceof NotAllowed)) throw err;
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `${method || 'this request'} is not allowed here: ${err.message}` } };
    }
    const upstream = await this.forward(method, forwarded);
    return { jsonrpc: '2.0', id, ...(upstream.error !== undefined ? { error: upstream.error } : { result: upstream.result }) };
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

  private async forward(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
    const url = this.chain.rpcUrl;
    if (url === null) throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, 'The chain node is not running');
    let body: { result?: unknown; error?: { code?: unknown; message?: unknown } };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
      });
      body = (await response.json()) as typeof body;
    } catch {
      // The node's address is not for the public: the message does not name it.
      throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, 'The chain node cannot be reached right now');
    }
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
}
