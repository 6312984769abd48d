import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { AppConfig } from '../config/app-config';
import { BatchSealerService } from '../batches/batch-sealer.service';
import { AnchorService } from './anchor.service';
import { ANCHOR_FUNDS_STATE_KEY, AnchoringFundsService } from './anchoring-funds.service';
import { AnchoringLeaderLock } from './anchoring-leader-lock';
import { ChainUnavailableError } from '../../proof/errors';
import { withChainTimeout } from '../../proof/timeout';
import { isDatabaseUnavailable } from '../database/postgres-errors';
import { ChainConnection, RPC_TIMEOUT_MS } from './chain-connection';
import { ChainReconciliationService } from './chain-reconciliation.service';
import { ServiceStateRepository } from './service-state.repository';

const MAX_BACKOFF_MS = 10_000;
/** A standby tries to become the leader this often. */
const LEADER_RETRY_MS = 1_000;
/** The anchoring account's balance is read this often between anchors, for the low-balance warning. */
const BALANCE_CHECK_MS = 60_000;

/** What this instance's anchoring loop is doing, for /readyz. */
export interface AnchoringLoopStatus {
  enabled: boolean;
  /** This instance holds the anchoring lock; standbys neither seal nor anchor. */
  leader: boolean;
  /** Consecutive failed rounds and the last failure, while rounds fail. */
  failingRounds: number;
  lastError: string | null;
  /** Why anchoring cannot go on without an operator (a foreign root on the contract, a missing role or contract). */
  stoppedBecause: string | null;
}

/**
 * The one loop that seals and anchors, run only by the instance holding the anchoring lock. Each tick:
 * seal what is due, check the chain (identity, reorgs), advance the anchoring state machine. Failures
 * (database or chain down) are logged and retried with exponential backoff; the loop never crashes.
 */
@Injectable()
export class AnchoringWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Anchoring');
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private lastFailure: string | null = null;
  private nextLeaderAttempt = 0;
  private targetGeneration = 0;
  private compared = false;
  private nextBalanceCheck = 0;
  private readonly tickMs: number;

  constructor(
    private readonly config: AppConfig,
    private readonly lock: AnchoringLeaderLock,
    private readonly chain: ChainConnection,
    private readonly sealer: BatchSealerService,
    private readonly reconciler: ChainReconciliationService,
    private readonly anchor: AnchorService,
    private readonly funds: AnchoringFundsService,
    private readonly state: ServiceStateRepository,
    private readonly metrics: MetricsService,
  ) {
    this.tickMs = Math.min(1_000, Math.max(50, Math.floor(config.anchoring.batchMaxWaitMs / 4)));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.anchoring.enabled) {
      this.logger.log('anchoring is off (ORDERTRACE_ANCHORING=off): events are stored but neither sealed nor anchored');
      return;
    }
    if (this.chain.misconfiguration !== null) this.logger.error(`anchoring cannot run: ${this.chain.misconfiguration}`);
    await this.chain.startEmbeddedChain();
    if (await this.lock.tryAcquire()) {
      // The embedded default deploys here, so the address can be printed before the service is up.
      try {
        await this.reconciler.ensureChainIdentity();
      } catch (err) {
        this.logger.warn(`chain not ready yet: ${(err as Error).message}; retrying in the background`);
      }
    }
    const chainId = (() => {
      try {
        return this.chain.identity()?.chainId ?? '?';
      } catch {
        return '?';
      }
    })();
    this.logger.log(
      `chain ${this.chain.rpcUrl ?? '(none)'} (${this.chain.mode}, chain id ${chainId}), contract ${this.chain.contractAddress ?? '(not yet known)'}, ` +
        `batches of up to ${this.config.anchoring.batchMaxEvents} events or ${this.config.anchoring.batchMaxWaitMs} ms, ` +
        `${this.config.chain.confirmations} confirmation(s)`,
    );
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delayMs);
  }

  /** One round; exposed for tests that drive the loop by hand. */
  async tick(): Promise<void> {
    let delay = this.tickMs;
    try {
      if (!this.lock.isHeld || Date.now() >= this.nextLeaderAttempt) {
        this.nextLeaderAttempt = Date.now() + LEADER_RETRY_MS;
        await this.lock.tryAcquire();
      }
      // A new leader compares the database with the contract first.
      if (!this.lock.isHeld) this.compared = false;
      if (this.lock.isHeld) {
        await this.sealer.sealDue();
        if (this.chain.wallet !== null) {
          const ready = await this.reconciler.ensureChainIdentity();
          // Even when anchoring cannot go on (say the contract vanished with a chain reset), no batch may
          // keep pointing at a block that is gone.
          const reorged = (await this.reconciler.detectReorg()) > 0;
          // A new target or a reorg re-checks every batch against the chain: a halt may no longer apply.
          if (reorged || this.reconciler.generation !== this.targetGeneration) this.anchor.resume();
          this.targetGeneration = this.reconciler.generation;
          if (ready && !this.compared) {
            await this.reconciler.compareWithContract();
            this.compared = true;
          }
          if (ready) await this.anchor.anchorPending();
          if (Date.now() >= this.nextBalanceCheck) {
            this.nextBalanceCheck = Date.now() + BALANCE_CHECK_MS;
            const provider = await this.chain.provider();
            this.funds.observe(
              await withChainTimeout('eth_getBalance', provider.getBalance(this.chain.wallet.address), RPC_TIMEOUT_MS),
              this.chain.wallet.address,
            );
          }
          // Standby instances read this for their /readyz.
          if (this.funds.takeChanged()) await this.state.set(ANCHOR_FUNDS_STATE_KEY, this.funds.snapshot());
        }
      }
      if (this.failures > 0) this.logger.log(`anchoring recovered after ${this.failures} failed round(s)`);
      this.failures = 0;
      this.lastFailure = null;
    } catch (err) {
      this.failures++;
      this.metrics.anchoringRoundFailures.inc({ cause: failureCause(err) });
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastFailure || this.failures % 20 === 0)
        this.logger.warn(`anchoring round failed (${this.failures}x): ${message}`);
      this.lastFailure = message;
      this.chain.disconnect();
      this.reconciler.invalidate();
      delay = Math.min(MAX_BACKOFF_MS, this.tickMs * 2 ** Math.min(this.failures, 8));
    }
    this.schedule(delay);
  }

  status(): AnchoringLoopStatus {
    return {
      enabled: this.config.anchoring.enabled,
      leader: this.lock.isHeld,
      failingRounds: this.failures,
      lastError: this.lastFailure,
      stoppedBecause: this.anchor.halted ?? this.reconciler.pausedBecause ?? this.chain.misconfiguration,
    };
  }

  /** Before the chain connection and database close: finish the round in progress, give up the lock. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
    await this.lock.release();
  }
}

/** Error codes ethers gives failures of the node or the connection to it. */
const RPC_ERROR_CODES = new Set(['NETWORK_ERROR', 'SERVER_ERROR', 'TIMEOUT', 'UNKNOWN_ERROR', 'BAD_DATA', 'UNCONFIGURED_NAME']);

/** Which side a failed anchoring round stumbled on, for the failure counter. */
function failureCause(err: unknown): 'rpc' | 'database' | 'other' {
  if (isDatabaseUnavailable(err)) return 'database';
  if (err instanceof ChainUnavailableError) return 'rpc';
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RPC_ERROR_CODES.has(code) ? 'rpc' : 'other';
}
