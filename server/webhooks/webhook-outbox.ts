import { Injectable } from '@nestjs/common';
import { REQUEST_DATA_KEY, SOURCE_DATA_KEY } from '../../proof/record';
import { AppConfig } from '../config/app-config';
import type { SqlSession } from '../database/sql-executor';
import type { GroupWrites } from '../orders/order-commands';
import type { WebhookMessageType } from './webhook-types';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { type AnchoredEventRow, type OutboxMessage, WebhooksRepository } from './webhooks.repository';

/** Events listed in one `event.accepted` or `batch.anchored` message at most; more are paged over several. */
export const EVENTS_PER_MESSAGE = 500;

/** The confirmed anchor of a batch, as `batch.anchored` states it. */
export interface BatchAnchor {
  seq: number;
  root: string;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  chainId: number;
  contract: string;
}

/** The body of every message: `{"type", "timestamp", "data"}`, exactly the bytes that are signed and sent. */
export function messageBody(type: WebhookMessageType, data: unknown, at: Date = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

function pages<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes webhook messages to the transactional outbox, inside the transaction of what they report
 * (a crash loses both or neither). Brands without a subscribed endpoint cost nothing beyond a set
 * lookup; a group with subscribed brands costs one multi-row INSERT. Payloads name orders, events,
 * leaves and anchors; never a sealed value nor its commitment's input, never a record's data.
 */
@Injectable()
export class WebhookOutbox {
  constructor(
    private readonly config: AppConfig,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly repository: WebhooksRepository,
  ) {}

  /**
   * `event.accepted` for a write group's events (one message per brand, paged), `order.received`
   * for each consumer receipt among them and `order.change_requested` for each consumer's change
   * request (its kind, never the sealed address). Called in the group's transaction.
   */
  groupWritten(session: SqlSession, writes: GroupWrites): void {
    const accepted = this.subscriptions.brandsFor('event.accepted');
    const received = this.subscriptions.brandsFor('order.received');
    const requested = this.subscriptions.brandsFor('order.change_requested');
    if ((accepted.size === 0 && received.size === 0 && requested.size === 0) || writes.events.length === 0) return;
    const heads = new Map<string, { brandId: string; reference: string }>();
    for (const h of writes.newOrders) heads.set(h.id, h);
    for (const h of writes.changedHeads) heads.set(h.id, h);
    const byBrand = new Map<string, object[]>();
    const messages: OutboxMessage[] = [];
    const now = new Date();
    for (const { built } of writes.events) {
      const head = heads.get(built.row.orderId);
      if (head === undefined) continue;
      const { record } = built;
      const item = {
        order: record.order,
        reference: head.reference,
        seq: record.seq,
        type: record.type,
        at: record.at,
        recorded: record.recorded,
        source: record.data[SOURCE_DATA_KEY] ?? null,
        leaf: built.row.leaf,
      };
      if (accepted.has(head.brandId)) {
        let list = byBrand.get(head.brandId);
        if (list === undefined) byBrand.set(head.brandId, (list = []));
        list.push(item);
      }
      if (received.has(head.brandId) && record.type === 'received' && record.data[SOURCE_DATA_KEY] === 'consumer') {
        messages.push({ brandId: head.brandId, type: 'order.received', payload: messageBody('order.received', item, now) });
      }
      if (requested.has(head.brandId) && record.type === 'change_requested') {
        const request = { ...item, request: record.data[REQUEST_DATA_KEY] ?? null };
        messages.push({
          brandId: head.brandId,
          type: 'order.change_requested',
          payload: messageBody('order.change_requested', request, now),
        });
      }
    }
    for (const [brandId, events] of byBrand) {
      for (const page of pages(events, EVENTS_PER_MESSAGE)) {
        messages.push({ brandId, type: 'event.accepted', payload: messageBody('event.accepted', { events: page }, now) });
      }
    }
    this.repository.enqueue(session, messages, this.config.webhooks.retryWindowMs);
  }

  /** `batch.anchored`: per brand with events in the batch, one message per page of its events. Called in the confirming transaction. */
  async batchAnchored(session: SqlSession, anchor: BatchAnchor): Promise<void> {
    const brands = this.subscriptions.brandsFor('batch.anchored');
    if (brands.size === 0) return;
    const byBrand = new Map<string, Omit<AnchoredEventRow, 'brandId'>[]>();
    for (const { brandId, ...event } of await this.repository.anchoredEvents(session, anchor.seq, [...brands])) {
      let list = byBrand.get(brandId);
      if (list === undefined) byBrand.set(brandId, (list = []));
      list.push(event);
    }
    const now = new Date();
    const messages: OutboxMessage[] = [];
    for (const [brandId, events] of byBrand) {
      const all = pages(events, EVENTS_PER_MESSAGE);
      all.forEach((page, i) =>
        messages.push({
          brandId,
          type: 'batch.anchored',
          payload: messageBody('batch.anchored', { batch: anchor, page: i + 1, pages: all.length, events: page }, now),
        }),
      );
    }
    this.repository.enqueue(session, messages, this.config.webhooks.retryWindowMs);
  }

  /**
   * `anchoring.stalled` to every subscribed brand with events waiting, once per stall episode (the
   * first caller to open the episode writes them). Returns whether this call opened it.
   */
  async anchoringStalled(session: SqlSession, stall: { oldestUnanchoredMs: number; stalledAfterMs: number }): Promise<boolean> {
    if (!(await this.repository.openStallEpisode(session))) return false;
    const brands = this.subscriptions.brandsFor('anchoring.stalled');
    if (brands.size === 0) return true;
    const waiting = await this.repository.brandsWithEventsWaiting(session, [...brands]);
    const payload = messageBody('anchoring.stalled', {
      oldestUnanchoredSeconds: Math.round(stall.oldestUnanchoredMs / 1000),
      stalledAfterSeconds: Math.round(stall.stalledAfterMs / 1000),
    });
    this.repository.enqueue(
      session,
      waiting.map((brandId) => ({ brandId, type: 'anchoring.stalled', payload })),
      this.config.webhooks.retryWindowMs,
    );
    return true;
  }

  /**
   * `order.flagged`, one message per flag just raised (each the item GET /v1/flags lists). Called in
   * the transaction that stores the flags. Explanations name orders and seqs, never a sealed value.
   */
  ordersFlagged(session: SqlSession, flags: readonly { brandId: string; item: object }[]): void {
    const brands = this.subscriptions.brandsFor('order.flagged');
    if (brands.size === 0) return;
    const now = new Date();
    this.repository.enqueue(
      session,
      flags
        .filter((f) => brands.has(f.brandId))
        .map((f) => ({ brandId: f.brandId, type: 'order.flagged', payload: messageBody('order.flagged', f.item, now) })),
      this.config.webhooks.retryWindowMs,
    );
  }

  /** The stall is over: the next one is a new episode. */
  stallEnded(): Promise<void> {
    return this.repository.closeStallEpisode();
  }
}
