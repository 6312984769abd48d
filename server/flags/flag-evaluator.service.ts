import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventRecord } from '../../proof/record';
import { AppConfig } from '../config/app-config';
import { SqlExecutor, type SqlSession } from '../database/sql-executor';
import { OrdersService } from '../orders/orders.service';
import { LoopSlices } from '../runtime/loop-slices';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { ContactBlindIndex, contactsOf } from './contact-blind-index';
import { FlagThresholdsService } from './flag-thresholds.service';
import { mapRaisedFlag } from './flags.dto';
import { type ContactIndexRow, type EvaluatedOrder, FlagsRepository, type FlagToRaise, type StoredEventRef } from './flags.repository';
import {
  evidenceKey,
  type FlagThresholds,
  flagsOfHistory,
  type OrderFlag,
  orderBurstFlag,
  orderValueOf,
  receiptAfterLinkReissueFlag,
  refundAfterReceiptFlag,
  trackingNumberOf,
  trackingNumberReusedFlag,
} from './order-flags';

/** Events evaluated per transaction. */
const PAGE = 200;
/**
 * The ingest load (OrderWriterService.load) from which ingest counts as saturated: its write-group
 * slots were all taken nearly all the time of late. Below it the evaluator runs until it has caught up.
 */
const SATURATED_INGEST_LOAD = 0.8;
/** How long the evaluation of a page runs before it lets the event loop serve requests. */
const SLICE_MS = 2;
/** Orders whose blind-index rows are computed again under a new key, per transaction. */
const REINDEX_PAGE = 50;

/**
 * Raises anomaly flags in the background, off the ingest path: every process with
 * FLAG_EVALUATOR_POLL_MS above 0 polls, and the one that takes the cursor row (`SKIP LOCKED`)
 * evaluates the orders of the events stored after it, in ingest order. Each page is one
 * transaction: the flags, their `order.flagged` webhook messages, the blind-index rows and the
 * cursor commit together, so a crash repeats a page and never loses or doubles a flag.
 *
 * Sealed values are opened here only, for the contact blind index and an order's sealed line
 * items; nothing opened is logged or stored but the keyed digest. Blind-index rows computed under
 * an earlier key are computed again from the values that still open, or dropped.
 */
