import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { AppConfig } from '../config/app-config';
import { isDatabaseUnavailable, isRetryableConflict } from '../database/postgres-errors';
import { SqlExecutor, type SqlSession } from '../database/sql-executor';
import { databaseUnavailable, DomainError, ErrorCode } from '../errors/domain-error';
import { type CompletedClaim, IdempotencyRepository, idempotencyClaimId } from '../idempotency/idempotency.repository';
import { type CommandOutcome, GroupPlanner, type OrderCommand } from './order-commands';
import { OrdersRepository, type ReferenceKey } from './orders.repository';
import { OrdersTableStatistics } from './orders-table-statistics';
import { SealedFieldCipher } from './sealed-field-cipher';
import { WebhookOutbox } from '../webhooks/webhook-outbox';

/** The answer to a write request: what the client gets, and what a retry with its key replays. */
export interface WriteResponse {
  statusCode: number;
  body: unknown;
}

/** What one write group's transaction stored: each request's answer, and how many events it committed. */
interface GroupOutcome {
  answers: (WriteResponse | DomainError)[];
  eventsWritten: number;
  ordersCreated: number;
}

/** A request's commands, applied together in one write group and answered together. */
export interface WriteUnit {
  /** The brand the request comes from, for fairness; null for the service's own writes. */
  brandId: string | null;
  commands: OrderCommand[];
  idempotency: { key: string; fingerprint: string } | null;
  /** All commands or none: one failing undoes the others (an EPCIS document is imported whole). */
  atomic?: boolean;
  /**
   * The response for the commands' outcomes, or the error the whole request fails with. Called
   * inside the transaction: with an idempotency key, the response is stored with the events.
   */
  respond(outcomes: CommandOutcome[]): WriteResponse | DomainError;
}

interface QueuedUnit {
  unit: WriteUnit;
  resolve(response: WriteResponse): void;
  reject(error: unknown): void;
}

/** The time constant of OrderWriterService.load(): how far back the recent past reaches. */
const LOAD_TIME_CONSTANT_MS = 500;

/** A per-brand token bucket of commands per second. */
class RateBucket {
  private tokens: number;
  private updated = performance.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes `n` tokens, or returns the seconds until they would be there. */
  take(n: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil((n - this.tokens) / this.perSecond);
  }
}

/**
 * Group commit for every order and event write. Requests queue here; while earlier groups are in
 * their transactions, the requests arriving meanwhile gather into the next group, which is stored
 * in one transaction with a handful of statements however many events it holds, and answered
 * only after its commit. Each request's commands stay in the order given and succeed or fail on
 * their own: the planner checks every command against the heads locked for the group before
 * anything is written.
 *
 * The queue is bounded: past it a request is refused at once with 503 and Retry-After, never held
 * in an unbounded queue; one brand may hold at most its share of it (429), so one brand's flood
 * cannot starve the others.
 */
