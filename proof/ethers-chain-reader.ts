/**
 * ChainReader over an ethers v6 Provider, for the server and the CLI (the browser uses the
 * fetch-based JsonRpcChainReader). Every failure of the provider becomes ChainUnavailableError, and
 * each call is bounded in time: an ethers provider that cannot reach its node waits for it forever.
 */
import type { Provider } from 'ethers';
import { type Hex, ZERO32 } from './bytes';
import type { ChainReader, TxReceipt } from './chain-reader';
import { ChainUnavailableError, ProofError } from './errors';
import { encodeBatchCall } from './rpc-chain-reader';
import { withChainTimeout } from './timeout';

export interface EthersChainReaderOptions {
  /** Per-call time limit; default 15 s. */
  timeoutMs?: number;
}

export class EthersChainReader implements ChainReader {
  private readonly timeoutMs: number;

  constructor(
    readonly provider: Provider,
    options: EthersChainReaderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private async read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await withChainTimeout(what, call(), this.timeoutMs);
    } catch (err) {
      if (err instanceof ProofError) throw err;
      throw new ChainUnavailableError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async getChainId(): Promise<number> {
    const network = await this.read('eth_chainId', () => this.provider.getNetwork());
    return Number(network.chainId);
  }

  getBlockNumber(): Promise<number> {
    return this.read('eth_blockNumber', () => this.provider.getBlockNumber());
  }

  async getBatchRoot(contract: Hex, seq: number): Promise<Hex> {
    const data = encodeBatchCall(seq);
    const result = await this.read(`batch(${seq})`, () => this.provider.call({ to: contract, data }));
    // No code at the address: nothing was ever anchored there.
    if (result === '0x') return ZERO32;
    if (!/^0x[0-9a-fA-F]{64}/.test(result)) {
      throw new ChainUnavailableError(`batch(${seq}) returned ${(result.length - 2) / 2} bytes, expected at least 32`);
    }
    return `0x${result.slice(2, 66).toLowerCase()}`;
  }

  async getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null> {
    const receipt = await this.read(`receipt of ${txHash}`, () => this.provider.getTransactionReceipt(txHash));
    if (receipt === null) return null;
    return {
      // Receipts without a status (pre-Byzantium) cannot show success.
      status: receipt.status ?? 0,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash.toLowerCase() as Hex,
      logs: receipt.logs.map((log) => ({
        address: log.address.toLowerCase() as Hex,
        topics: log.topics.map((t) => t.toLowerCase() as Hex),
        data: log.data.toLowerCase() as Hex,
      })),
    };
  }

  async getBlockTimestamp(blockNumber: number): Promise<number> {
    const block = await this.read(`block ${blockNumber}`, () => this.provider.getBlock(blockNumber));
    if (block === null) throw new ChainUnavailableError(`block ${blockNumber} not found`);
    return block.timestamp;
  }
}
