import { Injectable, Logger } from '@nestjs/common';
import { keccak256 } from 'ethers';
import { BatchesRepository } from '../batches/batches.repository';
import type { BatchEntity } from '../batches/batch.entity';
import { ChainUnavailableError } from '../../proof/errors';
import { withChainTimeout } from '../../proof/timeout';
import { ChainConnection, RPC_TIMEOUT_MS } from './chain-connection';
import { deployOrderAnchor, orderAnchorAt } from './order-anchor.contract';
import { ANCHOR_CHAIN_STATE_KEY, type AnchorChainState, ServiceStateRepository } from './service-state.repository';

/** How often the chain's identity (chain id, genesis, contract code, role) is checked again. */
const IDENTITY_RECHECK_MS = 2_000;

interface ChainStateRecord extends AnchorChainState {
  codeHash: string;
}

/**
 * Keeps the database honest about the chain: the batches it calls anchored must still be on the
 * canonical chain of the contract we anchor to. A new chain (dev chain restarted: new genesis), a new
 * contract (different address or code) or a reorg that dropped an anchoring block sends the affected
 * batches back to `sealed`, from the first affected seq on, so they are anchored again.
 */
@Injectable()
export class ChainReconciliationService {
  private readonly logger = new Logger(ChainReconciliationService.name);
  private checkedAt = 0;
  private lastProblem: string | null = null;
  private targetGeneration = 0;

  constructor(
    private readonly chain: ChainConnection,
    private readonly batches: BatchesRepository,
    private readonly state: ServiceStateRepository,
  ) {}

  /** Grows each time the anchoring target (chain, contract) changed and all batches were sent back to sealed. */
  get generation(): number {
    return this.targetGeneration;
  }

  /** Why anchoring is paused until an operator acts (no contract, no role), or null. */
  get pausedBecause(): string | null {
    return this.lastProblem;
  }

  /** Forces the next `ensureChainIdentity` to check everything again (after an RPC failure). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  /**
   * Makes sure we anchor to a contract with code on the current chain, with the anchoring role,
   * deploying one on the embedded dev chain when there is none. Returns false (and logs why) when
   * anchoring cannot proceed; throws ChainUnavailableError when the node cannot be reached.
   */
  async ensureChainIdentity(): Promise<boolean> {
    if (Date.now() - this.checkedAt < IDENTITY_RECHECK_MS) return true;
    const wallet = this.chain.wallet;
    if (wallet === null) return this.problem(this.chain.misconfiguration ?? 'no anchoring key');
    const provider = await this.chain.provider();
    const chainId = await this.chain.nodeChainId();
    if (chainId !== (await this.chain.chainId())) {
      this.chain.disconnect();
      throw new ChainUnavailableError(`the node at ${this.chain.rpcUrl} now reports chain id ${chainId}; reconnecting`);
    }
    const genesis = (await withChainTimeout(
      'eth_getBlockByNumber(0)',
      provider.send('eth_getBlockByNumber', ['0x0', false]),
      RPC_TIMEOUT_MS,
    )) as {
      hash?: string;
    } | null;
    if (!genesis?.hash) throw new ChainUnavailableError('the node returned no genesis block');
    const genesisHash = genesis.hash.toLowerCase();

    const recorded = await this.state.get<ChainStateRecord>(ANCHOR_CHAIN_STATE_KEY);
    const sameChain = recorded !== null && recorded.chainId === chainId && recorded.genesisHash === genesisHash;
    let contract = this.chain.contractAddress ?? (sameChain ? recorded.contract : null);
    let deployBlock = recorded !== null && contract !== null && sameChain && eq(recorded.contract, contract) ? recorded.deployBlock : null;
    let code = contract === null ? '0x' : await withChainTimeout('eth_getCode', provider.getCode(contract), RPC_TIMEOUT_MS);
    if (code === '0x') {
      if (this.chain.mode !== 'embedded') {
        return this.problem(
          contract === null
            ? 'no CONTRACT_ADDRESS configured: deploy OrderAnchor (scripts/deploy.ts) and set CONTRACT_ADDRESS'
            : `no contract code at CONTRACT_ADDRESS ${contract} on chain ${chainId}: was the chain reset? Deploy OrderAnchor again`,
        );
      }
      const deployer = wallet.connect(provider);
      const deployed = await withChainTimeout(
        'deploy OrderAnchor',
        deployOrderAnchor(deployer, { admin: wallet.address, anchorer: wallet.address }),
        60_000,
      );
      contract = deployed.address;
      deployBlock = deployed.receipt.blockNumber;
      code = await withChainTimeout('eth_getCode', provider.getCode(contract), RPC_TIMEOUT_MS);
      this.logger.log(`deployed OrderAnchor at ${contract} on the dev chain (block ${deployBlock})`);
    }
    if (contract === null) return this.problem('no contract to anchor to');
    const codeHash = keccak256(code);

    const anchor = orderAnchorAt(contract, provider);
    const role = await withChainTimeout('ANCHORER_ROLE()', anchor.ANCHORER_ROLE(), RPC_TIMEOUT_MS);
    if (!(await withChainTimeout('hasRole', anchor.hasRole(role, wallet.address), RPC_TIMEOUT_MS))) {
      const adminRole = await withChainTimeout('DEFAULT_ADMIN_ROLE()', anchor.DEFAULT_ADMIN_ROLE(), RPC_TIMEOUT_MS);
      if (!(await withChainTimeout('hasRole', anchor.hasRole(adminRole, wallet.address), RPC_TIMEOUT_MS))) {
        return this.problem(`the anchoring account ${wallet.address} lacks ANCHORER_ROLE on ${contract}; grant it with the admin account`);
      }
      const tx = await withChainTimeout(
        'grantRole',
        orderAnchorAt(contract, wallet.connect(provider)).grantRole(role, wallet.address),
        RPC_TIMEOUT_MS,
      );
      await withChainTimeout('grantRole receipt', tx.wait(1), 60_000);
      this.logger.log(`granted ANCHORER_ROLE on ${contract} to ${wallet.address}`);
    }

    const next: ChainStateRecord = { chainId, genesisHash, contract, deployBlock, codeHash };
    const changed = recorded === null || !sameChain || !eq(recorded.contract, contract) || recorded.codeHash !== codeHash;
    if (changed) {
      // Resetting is safe even when nothing moved: a sealed batch is first looked up on chain and adopted if there.
      const reset = await this.batches.resetFrom(1, `anchoring target changed to chain ${chainId} contract ${contract}`);
      if (recorded !== null || reset > 0) {
        this.logger.warn(
          `anchoring target changed (chain ${recorded?.chainId ?? '?'} genesis ${short(recorded?.genesisHash)} contract ${recorded?.contract ?? '?'} -> ` +
            `chain ${chainId} genesis ${short(genesisHash)} contract ${contract}); ${reset} batches will be anchored again`,
        );
      }
      await this.state.set(ANCHOR_CHAIN_STATE_KEY, next);
      this.targetGeneration++;
    }
    this.chain.setContractAddress(contract);
    this.checkedAt = Date.now();
    this.lastProblem = null;
    return true;
  }