@Injectable()
export class OrderWriterService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OrderWriterService.name);
  private readonly queue: QueuedUnit[] = [];
  private queuedCommands = 0;
  private readonly queuedByBrand = new Map<string, number>();
  private readonly buckets = new Map<string, RateBucket>();
  private inFlight = 0;
  /** `load()` as of `loadAt`. */
  private loadShare = 0;
  private loadAt = performance.now();
  private closing = false;
  private drained: (() => void) | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly sql: SqlExecutor,
    private readonly orders: OrdersRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly cipher: SealedFieldCipher,
    private readonly metrics: MetricsService,
    private readonly webhooks: WebhookOutbox,
    private readonly tableStatistics: OrdersTableStatistics,
  ) {}

  submit(unit: WriteUnit): Promise<WriteResponse> {
    const { queueMax, brandQueueMax, brandRatePerSecond, brandRateBurst } = this.config.ingest;
    const n = unit.commands.length;
    if (this.closing) return Promise.reject(busy('The service is shutting down', 1));
    if (this.queuedCommands + n > queueMax) return Promise.reject(busy('The ingest queue is full', 1));
    if (unit.brandId !== null) {
      const queued = this.queuedByBrand.get(unit.brandId) ?? 0;
      if (queued + n > brandQueueMax) {
        return Promise.reject(throttled(`This brand already has ${queued} writes waiting; the limit is ${brandQueueMax}`, 1));
      }
      if (brandRatePerSecond > 0) {
        let bucket = this.buckets.get(unit.brandId);
        if (bucket === undefined) this.buckets.set(unit.brandId, (bucket = new RateBucket(brandRatePerSecond, brandRateBurst)));
        const wait = bucket.take(n);
        if (wait > 0)
          return Promise.reject(throttled(`This brand's write rate is limited to ${brandRatePerSecond} events per second`, wait));
      }
      this.queuedByBrand.set(unit.brandId, queued + n);
    }
    this.queuedCommands += n;
    return new Promise<WriteResponse>((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.kick();
    });
  }

  /**
   * How busy ingest has been of late: the share of the recent past (each moment weighing less the
   * longer ago, with LOAD_TIME_CONSTANT_MS) during which every write-group slot was taken. 0 when
   * idle, near 1 when saturated; background work (the flag evaluator) yields to ingest by it.
   */
  load(): number {
    this.advanceLoad();
    return this.loadShare;
  }

  private advanceLoad(): void {
    const now = performance.now();
    const kept = Math.exp(-(now - this.loadAt) / LOAD_TIME_CONSTANT_MS);
    const full = this.inFlight >= this.config.ingest.concurrency;
    this.loadShare = this.loadShare * kept + (full ? 1 - kept : 0);
    this.loadAt = now;
  }

  /** Lets the groups in flight and queued finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => (this.drained = resolve));
  }

  private kick(): void {
    while (this.inFlight < this.config.ingest.concurrency && this.queue.length > 0) {
      const group = this.takeGroup();
      this.advanceLoad();
      this.inFlight += 1;
      void this.runGroup(group).finally(() => {
        this.advanceLoad();
        this.inFlight -= 1;
        for (const queued of group) this.release(queued.unit);
        if (this.queue.length > 0) this.kick();
        else if (this.inFlight === 0 && this.drained !== null) this.drained();
      });
    }
  }

  /**
   * The next group: queued units in order up to the group size (a unit is never split), except
   * that a unit reusing an idempotency key already in the group waits for the next group, where
   * it finds the first one's stored response.
   */
  private takeGroup(): QueuedUnit[] {
    const max = this.config.ingest.maxGroupCommands;
    const group: QueuedUnit[] = [];
    const keys = new Set<string>();
    let commands = 0;
    for (let i = 0; i < this.queue.length;) {
      const queued = this.queue[i];
      const size = queued.unit.commands.length;
      if (group.length > 0 && commands + size > max) break;
      const key = queued.unit.idempotency === null ? null : idempotencyClaimId(queued.unit.brandId ?? '', queued.unit.idempotency.key);
      if (key !== null && keys.has(key)) {
        i += 1;
        continue;
      }
      if (key !== null) keys.add(key);
      this.queue.splice(i, 1);
      group.push(queued);
      commands += size;
    }
    return group;
  }

  private release(unit: WriteUnit): void {
    const n = unit.commands.length;
    this.queuedCommands -= n;
    if (unit.brandId !== null) {
      const left = (this.queuedByBrand.get(unit.brandId) ?? n) - n;
      if (left > 0) this.queuedByBrand.set(unit.brandId, left);
      else this.queuedByBrand.delete(unit.brandId);
    }
  }

  private async runGroup(group: QueuedUnit[]): Promise<void> {
    try {
      const { answers: responses, eventsWritten, ordersCreated } = await this.storeWithRetry(group.map((q) => q.unit));
      this.metrics.eventsAccepted.inc(eventsWritten);
      this.tableStatistics.ordersCreated(ordersCreated);
      group.forEach((queued, i) => {
        const response = responses[i];
        if (response instanceof DomainError) queued.reject(response);
        else queued.resolve(response);
      });
    } catch (e) {
      if (group.length > 1 && !isDatabaseUnavailable(e)) {
        // Something in the group failed the whole transaction: store each request on its own,
        // so that only the request at fault fails.
        this.logger.warn(`a write group of ${group.length} requests failed (${describe(e)}); storing them one by one`);
        for (const queued of group) await this.runGroup([queued]);
        return;
      }
      // A lost database is answered as such (503, nothing stored); the group's transaction rolled back.
      const error = isDatabaseUnavailable(e) ? databaseUnavailable() : e;
      for (const queued of group) queued.reject(error);
    }
  }

  /** Races with other writers (a reference taken meanwhile) re-plan the group from fresh locks. */
  private async storeWithRetry(units: WriteUnit[]): Promise<GroupOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sql.transaction((session) => this.store(session, units));
      } catch (e) {
        if (attempt >= 3 || !isRetryableConflict(e)) throw e;
      }
    }
  }

  private async store(session: SqlSession, units: WriteUnit[]): Promise<GroupOutcome> {
    const answers = new Array<WriteResponse | DomainError | undefined>(units.length);
    const keyed = units.flatMap((unit, i) =>
      unit.idempotency === null
        ? []
        : [{ i, brandId: unit.brandId ?? '', key: unit.idempotency.key, requestHash: unit.idempotency.fingerprint }],
    );
    const claims = await this.idempotency.claimMany(session, keyed, new Date());
    for (const k of keyed) {
      const stored = claims.stored.get(idempotencyClaimId(k.brandId, k.key));
      if (stored === undefined) continue;
      answers[k.i] =
        stored.requestHash === k.requestHash
          ? { statusCode: stored.statusCode, body: stored.response }
          : new DomainError(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              'This Idempotency-Key was already used with a different request; use a new key for a new request',
              { field: 'Idempotency-Key' },
            );
    }

    const ids = new Set<string>();
    const references: ReferenceKey[] = [];
    units.forEach((unit, i) => {
      if (answers[i] !== undefined) return;
      for (const command of unit.commands) {
        if (command.kind === 'create') references.push({ brandId: command.brand.id, reference: command.reference });
        else if ('orderId' in command.target) ids.add(command.target.orderId);
        else if (command.brandId !== null) references.push({ brandId: command.brandId, reference: command.target.reference });
      }
    });
    const planner = new GroupPlanner(await this.orders.lockHeads(session, [...ids], references), this.cipher);
    units.forEach((unit, i) => {
      if (answers[i] === undefined)
        answers[i] = unit.respond(unit.atomic ? planner.applyAll(unit.commands) : unit.commands.map((c) => planner.apply(c)));
    });

    // The closing statements go together with the COMMIT behind them (SqlSession.send): the
    // idempotency records, then the group's one write, which takes the ingest head's lock that every
    // writer waits for, so that it is held from that statement to the commit and no longer.
    const completed: CompletedClaim[] = [];
    const abandoned: { brandId: string; key: string }[] = [];
    for (const k of keyed) {
      if (claims.claimed.has(idempotencyClaimId(k.brandId, k.key))) {
        const answer = answers[k.i]!;
        if (answer instanceof DomainError) abandoned.push(k);
        else completed.push({ brandId: k.brandId, key: k.key, statusCode: answer.statusCode, response: answer.body });
      }
    }
    this.idempotency.settle(session, completed, abandoned);

    const writes = planner.writes();
    if (writes.events.length > 0) {
      this.orders.writeGroup(session, writes, this.config.anchoring.batchMaxEvents);
      // In the same transaction: a webhook message exists exactly when its events do.
      this.webhooks.groupWritten(session, writes);
    }
    return {
      answers: answers as (WriteResponse | DomainError)[],
      eventsWritten: writes.events.length,
      ordersCreated: writes.newOrders.length,
    };
  }
}

function busy(message: string, retryAfterSeconds: number): DomainError {
  return new DomainError(ErrorCode.INGEST_BUSY, `${message}; retry after ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
}

function throttled(message: string, retryAfterSeconds: number): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, `${message}; retry after ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
}

function describe(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `SQLSTATE ${code}` : e instanceof Error ? e.name : 'unknown error';
}
