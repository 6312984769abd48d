import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { broadcastToWorkers, onWorkerBroadcast } from '../http/worker-cluster';
import { hashSecret } from './api-key-secret';
import { type ApiKeyLookup, ApiKeysRepository } from './api-keys.repository';

/** How long a found key is believed without asking the database again. */
export const API_KEY_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;
const REVOKED_TOPIC = 'api-keys-revoked';
/** A key's last_used_at is written at most this often (per HTTP worker), never on the request's path. */
export const LAST_USED_WRITE_MS = 60_000;

/**
 * Known API keys, by their secret, for a few seconds: every brand request is authenticated, and
 * asking the database each time would cost a round trip per event (and hashing the secret, a
 * digest per event; the database only ever sees the hash). A key
 * revoked through this instance stops working at once (revocation empties the cache of every HTTP
 * worker of the instance); revoked through another instance, within API_KEY_CACHE_MS. Unknown keys are never cached, so random
 * tokens cannot fill it.
 */
@Injectable()
export class ApiKeyCacheService implements OnModuleDestroy {
  private readonly entries = new Map<string, { lookup: ApiKeyLookup; until: number }>();
  private readonly unsubscribe = onWorkerBroadcast(REVOKED_TOPIC, () => this.entries.clear());
  /** When each key's use was last written, by key id. */
  private readonly usesWritten = new Map<string, number>();
  private readonly logger = new Logger(ApiKeyCacheService.name);

  constructor(private readonly keys: ApiKeysRepository) {}

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  async findBySecret(secret: string): Promise<ApiKeyLookup | null> {
    const now = Date.now();
    const hit = this.entries.get(secret);
    if (hit !== undefined && hit.until > now) return hit.lookup;
    const lookup = await this.keys.findByHash(hashSecret(secret));
    this.entries.delete(secret);
    if (lookup !== null && lookup.revokedAt === null) {
      // Map keeps insertion order: the first entry is the oldest.
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(secret, { lookup, until: now + API_KEY_CACHE_MS });
    }
    return lookup;
  }

  /**
   * Notes a use of the key: at most one last_used_at write per key per LAST_USED_WRITE_MS, sent
   * without waiting for it, so the request costs a map lookup.
   */
  noteUse(keyId: string, now: number): void {
    const written = this.usesWritten.get(keyId);
    if (written !== undefined && now - written < LAST_USED_WRITE_MS) return;
    if (this.usesWritten.size >= MAX_ENTRIES) this.usesWritten.clear();
    this.usesWritten.set(keyId, now);
    this.keys.touch(keyId, new Date(now)).catch((e: unknown) => {
      // A missed write only leaves last_used_at older; the next use after the interval retries.
      this.logger.warn({ err: { message: e instanceof Error ? e.message : String(e) } }, 'could not record an API key use');
    });
  }

  /** After a revocation, expiry change or rotation: the next request of every key, in every worker, asks the database. */
  forgetAll(): void {
    this.entries.clear();
    broadcastToWorkers(REVOKED_TOPIC);
  }
}
