import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { ChainUnavailableError } from '../../proof/errors';
import { readChainId } from '../../proof/rpc-chain-reader';
import { withChainTimeout } from '../../proof/timeout';
import { AppConfig } from '../config/app-config';
import { resolveAnchorKey } from '../config/anchor-key';
import { DEV_ACCOUNT_0_PRIVATE_KEY, DevChainSupervisor } from './dev-chain';

/** Per-call limit for RPC requests: an ethers provider whose node is gone otherwise waits forever. */
export const RPC_TIMEOUT_MS = 10_000;
const HEAD_CACHE_MS = 1_000;

/** How the service reaches its chain: the endpoint, the anchoring key, and on the embedded default the node itself. */
export type ChainMode = 'embedded' | 'external';

/**
 * The connection to the anchoring chain. With CHAIN_RPC_URL it is any EVM node; without it (the embedded
 * default) the node is a dev chain that a DevChainSupervisor runs for the service's lifetime. Connecting
 * is lazy and retried by callers: a node that is down at boot does not keep the API from starting.
 */
@Injectable()
export class ChainConnection implements OnApplicationShutdown {
  readonly mode: ChainMode;
  /** The embedded default's node; null with CHAIN_RPC_URL. */
  private readonly devChain: DevChainSupervisor | null;
  private current: { provider: JsonRpcProvider; chainId: number } | null = null;
  private head: { at: number; block: number } | null = null;
  /** The anchoring signer (not connected: transactions are signed offline, then broadcast). */
  readonly wallet: Wallet | null;
  /** Why anchoring cannot run at all with this configuration, if it cannot. */
  readonly misconfiguration: string | null;
  private contract: string | null;

  constructor(private readonly config: AppConfig) {
    this.mode = config.chain.rpcUrl === null ? 'embedded' : 'external';
    this.contract = config.chain.contractAddress;
    const key = resolveAnchorKey(config.chain, DEV_ACCOUNT_0_PRIVATE_KEY);
    this.wallet = key.privateKey === null ? null : new Wallet(key.privateKey);
    this.misconfiguration = key.problem;
    this.devChain =
      this.mode === 'embedded'
        ? // A restarted node is a new chain: drop the provider, so the next call reconnects and re-reads the chain id.
          new DevChainSupervisor({ port: config.chain.port, onExit: () => this.disconnect() }, new Logger(ChainConnection.name))
        : null;
  }

  get rpcUrl(): string | null {
    return this.devChain !== null ? this.devChain.rpcUrl : this.config.chain.rpcUrl;
  }

  /** The OrderAnchor address anchoring uses now (configured, recorded, or deployed on the dev chain). */
  get contractAddress(): string | null {
    return this.contract;
  }

  setContractAddress(address: string): void {
    this.contract = address;
  }

  /** Chain id and contract for bundles and the verifier page; null until the chain was reached once. */
  identity(): { chainId: number; contract: string; rpcUrl: string } | null {
    if (this.current === null || this.contract === null || this.rpcUrl === null) return null;
    return { chainId: this.current.chainId, contract: this.contract, rpcUrl: this.rpcUrl };
  }

  /**
   * The identity, reaching the chain first when not yet connected. For request handlers: throws
   * ChainUnavailableError (503 CHAIN_UNAVAILABLE) when the node cannot be reached or the contract is
   * not known yet.
   */
  async requireIdentity(): Promise<{ chainId: number; contract: string; rpcUrl: string }> {
    if (this.identity() === null) {
      try {
        await this.chainId();
      } catch (err) {
        throw new ChainUnavailableError(`The anchoring chain cannot be reached right now: ${(err as Error).message}`, { cause: err });
      }
    }
    const identity = this.identity();
    if (identity === null) throw new ChainUnavailableError('The anchoring contract is not known yet');
    return identity;
  }

  /** Starts the embedded dev chain (no-op with CHAIN_RPC_URL). */
  async startEmbeddedChain(): Promise<void> {
    await this.devChain?.start();
  }

  /** A provider with a fixed network (no background network detection that retries forever). */
  async provider(): Promise<JsonRpcProvider> {
    if (this.current !== null) return this.current.provider;
    const url = this.rpcUrl;
    if (url === null) throw new ChainUnavailableError('the dev chain is not running');
    let chainId: number;
    try {
      chainId = await readChainId(url, { timeoutMs: RPC_TIMEOUT_MS });
    } catch (err) {
      throw new ChainUnavailableError(`cannot reach the chain at ${url}: ${(err as Error).message}`, { cause: err });
    }
    const network = Network.from(chainId);
    // cacheTimeout -1: ethers otherwise answers repeated identical calls within 250 ms from a cache, so a
    // receipt or nonce read right after a block would be stale.
    const provider = new JsonRpcProvider(url, network, {
      staticNetwork: network,
      pollingInterval: 250,
      batchMaxCount: 1,
      cacheTimeout: -1,
    });
    this.current = { provider, chainId };
    return provider;
  }

  /** The chain id read when connecting. */
  async chainId(): Promise<number> {
    await this.provider();
    return this.current!.chainId;
  }

  /** The chain id the node serves now, read again: another id means another chain behind the same URL. */
  async nodeChainId(): Promise<number> {
    const url = this.rpcUrl;
    if (url === null) throw new ChainUnavailableError('the dev chain is not running');
    return readChainId(url, { timeoutMs: RPC_TIMEOUT_MS });
  }

  /** Drops the provider so the next call reconnects (and re-reads the chain id). */
  disconnect(): void {
    this.current?.provider.destroy();
    this.current = null;
    this.head = null;
  }

  /** The latest block number, cached for a second (for confirmation counts shown by the API). */
  async headBlock(): Promise<number> {
    if (this.head !== null && Date.now() - this.head.at < HEAD_CACHE_MS) return this.head.block;
    const provider = await this.provider();
    const block = await withChainTimeout('eth_blockNumber', provider.getBlockNumber(), RPC_TIMEOUT_MS);
    this.head = { at: Date.now(), block };
    return block;
  }

  async onApplicationShutdown(): Promise<void> {
    this.disconnect();
    await this.devChain?.stop();
  }
}
