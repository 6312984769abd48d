import { Injectable } from '@nestjs/common';
import { formatEther } from 'ethers';
import { withTimeout } from '../../proof/timeout';
import { ANCHOR_FUNDS_STATE_KEY, AnchoringFundsService, type AnchoringFundsSnapshot } from '../anchoring/anchoring-funds.service';
import { type AnchoringLoopStatus, AnchoringWorkerService } from '../anchoring/anchoring-worker.service';
import { ServiceStateRepository } from '../anchoring/service-state.repository';
import { BatchesRepository } from '../batches/batches.repository';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';

const READINESS_TIMEOUT_MS = 2000;

export interface HealthDto {
  status: 'ok';
}

export interface AnchoringHealthDto extends AnchoringLoopStatus {
  /** Age of the oldest event not yet anchored, in ms; null when all are. */
  oldestUnanchoredMs: number | null;
  /** Past BATCH_MAX_WAIT_MS plus this, anchoring counts as stalled. */
  stalledAfterMs: number;
  /** The anchoring account as the instance anchoring last saw it (stored for standbys); null with anchoring off or before it was read. */
  funds: AnchoringFundsSnapshot | null;
}

export interface ReadinessDto {
  /** `degraded`: requests are served, but anchoring is not keeping up; `reasons` says why. */
  status: 'ok' | 'degraded';
  database: 'up';
  reasons: string[];
  /** Worth an operator's look, not yet a fault (a low anchoring balance). */
  warnings: string[];
  anchoring: AnchoringHealthDto;
}

/** A figure for the metrics endpoint: Prometheus name, help text, and how to read it from the anchoring health. */
interface HealthGaugeDefinition {
  name: string;
  help: string;
  read(anchoring: AnchoringHealthDto, stalled: boolean): number | null;
}

const HEALTH_GAUGES: readonly HealthGaugeDefinition[] = [
  { name: 'ordertrace_database_up', help: '1 while the database answers', read: () => 1 },
  { name: 'ordertrace_anchoring_leader', help: '1 on the instance that seals and anchors', read: (a) => (a.leader ? 1 : 0) },
  {
    name: 'ordertrace_anchoring_oldest_unanchored_seconds',
    help: 'Age of the oldest event not yet anchored (the anchoring lag)',
    read: (a) => (a.oldestUnanchoredMs === null ? 0 : a.oldestUnanchoredMs / 1000),
  },
  { name: 'ordertrace_anchoring_stalled', help: '1 while anchoring is stalled', read: (_, stalled) => (stalled ? 1 : 0) },
  { name: 'ordertrace_anchoring_failing_rounds', help: 'Consecutive failed anchoring rounds', read: (a) => a.failingRounds },
  {
    name: 'ordertrace_anchor_account_balance_wei',
    help: 'Balance of the anchoring account',
    read: (a) => (a.funds === null || a.funds.balanceWei === null ? null : Number(a.funds.balanceWei)),
  },
  {
    name: 'ordertrace_anchor_account_days_left',
    help: 'Days the balance lasts at the current rate',
    read: (a) => a.funds?.daysLeft ?? null,
  },
  {
    name: 'ordertrace_anchor_account_out_of_funds',
    help: '1 while anchoring transactions cannot be paid',
    read: (a) => (a.funds === null ? null : a.funds.outOfFunds === null ? 0 : 1),
  },
];

@Injectable()
export class HealthService {
  constructor(
    private readonly config: AppConfig,
    private readonly batches: BatchesRepository,
    private readonly worker: AnchoringWorkerService,
    private readonly funds: AnchoringFundsService,
    private readonly state: ServiceStateRepository,
  ) {}

  /** The process answers: nothing else is checked, so a slow database never restarts it. */
  liveness(): HealthDto {
    return { status: 'ok' };
  }

