import { readFileSync } from 'node:fs';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { DEV_ACCOUNT_0_PRIVATE_KEY, type DevChain, startDevChain } from './dev-chain';

/** Per-call limit for RPC requests: an ethers provider whose node is gone otherwise waits forever. */
export const RPC_TIMEOUT_MS = 10_000;
const HEAD_CACHE_MS = 1_000;
const DEV_CHAIN_RESTART_DELAY_MS = 1_000;

/** The chain could not be reached or answered nonsense; the caller retries later. */
export class ChainUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChainUnavailableError';
  }
}

export function withTimeout<T>(what: string, promise: Promise<T>, ms: number = RPC_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainUnavailableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function rawChainId(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
  });
  const body = (await response.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== 'string') throw new Error(body.error?.message ?? 'eth_chainId returned no result');
  return Number(BigInt(body.result));
}

/** How the service reaches its chain: the endpoint, the anchoring key, and on the embedded default the node itself. */
export type ChainMode = 'embedded' | 'external';

/**
 * The connection to the anchoring chain. With CHAIN_RPC_URL it is any EVM node; without it (the embedded
 * default) a Hardhat node is started here as a child process on CHAIN_PORT, restarted if it dies, and
 * stopped with the service. Connecting is lazy and retried by callers: a node that is down at boot does
 * not keep the API from starting.
 */
@Injectable()
export class ChainConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(ChainConnection.name);
  readonly mode: ChainMode;
  private devChain: DevChain | null = null;
  private stopping = false;
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
    let key: string | null = config.chain.anchorPrivateKey;
    let problem: string | null = null;
    if (key === null && config.chain.anchorKeyFile !== null) {
      try {
        const raw = readFileSync(config.chain.anchorKeyFile, 'utf8').trim();
        if (!/^(0x)?[0-9a-fA-F]{64}$/.test(raw))
          problem = `ANCHOR_KEY_FILE ${config.chain.anchorKeyFile} does not hold a 32-byte hex private key`;
        else key = `0x${raw.replace(/^0x/, '').toLowerCase()}`;
      } catch (err) {
        problem = `cannot read ANCHOR_KEY_FILE ${config.chain.anchorKeyFile}: ${(err as Error).message}`;
      }
    }
    if (key === null && problem === null) {
      if (this.mode === 'embedded') key = DEV_ACCOUNT_0_PRIVATE_KEY;
      else problem = 'CHAIN_RPC_URL is set but neither ANCHOR_PRIVATE_KEY nor ANCHOR_KEY_FILE is: cannot sign anchoring transactions';
    }
    this.wallet = key === null ? null : new Wallet(key);
    this.misconfiguration = problem;
  }

  get rpcUrl(): string | null {
    return this.devChain?.rpcUrl ?? this.config.chain.rpcUrl;
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
   * DomainError CHAIN_UNAVAILABLE when the node cannot be reached or the contract is not known yet.
   */
  async requireIdentity(): Promise<{ chainId: number; contract: string; rpcUrl: string }> {
    if (this.identity() === null) {
      try {
        await this.chainId();
      } catch (err) {
        throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, `The anchoring chain cannot be reached right now: ${(err as Error).message}`);
      }
    }
    const identity = this.identity();
    if (identity === null) throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, 'The anchoring contract is not known yet');
    return identity;
  }

  /** Starts the embedded dev chain (no-op with CHAIN_RPC_URL). */
  async startEmbeddedChain(): Promise<void> {
    if (this.mode !== 'embedded' || this.devChain !== null) return;
    const chain = await startDevChain({ port: this.config.chain.port });
    this.devChain = chain;
    chain.process.once('exit', (code, signal) => {
      if (this.stopping || this.devChain !== chain) return;
      this.logger.error(`the dev chain on ${chain.rpcUrl} exited (${code ?? signal}); restarting it, batches will be anchored again`);
      this.devChain = null;
      this.disconnect();
      setTimeout(() => void this.restartEmbeddedChain(), DEV_CHAIN_RESTART_DELAY_MS).unref();
    });
  }

  private async restartEmbeddedChain(): Promise<void> {
    for (let attempt = 1; attempt <= 10 && !this.stopping && this.devChain === null; attempt++) {
      try {
        await this.startEmbeddedChain();
        this.logger.log(`dev chain restarted on ${this.rpcUrl}`);
        return;
      } catch (err) {
        this.logger.error(`restarting the dev chain failed (attempt ${attempt}): ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, DEV_CHAIN_RESTART_DELAY_MS * attempt));
      }
    }
  }

  /** A provider with a fixed network (no background network detection that retries forever). */
  async provider(): Promise<JsonRpcProvider> {
    if (this.current !== null) return this.current.provider;
    const url = this.rpcUrl;
    if (url === null) throw new ChainUnavailableError('the dev chain is not running');
    let chainId: number;
    try {
      chainId = await rawChainId(url);
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

  async chainId(): Promise<number> {
    await this.provider();
    return this.current!.chainId;
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
    const block = await withTimeout('eth_blockNumber', provider.getBlockNumber());
    this.head = { at: Date.now(), block };
    return block;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.disconnect();
    if (this.devChain !== null) {
      const chain = this.devChain;
      this.devChain = null;
      await chain.stop();
    }
  }
}
