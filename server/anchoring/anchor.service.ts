import { Injectable, Logger } from '@nestjs/common';
import { isError, type JsonRpcProvider, type Log, Transaction, type TransactionReceipt } from 'ethers';
import { ANCHORED_TOPIC, uintWord } from '../../proof/chain-reader';
import { MetricsService } from '../metrics/metrics.service';
import { AppConfig } from '../config/app-config';
import type { BatchEntity } from '../batches/batch.entity';
import { BatchesRepository } from '../batches/batches.repository';
import { withChainTimeout } from '../../proof/timeout';
import { AnchoringFundsService } from './anchoring-funds.service';
import { ChainConnection, RPC_TIMEOUT_MS } from './chain-connection';
import { crashPoint } from './crash-points';
import { orderAnchorInterface } from './order-anchor.contract';
import { ANCHOR_CHAIN_STATE_KEY, type AnchorChainState, ServiceStateRepository } from './service-state.repository';
import { SqlExecutor } from '../database/sql-executor';
import { WebhookOutbox } from '../webhooks/webhook-outbox';

const ZERO_ROOT = `0x${'0'.repeat(64)}`;
const GWEI = 1_000_000_000n;
/** Gas an anchor transaction is assumed to need when the node will not estimate it (an account without funds). */
const ANCHOR_GAS_WITHOUT_ESTIMATE = 100_000n;
/** Block range per eth_getLogs when a node refuses the whole chain at once, and how far back to look. */
const LOG_SEARCH_WINDOW = 5_000;
const LOG_SEARCH_MAX_WINDOWS = 200;

/** Timings of the anchoring state machine; tests shorten them. */
export class AnchorTimings {
  /** A broadcast transaction not mined after this long is replaced (same nonce, higher fees). */
  replaceAfterMs = 60_000;
  /** A stored transaction the node does not know is signed and sent again after this long. */
  resendAfterMs = 3_000;
  /** Fee increase of a replacement, in percent (nodes require at least 10). */
  feeBumpPercent = 25;
  /** Batches looked at per pass. */
  batchesPerPass = 16;
}

/** What happened to one batch in a pass. `confirmed` and `mined` let the pass go on to the next batch. */
type Step = 'confirmed' | 'mined' | 'submitted' | 'waiting';

/**
 * Anchors sealed batches on the OrderAnchor contract, strictly in seq order, as a persisted state
 * machine: sealed -> submitted (the signed transaction's hash and nonce are stored before it is
 * broadcast) -> confirmed (mined with CHAIN_CONFIRMATIONS blocks; block number and hash stored). Each
 * pass re-reads the state from the database and the chain, so a crash at any point resumes correctly:
 * a batch is never anchored twice (the contract's gapless seq and its stored root are checked before
 * every submission) and never skipped.
 */
