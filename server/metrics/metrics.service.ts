import cluster from 'node:cluster';
import { Injectable } from '@nestjs/common';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { askPrimary } from '../http/worker-cluster';

/** The request a worker sends the primary for the figures of every worker together. */
export const CLUSTER_METRICS_TOPIC = 'metrics';

/** A figure read when scraped: Prometheus name, help text; the source gives it a value (null: unknown). */
export interface ScrapedGauge {
  name: string;
  help: string;
}

/**
 * The service's Prometheus figures, in a registry of its own (so that several applications in one
 * process, as in the tests, never share counters). Features count what they do through the fields
 * below; figures that are states rather than counts (anchoring lag, balance) are read at scrape
 * time through addScrapedGauges. With several HTTP workers every worker counts its own share, and
 * the primary adds them up when any worker is scraped.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'ordertrace_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'ordertrace_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly eventsAccepted = new Counter({
    name: 'ordertrace_events_accepted_total',
    help: 'Lifecycle events committed (order creations included)',
    registers: [this.registry],
  });
  readonly batchesSealed = new Counter({ name: 'ordertrace_batches_sealed_total', help: 'Batches sealed', registers: [this.registry] });
  readonly eventsSealed = new Counter({
    name: 'ordertrace_events_sealed_total',
    help: 'Events sealed into batches',
    registers: [this.registry],
  });
  readonly batchesAnchored = new Counter({
    name: 'ordertrace_batches_anchored_total',
    help: 'Batches whose anchoring transaction was confirmed',
    registers: [this.registry],
  });
  readonly anchoringRoundFailures = new Counter({
    name: 'ordertrace_anchoring_round_failures_total',
    help: 'Anchoring rounds that failed, by cause: rpc (the chain node), database, other',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'ordertrace_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by result: delivered, failed_attempt (retried later), gave_up (the retry window ended)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    if (cluster.isWorker) {
      // Answers the primary's requests for this worker's figures.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  /**
   * Gauges read from `source` when scraped, one call per scrape for all of them. A source that
   * fails (the database is down) leaves them NaN; the scrape itself still answers.
   */
  addScrapedGauges(gauges: readonly ScrapedGauge[], source: () => Promise<ReadonlyMap<string, number | null>>): void {
    let pending: Promise<ReadonlyMap<string, number | null> | null> | null = null;
    const read = (): Promise<ReadonlyMap<string, number | null> | null> => {
      pending ??= source()
        .catch(() => null)
        .finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    for (const { name, help } of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        // Several workers report the same state: the highest, not their sum.
        aggregator: 'max',
        async collect() {
          const value = (await read())?.get(name);
          this.set(value === undefined || value === null ? NaN : value);
        },
      });
    }
  }

  /** The text exposition of every figure: of this process, or with HTTP workers, of all of them together. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const text = cluster.isWorker ? await askPrimary<string>(CLUSTER_METRICS_TOPIC) : await this.registry.metrics();
    return { contentType: this.registry.contentType, text };
  }
}