  /**
   * The start-up comparison of the database with the contract. Seqs the contract holds beyond our last
   * batch mean another writer or a database restored from an older state: anchoring new batches would
   * hit foreign roots, so say so loudly now. Returns the contract's lastSeq.
   */
  async compareWithContract(): Promise<number> {
    const contract = this.chain.contractAddress;
    if (contract === null) return 0;
    const provider = await this.chain.provider();
    const lastSeq = Number(await withChainTimeout('lastSeq()', orderAnchorAt(contract, provider).lastSeq(), RPC_TIMEOUT_MS));
    const stats = await this.batches.stats();
    const message =
      `reconciled with ${contract}: contract lastSeq ${lastSeq}; database has ${stats.total} batches, ` +
      `${stats.confirmed} confirmed, ${stats.total - stats.confirmed} to anchor`;
    if (lastSeq > stats.total) {
      this.logger.error(
        `${message}. The contract holds ${lastSeq - stats.total} batches this database does not know: another writer, or a restored database?`,
      );
    } else {
      this.logger.log(message);
    }
    return lastSeq;
  }

  /**
   * Finds confirmed batches whose anchoring block is no longer canonical and sends them, and all later
   * batches, back to sealed. Blocks commit to their ancestors, so if the newest confirmed batch's block
   * is canonical every older one is too: one lookup in the common case, a binary search otherwise.
   */
  async detectReorg(): Promise<number> {
    const latest = await this.batches.latestConfirmed();
    if (latest === null || (await this.isCanonical(latest))) return 0;
    const confirmed = await this.batches.confirmedBetween(1, latest.seq);
    let lo = 0;
    let hi = confirmed.length - 1; // confirmed[hi] is known not canonical
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (await this.isCanonical(confirmed[mid])) lo = mid + 1;
      else hi = mid;
    }
    const first = confirmed[hi];
    const reset = await this.batches.resetFrom(
      first.seq,
      `anchoring block ${first.blockNumber} (${first.blockHash}) is no longer on the chain`,
    );
    this.logger.warn(
      `reorg or chain reset: batch ${first.seq}'s block ${first.blockNumber} ${first.blockHash} is no longer canonical; ` +
        `${reset} batches from seq ${first.seq} on will be anchored again`,
    );
    this.invalidate();
    return reset;
  }

  private async isCanonical(batch: BatchEntity): Promise<boolean> {
    if (batch.blockNumber === null || batch.blockHash === null) return false;
    if (batch.contract !== null && this.chain.contractAddress !== null && !eq(batch.contract, this.chain.contractAddress)) return false;
    const provider = await this.chain.provider();
    // Not the chain it was anchored on (the node behind the URL changed): nothing of it is canonical here.
    if (batch.chainId !== null && batch.chainId !== (await this.chain.chainId())) return false;
    const block = await withChainTimeout(`block ${batch.blockNumber}`, provider.getBlock(Number(batch.blockNumber)), RPC_TIMEOUT_MS);
    return block !== null && block.hash?.toLowerCase() === batch.blockHash.toLowerCase();
  }

  private problem(message: string): false {
    if (this.lastProblem !== message) this.logger.error(`anchoring paused: ${message}`);
    this.lastProblem = message;
    this.checkedAt = 0;
    return false;
  }
}

function eq(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function short(hash: string | undefined): string {
  return hash === undefined ? '?' : `${hash.slice(0, 10)}…`;
}