  /**
   * 503 only when the database does not answer: without it nothing can be served. Anchoring trouble
   * (a drained account, a stalled or stopped loop) is `degraded` with 200, since ingest goes on and
   * a load balancer must keep routing to the instance.
   */
  async readiness(): Promise<ReadinessDto> {
    const anchoring = await this.anchoringHealth();
    const reasons: string[] = [];
    const warnings: string[] = [];
    if (anchoring.enabled) {
      if (anchoring.stoppedBecause !== null) reasons.push(`anchoring stopped: ${anchoring.stoppedBecause}`);
      const funds = anchoring.funds;
      if (funds !== null && funds.outOfFunds !== null) {
        reasons.push(
          `the anchoring account is out of funds since ${funds.outOfFunds.since}: balance ${funds.balance}, ` +
            `a transaction needs up to ${formatEther(funds.outOfFunds.neededWei)}`,
        );
      } else if (funds?.low === true) {
        warnings.push(
          `the anchoring account balance ${funds.balance} is below ANCHOR_LOW_BALANCE ${formatEther(funds.lowBalanceWei)}` +
            (funds.daysLeft === null ? '' : `; about ${funds.daysLeft.toFixed(1)} days left at the current anchoring rate`),
        );
      }
      if (this.isStalled(anchoring)) {
        reasons.push(
          `anchoring stalled: the oldest unanchored event has waited ${Math.round(anchoring.oldestUnanchoredMs! / 1000)} s` +
            (anchoring.lastError === null ? '' : `; last error: ${anchoring.lastError}`),
        );
      }
    }
    return { status: reasons.length > 0 ? 'degraded' : 'ok', database: 'up', reasons, warnings, anchoring };
  }

  /** The names and help texts of the figures gauges() reads. */
  gaugeDefinitions(): { name: string; help: string }[] {
    return HEALTH_GAUGES.map(({ name, help }) => ({ name, help }));
  }

  /** The health figures by gauge name (null: unknown); with the database unreachable, only that. */
  async gauges(): Promise<Map<string, number | null>> {
    let anchoring: AnchoringHealthDto;
    try {
      anchoring = await this.anchoringHealth();
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.DATABASE_UNAVAILABLE) return new Map([['ordertrace_database_up', 0]]);
      throw e;
    }
    const stalled = this.isStalled(anchoring);
    return new Map(HEALTH_GAUGES.map((g) => [g.name, g.read(anchoring, stalled)]));
  }

  /** Whether anchoring is stalled now (as /readyz says), for the anchoring.stalled webhook. */
  async anchoringStall(): Promise<{ stalled: boolean; oldestUnanchoredMs: number | null; stalledAfterMs: number }> {
    const anchoring = await this.anchoringHealth();
    return {
      stalled: this.isStalled(anchoring),
      oldestUnanchoredMs: anchoring.oldestUnanchoredMs,
      stalledAfterMs: anchoring.stalledAfterMs,
    };
  }

  private isStalled(anchoring: AnchoringHealthDto): boolean {
    return (
      anchoring.enabled &&
      anchoring.oldestUnanchoredMs !== null &&
      anchoring.oldestUnanchoredMs > this.config.anchoring.batchMaxWaitMs + this.config.anchoring.stalledAfterMs
    );
  }

  /** Reads the anchoring lag from the database, which doubles as the readiness check: 503 when it does not answer. */
  private async anchoringHealth(): Promise<AnchoringHealthDto> {
    let oldestUnanchoredMs: number | null;
    try {
      oldestUnanchoredMs = await withTimeout(
        this.batches.oldestUnanchoredAgeMs(),
        READINESS_TIMEOUT_MS,
        () => new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`),
      );
    } catch (err) {
      const why = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
      throw new DomainError(ErrorCode.DATABASE_UNAVAILABLE, `The database does not answer: ${why}`, { retryAfter: 1 });
    }
    const loop = this.worker.status();
    let funds: AnchoringFundsSnapshot | null = null;
    if (loop.enabled) {
      // The leader knows; a standby reads what the leader stored.
      funds = loop.leader ? this.funds.snapshot() : await this.state.get<AnchoringFundsSnapshot>(ANCHOR_FUNDS_STATE_KEY).catch(() => null);
    }
    return { ...loop, oldestUnanchoredMs, stalledAfterMs: this.config.anchoring.stalledAfterMs, funds };
  }
}