@Injectable()
export class AnchorService {
  private readonly logger = new Logger(AnchorService.name);
  /** Set on a fatal inconsistency (the chain holds a different root for one of our seqs). */
  private haltReason: string | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainConnection,
    private readonly batches: BatchesRepository,
    private readonly state: ServiceStateRepository,
    private readonly timings: AnchorTimings,
    private readonly funds: AnchoringFundsService,
    private readonly metrics: MetricsService,
    private readonly sql: SqlExecutor,
    private readonly webhooks: WebhookOutbox,
  ) {}

  get halted(): string | null {
    return this.haltReason;
  }

  /** Clears a halt once the anchoring target changed (all batches were sent back to sealed). */
  resume(): void {
    this.haltReason = null;
  }

  /** One pass over the unconfirmed batches, in seq order. Throws on RPC failures (the caller backs off). */
  async anchorPending(): Promise<void> {
    if (this.haltReason !== null) return;
    const pending = await this.batches.unconfirmed(this.timings.batchesPerPass);
    for (const batch of pending) {
      let step = batch.status === 'submitted' ? await this.followUp(batch) : await this.submitSealed(batch);
      if (step === 'submitted') {
        // Chains that mine on arrival (dev chains) have the receipt already: go on without waiting a round.
        const sent = await this.batches.findBySeq(batch.seq);
        step = sent !== null && sent.status === 'submitted' ? await this.followUp(sent) : 'waiting';
      }
      if (step !== 'confirmed' && step !== 'mined') break;
    }
  }

  private get contract(): string {
    const contract = this.chain.contractAddress;
    if (contract === null) throw new Error('no contract to anchor to');
    return contract;
  }

  private get address(): string {
    const wallet = this.chain.wallet;
    if (wallet === null) throw new Error('no anchoring key');
    return wallet.address;
  }

  private async rootOnChain(provider: JsonRpcProvider, seq: number): Promise<string> {
    const data = orderAnchorInterface.encodeFunctionData('batch', [seq]);
    const result = await withChainTimeout(`batch(${seq})`, provider.call({ to: this.contract, data }), RPC_TIMEOUT_MS);
    if (result === '0x') return ZERO_ROOT;
    return (orderAnchorInterface.decodeFunctionResult('batch', result)[0] as string).toLowerCase();
  }

  private async submitSealed(batch: BatchEntity): Promise<Step> {
    const provider = await this.chain.provider();
    const onChain = await this.rootOnChain(provider, batch.seq);
    // Already on chain: sent before a crash, or re-included after a reorg. Adopt it, never send twice.
    if (onChain !== ZERO_ROOT) return this.adoptOnChain(provider, batch, onChain);
    if (batch.seq > 1 && (await this.rootOnChain(provider, batch.seq - 1)) === ZERO_ROOT) return 'waiting';
    const nonce = await withChainTimeout('eth_getTransactionCount', provider.getTransactionCount(this.address, 'pending'), RPC_TIMEOUT_MS);
    return (await this.send(provider, batch, nonce, null)) ? 'submitted' : 'waiting';
  }

  /**
   * Signs anchor(seq, root, leafCount), stores hash and nonce, then broadcasts. Returns false when
   * nothing was sent: the account cannot pay for it, or the contract would revert.
   */
  private async send(
    provider: JsonRpcProvider,
    batch: BatchEntity,
    nonce: number,
    replacing: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; gasLimit: bigint } | null,
  ): Promise<boolean> {
    const wallet = this.chain.wallet!;
    const balance = await withChainTimeout('eth_getBalance', provider.getBalance(wallet.address, 'latest'), RPC_TIMEOUT_MS);
    const data = orderAnchorInterface.encodeFunctionData('anchor', [batch.seq, batch.root, batch.leafCount]);
    let gasLimit: bigint;
    let estimateRefused = false;
    try {
      // A replacement keeps its gas limit: estimating now would run against a pending block that already holds the original.
      gasLimit =
        replacing?.gasLimit ??
        ((await withChainTimeout(
          'eth_estimateGas',
          provider.estimateGas({ from: wallet.address, to: this.contract, data, blockTag: 'latest' }),
          RPC_TIMEOUT_MS,
        )) *
          130n) /
          100n;
    } catch (err) {
      if (isError(err, 'CALL_EXCEPTION')) {
        // The contract would revert (seq taken or out of order): let the next pass reconcile with the chain.
        await this.batches.recordError(batch.seq, `anchor(${batch.seq}) would revert: ${err.shortMessage}`);
        return false;
      }
      // Some nodes refuse to estimate for an account that cannot pay; the funds check below says so once.
      if (!isError(err, 'INSUFFICIENT_FUNDS')) throw err;
      gasLimit = ANCHOR_GAS_WITHOUT_ESTIMATE;
      estimateRefused = true;
    }
    const fees = await withChainTimeout('eth_feeHistory', provider.getFeeData(), RPC_TIMEOUT_MS);
    let priority = fees.maxPriorityFeePerGas ?? GWEI;
    let maxFee = fees.maxFeePerGas ?? (fees.gasPrice ?? GWEI) * 2n;
    if (replacing !== null) {
      const bump = (v: bigint): bigint => (v * BigInt(100 + this.timings.feeBumpPercent)) / 100n + 1n;
      priority = max(priority, bump(replacing.maxPriorityFeePerGas));
      maxFee = max(maxFee, bump(replacing.maxFeePerGas));
    }
    maxFee = max(maxFee, priority);
    // The node's word wins over our arithmetic: it may count transactions still pending.
    const needed = estimateRefused ? max(gasLimit * maxFee, balance + 1n) : gasLimit * maxFee;
    if (!this.funds.observe(balance, wallet.address, needed)) return false;
    const chainId = await this.chain.chainId();
    const signed = await wallet.signTransaction(
      Transaction.from({
        type: 2,
        chainId,
        nonce,
        to: this.contract,
        data,
        gasLimit,
        maxFeePerGas: maxFee,
        maxPriorityFeePerGas: priority,
      }),
    );
    const txHash = Transaction.from(signed).hash!;
    const stored = await this.batches.markSubmitted(batch.seq, batch.txHash, { txHash, txNonce: nonce, chainId, contract: this.contract });
    if (!stored) throw new Error(`batch ${batch.seq} changed state while its transaction was being signed`);
    this.logger.log(
      `${replacing ? 'replacing' : 'submitting'} batch ${batch.seq}: tx ${txHash} nonce ${nonce} maxFee ${maxFee} priority ${priority}`,
    );
    crashPoint('signed');
    try {
      await withChainTimeout('eth_sendRawTransaction', provider.broadcastTransaction(signed), RPC_TIMEOUT_MS);
    } catch (err) {
      // Known already, nonce used, underpriced, node down: the stored hash and nonce let the next pass sort it out.
      const message = err instanceof Error ? ((err as { shortMessage?: string }).shortMessage ?? err.message) : String(err);
      // The node counts pending spending too: an account short of funds is reported once, not per resend.
      if (isError(err, 'INSUFFICIENT_FUNDS')) this.funds.observe(balance, wallet.address, max(gasLimit * maxFee, balance + 1n));
      else this.logger.warn(`broadcasting batch ${batch.seq} tx ${txHash} failed: ${message}`);
      await this.batches.recordError(batch.seq, `broadcast: ${message}`);
    }
    crashPoint('submitted');
    return true;
  }

  private async followUp(batch: BatchEntity): Promise<Step> {
    const provider = await this.chain.provider();
    const txHash = batch.txHash!;
    const receipt = await withChainTimeout('eth_getTransactionReceipt', provider.getTransactionReceipt(txHash), RPC_TIMEOUT_MS);
    if (receipt !== null) {
      if (receipt.status === 1 && this.anchoredLog(receipt.logs, batch) !== null) return this.confirmIfDeep(provider, batch, receipt);
      return this.reconcile(provider, batch, `tx ${txHash} ${receipt.status === 1 ? 'did not anchor this batch' : 'reverted'}`);
    }
    const latestNonce = await withChainTimeout(
      'eth_getTransactionCount',
      provider.getTransactionCount(this.address, 'latest'),
      RPC_TIMEOUT_MS,
    );
    if (batch.txNonce !== null && latestNonce > batch.txNonce) {
      return this.reconcile(provider, batch, `nonce ${batch.txNonce} was used by another transaction`);
    }
    const age = Date.now() - (batch.submittedAt?.getTime() ?? 0);
    const tx = await withChainTimeout('eth_getTransactionByHash', provider.getTransaction(txHash), RPC_TIMEOUT_MS);
    const nonce =
      batch.txNonce ??
      (await withChainTimeout('eth_getTransactionCount', provider.getTransactionCount(this.address, 'pending'), RPC_TIMEOUT_MS));
    if (tx === null) {
      // Stored but never broadcast (a crash in between) or dropped by the node: send again, same nonce.
      if (age >= this.timings.resendAfterMs) await this.send(provider, batch, nonce, null);
      return 'waiting';
    }
    if (age >= this.timings.replaceAfterMs) {
      this.logger.warn(`batch ${batch.seq}: tx ${txHash} not mined after ${Math.round(age / 1000)} s; replacing it with higher fees`);
      await this.send(provider, batch, nonce, {
        maxFeePerGas: tx.maxFeePerGas ?? tx.gasPrice ?? GWEI,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? tx.gasPrice ?? GWEI,
        gasLimit: tx.gasLimit,
      });
    }
    return 'waiting';
  }

  private async confirmIfDeep(provider: JsonRpcProvider, batch: BatchEntity, receipt: TransactionReceipt): Promise<Step> {
    const head = await withChainTimeout('eth_blockNumber', provider.getBlockNumber(), RPC_TIMEOUT_MS);
    const required = Math.max(1, this.config.chain.confirmations);
    if (head - receipt.blockNumber + 1 < required) {
      crashPoint('mined');
      return 'mined';
    }
    const confirmation = {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash.toLowerCase(),
      chainId: await this.chain.chainId(),
      contract: this.contract,
    };
    // The batch.anchored webhook messages commit with the confirmation, or neither does.
    const ok = await this.sql.transaction(async (session) => {
      const confirmed = await this.batches.markConfirmed(session, batch.seq, batch.txHash, confirmation);
      if (confirmed) await this.webhooks.batchAnchored(session, { seq: batch.seq, root: batch.root, ...confirmation });
      return confirmed;
    });
    if (!ok) return 'waiting';
    this.funds.recordFee(receipt.fee);
    this.metrics.batchesAnchored.inc();
    this.logger.log(`batch ${batch.seq} confirmed: tx ${receipt.hash} block ${receipt.blockNumber} ${receipt.blockHash}`);
    return 'confirmed';
  }

  private anchoredLog(logs: readonly Log[], batch: BatchEntity): Log | null {
    const contract = this.contract.toLowerCase();
    const seqTopic = uintWord(batch.seq);
    for (const log of logs) {
      if (log.address.toLowerCase() !== contract || log.topics.length < 3) continue;
      if (
        log.topics[0].toLowerCase() === ANCHORED_TOPIC &&
        log.topics[1].toLowerCase() === seqTopic &&
        log.topics[2].toLowerCase() === batch.root
      )
        return log;
    }
    return null;
  }

  /** Our transaction did not (visibly) anchor the batch: ask the contract what it holds for this seq. */
  private async reconcile(provider: JsonRpcProvider, batch: BatchEntity, why: string): Promise<Step> {
    const onChain = await this.rootOnChain(provider, batch.seq);
    if (onChain === ZERO_ROOT) {
      this.logger.warn(`batch ${batch.seq}: ${why}, and the contract has no root for it; sending it again`);
      await this.batches.backToSealed(batch.seq, batch.txHash, why);
      return 'waiting';
    }
    return this.adoptOnChain(provider, batch, onChain);
  }

  /** The contract holds a root for this seq: ours (adopt its transaction) or a foreign one (fatal). */
  private async adoptOnChain(provider: JsonRpcProvider, batch: BatchEntity, onChain: string): Promise<Step> {
    if (onChain !== batch.root.toLowerCase()) {
      this.haltReason =
        `FATAL: contract ${this.contract} holds root ${onChain} for batch ${batch.seq}, but the database sealed root ${batch.root}. ` +
        'Another writer anchors to this contract, or the database was restored from an older state. Anchoring is stopped; ' +
        'investigate before pointing the service at a fresh contract.';
      this.logger.error(this.haltReason);
      await this.batches.recordError(batch.seq, this.haltReason);
      return 'waiting';
    }
    const log = await this.findAnchoredLog(provider, batch);
    if (log === null) {
      await this.batches.recordError(batch.seq, `root is on chain but its Anchored log was not found`);
      return 'waiting';
    }
    const tx = await withChainTimeout('eth_getTransactionByHash', provider.getTransaction(log.transactionHash), RPC_TIMEOUT_MS);
    const stored = await this.batches.markSubmitted(batch.seq, batch.txHash, {
      txHash: log.transactionHash,
      txNonce: tx?.nonce ?? batch.txNonce ?? 0,
      chainId: await this.chain.chainId(),
      contract: this.contract,
    });
    if (!stored) return 'waiting';
    this.logger.log(`batch ${batch.seq} is already anchored on chain by tx ${log.transactionHash}; adopted it`);
    // The next pass follows the adopted transaction up to its confirmations.
    return 'waiting';
  }

  /**
   * The contract's Anchored log for this seq and root, found by its indexed topics. Nodes that refuse a
   * query over the whole chain (public RPCs cap the block range) are asked again window by window, newest
   * first, since a log we look for is usually recent.
   */
  private async findAnchoredLog(provider: JsonRpcProvider, batch: BatchEntity): Promise<Log | null> {
    const recorded = await this.state.get<AnchorChainState>(ANCHOR_CHAIN_STATE_KEY);
    const floor = recorded !== null && recorded.contract.toLowerCase() === this.contract.toLowerCase() ? (recorded.deployBlock ?? 0) : 0;
    const topics = [ANCHORED_TOPIC, uintWord(batch.seq), batch.root.toLowerCase()];
    try {
      const logs = await withChainTimeout(
        'eth_getLogs',
        provider.getLogs({ address: this.contract, topics, fromBlock: floor, toBlock: 'latest' }),
        RPC_TIMEOUT_MS,
      );
      return logs.length === 0 ? null : logs[logs.length - 1];
    } catch (err) {
      this.logger.warn(`eth_getLogs over blocks ${floor}..latest failed (${(err as Error).message}); searching in windows`);
    }
    const head = await withChainTimeout('eth_blockNumber', provider.getBlockNumber(), RPC_TIMEOUT_MS);
    for (let to = head, windows = 0; to >= floor && windows < LOG_SEARCH_MAX_WINDOWS; to -= LOG_SEARCH_WINDOW, windows++) {
      const from = Math.max(floor, to - LOG_SEARCH_WINDOW + 1);
      const logs = await withChainTimeout(
        'eth_getLogs',
        provider.getLogs({ address: this.contract, topics, fromBlock: from, toBlock: to }),
        RPC_TIMEOUT_MS,
      );
      if (logs.length > 0) return logs[logs.length - 1];
    }
    return null;
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
