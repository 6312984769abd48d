import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { resolveAllowedAddresses, WebhookAddressError } from './webhook-address-policy';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { webhookSignature } from './webhook-signature';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { type ClaimedDelivery, type WebhookAttemptRow, WebhooksRepository } from './webhooks.repository';

/** No retry waits longer than this, however many failed before it. */
const MAX_RETRY_DELAY_MS = 6 * 3_600_000;
/** A claimed message is due again this long after twice its attempt's timeout, should its deliverer die. */
const LEASE_MARGIN_MS = 5_000;

/** What one attempt came to: a status (2xx delivered), or an error class and no status. */
interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

/** The delay before attempt `attempts + 1`: four times the previous one from WEBHOOK_RETRY_BASE_MS, capped, ±20 % jitter. */
export function retryDelayMs(baseMs: number, attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(baseMs * 4 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(delay * (0.8 + 0.4 * random()));
}

/** The error class a failed attempt is logged as: never a message that could carry a secret or a body. */
function errorClass(e: unknown): string {
  if (e instanceof WebhookAddressError) return 'address_refused';
  if (e instanceof AttemptTimeout) return 'timeout';
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection_reset';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    default:
      return typeof code === 'string' && /CERT|SSL|TLS/i.test(code) ? 'tls' : 'network';
  }
}

class AttemptTimeout extends Error {}

/**
 * Delivers the outbox: every process polls for due messages and claims a few at a time (`FOR UPDATE
 * SKIP LOCKED`, so instances share the work and never send one message twice at once), signs each
 * (Standard Webhooks) and POSTs it with a timeout. A failure is logged and retried with exponential
 * backoff and jitter until the message's retry window ends; then it has failed. An endpoint failing
 * without a single success for WEBHOOK_DISABLE_AFTER_MS is disabled. The address is checked again
 * at every attempt and the connection goes to the address that was checked (DNS may change).
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private claiming = false;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly cipher: WebhookSecretCipher,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), this.config.webhooks.pollMs);
    this.timer.unref();
  }

  /** Stops claiming, and lets the deliveries in flight finish (each is bounded by its timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer !== null) clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private async poll(): Promise<void> {
    if (this.claiming || this.closing) return;
    this.claiming = true;
    try {
      for (;;) {
        const free = this.config.webhooks.concurrency - this.inFlight.size;
        if (free <= 0 || this.closing) return;
        const claimed = await this.repository.claimDue(free, 2 * this.config.webhooks.timeoutMs + LEASE_MARGIN_MS);
        for (const delivery of claimed) {
          const running: Promise<void> = this.deliver(delivery)
            .catch((e: unknown) =>
              this.logger.error(`delivering webhook message ${delivery.id} failed: ${e instanceof Error ? e.name : 'error'}`),
            )
            .finally(() => this.inFlight.delete(running));
          this.inFlight.add(running);
        }
        if (claimed.length < free) return;
      }
    } catch (e) {
      this.logger.warn(`claiming webhook deliveries failed: ${e instanceof Error ? e.name : 'error'}`);
    } finally {
      this.claiming = false;
    }
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const started = new Date();
    const t0 = performance.now();
    const result = await this.attempt(d, started);
    const attempt: WebhookAttemptRow = {
      attemptedAt: started,
      statusCode: result.statusCode,
      durationMs: Math.round(performance.now() - t0),
      error: result.error,
    };
    if (result.error === null) {
      await this.repository.recordDelivered(d.id, d.endpointId, attempt);
      this.metrics.webhookDeliveries.inc({ result: 'delivered' });
      return;
    }
    const now = Date.now();
    const giveUp = now >= d.retryUntil.getTime();
    const next = giveUp
      ? null
      : new Date(Math.min(now + retryDelayMs(this.config.webhooks.retryBaseMs, d.attempts), d.retryUntil.getTime()));
    const disabled = await this.repository.recordFailed(d.id, d.endpointId, attempt, next, this.config.webhooks.disableAfterMs);
    this.metrics.webhookDeliveries.inc({ result: giveUp ? 'gave_up' : 'failed_attempt' });
    if (giveUp) this.logger.warn(`webhook message ${d.id} to endpoint ${d.endpointId} failed for good after ${d.attempts} attempts`);
    if (disabled) {
      this.logger.warn(`webhook endpoint ${d.endpointId} disabled: its deliveries failed for WEBHOOK_DISABLE_AFTER_MS`);
      await this.subscriptions.changed();
    }
  }

  private async attempt(d: ClaimedDelivery, at: Date): Promise<AttemptResult> {
    try {
      const url = new URL(d.url);
      const { allowPrivate, timeoutMs } = this.config.webhooks;
      const addresses = await resolveAllowedAddresses(url.hostname, allowPrivate);
      const secrets = [this.cipher.decrypt(d.secretSealed, d.endpointId)];
      if (d.previousSecretSealed !== null && d.previousSecretUntil !== null && d.previousSecretUntil.getTime() > at.getTime()) {
        secrets.push(this.cipher.decrypt(d.previousSecretSealed, d.endpointId));
      }
      const timestamp = Math.floor(at.getTime() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'ordertrace-webhooks',
        'webhook-id': d.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(secrets, d.id, timestamp, d.payload),
      };
      // The connection goes to the addresses just checked, never to a second lookup's answer.
      const lookup: LookupFunction = (_host, options, callback) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      };
      const statusCode = await post(url, headers, d.payload, timeoutMs, lookup);
      return statusCode >= 200 && statusCode < 300 ? { statusCode, error: null } : { statusCode, error: 'status' };
    } catch (e) {
      return { statusCode: null, error: errorClass(e) };
    }
  }
}

/** POSTs `body`; resolves with the response's status (its body is read and dropped, never kept). */
function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, lookup: LookupFunction): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const options: RequestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      agent: false,
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new AttemptTimeout('timeout')), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}