@Injectable()
export class FlagEvaluatorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FlagEvaluatorService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closing = false;
  /** One opener per order read, so that its key is unwrapped once however many of its events are opened. */
  private readonly openers = new WeakMap<EvaluatedOrder, ReturnType<OrdersService['sealedFieldsOpener']>>();

  constructor(
    private readonly config: AppConfig,
    private readonly sql: SqlExecutor,
    private readonly repository: FlagsRepository,
    private readonly thresholds: FlagThresholdsService,
    private readonly blindIndex: ContactBlindIndex,
    private readonly orders: OrdersService,
    private readonly outbox: WebhookOutbox,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.flags.evaluatorPollMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.evaluatePending()
        .catch((e: unknown) => this.logger.warn(`evaluating anomaly flags failed: ${failure(e)}`))
        .finally(() => (this.running = null));
    }, this.config.flags.evaluatorPollMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Evaluates every event stored since the cursor (unless another instance is at it), then re-indexes
   * stale contacts. While this process's ingest is saturated (its write-group slots all taken nearly
   * all the time of late) it evaluates one page a poll and leaves the rest until ingest eases: flags
   * may lag behind a peak, and the peak's writes do not share the service with their evaluation.
   */
  async evaluatePending(): Promise<void> {
    const yielding = (): boolean => this.orders.ingestLoad() >= SATURATED_INGEST_LOAD;
    while (!this.closing && (await this.evaluatePage()) === PAGE && !yielding());
    while (!this.closing && !yielding() && (await this.reindexPage()) === REINDEX_PAGE);
  }

  /** One page of events after the cursor; returns how many it held (0 also when another instance holds the cursor). */
  private evaluatePage(): Promise<number> {
    return this.sql.transaction(async (session) => {
      const cursor = await this.repository.lockCursor(session);
      if (cursor === null) return 0;
      const events = await this.repository.eventsAfter(session, cursor, PAGE);
      if (events.length === 0) return 0;
      const newSeqs = new Map<string, Set<number>>();
      for (const e of events) newSeqs.set(e.orderId, (newSeqs.get(e.orderId) ?? new Set()).add(e.seq));
      const thresholds = new Map<string, FlagThresholds>();
      const raised: FlagToRaise[] = [];
      const contacts: ContactIndexRow[] = [];
      const orders = await this.repository.ordersForEvaluation(
        session,
        // Each order's history as of the page: its new events with the one before, and the earlier ones the rules need.
        [...newSeqs].map(([id, seqs]) => ({ id, fromSeq: Math.min(...seqs) - 1, toSeq: Math.max(...seqs) })),
      );
      const slices = new LoopSlices(SLICE_MS);
      for (const [orderId, seqs] of newSeqs) {
        await slices.pause();
        const order = orders.get(orderId);
        if (order === undefined) continue;
        let t = thresholds.get(order.brandId);
        if (t === undefined) thresholds.set(order.brandId, (t = await this.thresholds.forBrand(order.brandId, session)));
        raised.push(...(await this.evaluateOrder(session, order, seqs, t)));
        contacts.push(...this.contactRows(order, seqs));
      }
      // Last: indexing share-locks the orders it indexes until the commit, and ingest waits on such a lock.
      raised.push(...(await this.indexContacts(session, contacts, thresholds)));
      const stored = await this.repository.raise(session, raised);
      this.outbox.ordersFlagged(
        session,
        stored.map((f) => ({ brandId: f.brandId, item: mapRaisedFlag(f) })),
      );
      const last: StoredEventRef = events[events.length - 1];
      await this.repository.advanceCursor(session, last);
      return events.length;
    });
  }

  /** The flags an order's new events (`newSeqs`) may raise, on it and on the brand's orders they link it to. */
  private async evaluateOrder(
    session: SqlSession,
    order: EvaluatedOrder,
    newSeqs: ReadonlySet<number>,
    t: FlagThresholds,
  ): Promise<FlagToRaise[]> {
    const records = order.events.map((e) => e.record);
    const fresh = records.filter((r) => newSeqs.has(r.seq));
    const flags: OrderFlag[] = flagsOfHistory(records, t);

    for (const trackingNo of new Set(fresh.map(trackingNumberOf).filter((n): n is string => n !== null))) {
      const holders = await this.repository.ordersWithTrackingNumber(order.brandId, trackingNo, session);
      if (holders.length < 2) continue;
      for (const h of holders) {
        const others = holders.filter((o) => o.orderId !== h.orderId).map((o) => o.orderId);
        flags.push(trackingNumberReusedFlag(h.orderId, h.seq, trackingNo, others));
      }
    }
    if (fresh.some((r) => r.type === 'received')) {
      flags.push(...receiptAfterLinkReissueFlag(records, await this.repository.linkReissueTimes(session, order.id), t));
    }
    if (fresh.some((r) => r.type === 'refunded')) {
      flags.push(...refundAfterReceiptFlag(records, orderValueOf(records, this.sealedLineItems(order)), t));
    }
    return flags.map((f) => ({ ...f, brandId: order.brandId, evidence: evidenceKey(f) }));
  }

  /**
   * Indexes contact values of new events, and flags every order of a burst they complete: at least
   * `burstOrdersAtLeast` of the brand's orders sharing the value within the window before it.
   */
  private async indexContacts(
    session: SqlSession,
    rows: readonly ContactIndexRow[],
    thresholds: ReadonlyMap<string, FlagThresholds>,
  ): Promise<FlagToRaise[]> {
    if (rows.length === 0) return [];
    const keyId = this.blindIndex.keyId;
    await this.repository.indexContacts(session, keyId, rows);
    const flags: FlagToRaise[] = [];
    for (const row of rows) {
      const t = thresholds.get(row.brandId)!;
      const from = new Date(row.recordedAt.getTime() - t.burstWindowMs);
      const holders = await this.repository.ordersWithContact(session, row.brandId, row.kind, row.digest, keyId, from, row.recordedAt);
      if (holders.length < t.burstOrdersAtLeast) continue;
      for (const h of holders) {
        const others = holders.filter((o) => o.orderId !== h.orderId).map((o) => o.orderId);
        const flag = orderBurstFlag(h.orderId, h.seq, row.kind, others, t);
        flags.push({ ...flag, brandId: row.brandId, evidence: evidenceKey(flag) });
      }
    }
    return flags;
  }

  /** Blind-index rows of the contact values in the sealed fields of the order's events `seqs` that still open. */
  private contactRows(order: EvaluatedOrder, seqs: ReadonlySet<number>): ContactIndexRow[] {
    if (order.erased) return [];
    const rows: ContactIndexRow[] = [];
    for (const e of order.events) {
      if (!seqs.has(e.record.seq) || e.sealed === null) continue;
      const values = this.open(order, e);
      if (values === null) continue;
      for (const contact of contactsOf(values)) {
        rows.push({
          brandId: order.brandId,
          orderId: order.id,
          seq: e.record.seq,
          kind: contact.kind,
          digest: this.blindIndex.digest(order.brandId, contact),
          recordedAt: new Date(e.record.recorded),
        });
      }
    }
    return rows;
  }

  /** The opened `lineItems` of the order's `created` event, when it sealed them and they still open. */
  private sealedLineItems(order: EvaluatedOrder): unknown {
    const created = order.events.find((e) => e.record.type === 'created');
    if (created === undefined || created.sealed === null || !('lineItems' in created.record.sealed)) return null;
    return this.open(order, created)?.lineItems ?? null;
  }

  /** An event's sealed values, or null when they do not open (erased, or under a key no longer known). */
  private open(order: EvaluatedOrder, e: { record: EventRecord; sealed: Buffer | null }): Record<string, unknown> | null {
    try {
      let opener = this.openers.get(order);
      if (opener === undefined) this.openers.set(order, (opener = this.orders.sealedFieldsOpener(order.id, order.wrappedKey)));
      const secrets = opener({ seq: e.record.seq, sealedPrivate: e.sealed });
      return Object.fromEntries(Object.entries(secrets).map(([name, s]) => [name, s.value]));
    } catch (err) {
      this.logger.warn(`sealed fields of ${order.id}#${e.record.seq} did not open for flags: ${failure(err)}`);
      return null;
    }
  }

  /**
   * Computes again, under the current key, the blind-index rows of up to REINDEX_PAGE orders indexed
   * under another (the key was replaced): from the values that still open; the rest are dropped.
   */
  private reindexPage(): Promise<number> {
    return this.sql.transaction(async (session) => {
      const keyId = this.blindIndex.keyId;
      const stale = await this.repository.ordersIndexedUnderOtherKeys(session, keyId, REINDEX_PAGE);
      const orders = await this.repository.ordersForEvaluation(
        session,
        stale.map((id) => ({ id, fromSeq: 1, toSeq: 2 ** 31 - 1 })),
      );
      for (const orderId of stale) {
        const order = orders.get(orderId);
        if (order === undefined) continue;
        const rows = this.contactRows(order, new Set(order.events.map((e) => e.record.seq)));
        await this.repository.indexContacts(session, keyId, rows);
        await this.repository.dropStaleContacts(session, orderId, keyId);
      }
      return stale.length;
    });
  }
}

/** What a failure is, for the log: its SQLSTATE or class, never a message that could quote a value. */
function failure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `SQLSTATE ${code}`;
  return e instanceof Error ? e.name : 'error';
}
