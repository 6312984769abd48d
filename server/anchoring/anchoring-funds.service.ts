import { Injectable, Logger } from '@nestjs/common';
import { formatEther } from 'ethers';
import { AppConfig } from '../config/app-config';

const DAY_MS = 86_400_000;
/** Anchors remembered for the spending rate: those of the last day, at most this many. */
const SPENDING_WINDOW_MAX = 10_000;
/** The rate needs some history before days left are worth stating. */
const SPENDING_MIN_SPAN_MS = 60_000;
/** Where the anchoring instance keeps its latest snapshot, so every instance's /readyz can tell. */
export const ANCHOR_FUNDS_STATE_KEY = 'anchoring.funds';

/** What the anchoring account holds and how long it lasts, for /readyz and a metrics endpoint. */
export interface AnchoringFundsSnapshot {
  /** When the balance was last read. */
  observedAt: string | null;
  /** The account's balance in wei (decimal string), null until read once. */
  balanceWei: string | null;
  /** The same in the chain's coin, for people. */
  balance: string | null;
  lowBalanceWei: string;
  /** Days until the balance runs out at the spending rate of the last day; null while unknown. */
  daysLeft: number | null;
  /** Set while an anchoring transaction cannot be paid for. */
  outOfFunds: { neededWei: string; since: string } | null;
  low: boolean;
}

/**
 * The anchoring account's funds as the anchoring loop sees them: its balance, what anchoring costs
 * per day at the current rate, and whether the next transaction can be paid. State changes (funds
 * low, run out, back) are logged once each, never once per retry.
 */
@Injectable()
export class AnchoringFundsService {
  private readonly logger = new Logger('AnchoringFundsService');
  private balanceWei: bigint | null = null;
  private observedAt: Date | null = null;
  private changed = false;
  private shortOf: { neededWei: bigint; since: Date } | null = null;
  private warnedLow = false;
  private readonly spent: { at: number; feeWei: bigint }[] = [];

  constructor(private readonly config: AppConfig) {}

  /** A confirmed anchoring transaction's fee, for the spending rate. */
  recordFee(feeWei: bigint, at = Date.now()): void {
    this.spent.push({ at, feeWei });
    while (this.spent.length > SPENDING_WINDOW_MAX || (this.spent.length > 0 && at - this.spent[0].at > DAY_MS)) this.spent.shift();
  }

  /**
   * A fresh balance reading; with `neededWei`, whether it pays for the transaction about to be sent.
   * Returns false when it does not: the caller sends nothing and tries again on a later round.
   */
  observe(balanceWei: bigint, address: string, neededWei?: bigint): boolean {
    if (balanceWei !== this.balanceWei) this.changed = true;
    this.balanceWei = balanceWei;
    this.observedAt = new Date();
    if (neededWei !== undefined && balanceWei < neededWei) {
      if (this.shortOf === null) {
        this.logger.error(
          `the anchoring account ${address} is out of funds: it holds ${formatEther(balanceWei)}, an anchoring transaction needs up to ` +
            `${formatEther(neededWei)}. Events are still accepted and stored; anchoring resumes by itself once the account is funded`,
        );
      }
      if (this.shortOf === null) this.changed = true;
      this.shortOf = { neededWei, since: this.shortOf?.since ?? new Date() };
      return false;
    }
    if (neededWei !== undefined && this.shortOf !== null) {
      this.logger.log(`the anchoring account ${address} is funded again (${formatEther(balanceWei)}); anchoring resumes`);
      this.shortOf = null;
      this.changed = true;
    }
    const low = balanceWei < this.config.anchoring.lowBalanceWei;
    if (low && !this.warnedLow && this.shortOf === null) {
      const days = this.daysLeft();
      this.logger.warn(
        `the anchoring account ${address} is running low: ${formatEther(balanceWei)} left (warning below ` +
          `${formatEther(this.config.anchoring.lowBalanceWei)}, ANCHOR_LOW_BALANCE)` +
          (days === null ? '' : `, about ${days.toFixed(1)} days at the current anchoring rate`),
      );
    }
    this.warnedLow = low;
    return true;
  }

  /** Days the balance lasts at the fees paid over the last day, or null without enough history. */
  daysLeft(now = Date.now()): number | null {
    const recent = this.spent.filter((s) => now - s.at <= DAY_MS);
    if (this.balanceWei === null || recent.length === 0) return null;
    const span = now - recent[0].at;
    if (span < SPENDING_MIN_SPAN_MS) return null;
    const total = recent.reduce((sum, s) => sum + s.feeWei, 0n);
    if (total === 0n) return null;
    const perDay = (Number(total) / span) * DAY_MS;
    return Number(this.balanceWei) / perDay;
  }

  /** Whether anything changed since the last call: the anchoring loop then stores a new snapshot. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  get outOfFunds(): boolean {
    return this.shortOf !== null;
  }

  snapshot(): AnchoringFundsSnapshot {
    const low = this.balanceWei !== null && this.balanceWei < this.config.anchoring.lowBalanceWei;
    return {
      observedAt: this.observedAt === null ? null : this.observedAt.toISOString(),
      balanceWei: this.balanceWei === null ? null : this.balanceWei.toString(),
      balance: this.balanceWei === null ? null : formatEther(this.balanceWei),
      lowBalanceWei: this.config.anchoring.lowBalanceWei.toString(),
      daysLeft: this.daysLeft(),
      outOfFunds: this.shortOf === null ? null : { neededWei: this.shortOf.neededWei.toString(), since: this.shortOf.since.toISOString() },
      low,
    };
  }
}
