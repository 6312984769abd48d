import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { broadcastToWorkers, onWorkerBroadcast } from '../http/worker-cluster';
import { type WebhookMessageType, WEBHOOK_MESSAGE_TYPES } from './webhook-types';
import { WebhooksRepository } from './webhooks.repository';

/** The topic HTTP workers broadcast when a brand's endpoints changed. */
const SUBSCRIPTIONS_CHANGED_TOPIC = 'webhook-subscriptions';
/** Other instances of the service learn of a change within this long. */
const REFRESH_AFTER_MS = 10_000;

/**
 * Which brands have a live endpoint for which message types, held in memory so that the ingest path
 * asks it without a database round trip: brands without webhooks cost a map lookup. Reloaded when
 * this process changes an endpoint, when another HTTP worker says it did, and at least every few
 * seconds (other instances). A stale entry costs little: the outbox write itself selects the live
 * endpoints, so a brand whose endpoint is gone gets no message.
 */
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookSubscriptions.name);
  private byType = new Map<WebhookMessageType, ReadonlySet<string>>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly repository: WebhooksRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = onWorkerBroadcast(SUBSCRIPTIONS_CHANGED_TOPIC, () => void this.reload().catch(() => undefined));
    await this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The brands subscribed to `type`; starts a reload in the background when the set is old. */
  brandsFor(type: WebhookMessageType): ReadonlySet<string> {
    if (performance.now() - this.loadedAt > REFRESH_AFTER_MS && this.loading === null) {
      void this.reload().catch((e: unknown) =>
        this.logger.warn(`reloading webhook subscriptions failed: ${e instanceof Error ? e.name : 'error'}`),
      );
    }
    return this.byType.get(type) ?? EMPTY;
  }

  /** After this process changed an endpoint: reloads here, and tells the other HTTP workers. */
  async changed(): Promise<void> {
    broadcastToWorkers(SUBSCRIPTIONS_CHANGED_TOPIC);
    // A load already under way may have read the endpoints before the change.
    await this.loading?.catch(() => undefined);
    await this.reload();
  }

  private reload(): Promise<void> {
    this.loading ??= this.repository
      .subscriptions()
      .then((byBrand) => {
        const next = new Map<WebhookMessageType, Set<string>>(WEBHOOK_MESSAGE_TYPES.map((t) => [t, new Set<string>()]));
        for (const [brandId, endpoints] of byBrand) {
          for (const types of endpoints) for (const t of types ?? WEBHOOK_MESSAGE_TYPES) next.get(t as WebhookMessageType)?.add(brandId);
        }
        this.byType = next;
        this.loadedAt = performance.now();
      })
      .catch((e: unknown) => {
        // Keeps the last sets, and tries again after the same interval rather than on every write.
        this.loadedAt = performance.now();
        throw e;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
