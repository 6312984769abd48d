import { Injectable } from '@nestjs/common';
import { type ApiKeyLookup, ApiKeysRepository } from './api-keys.repository';

/** How long a found key is believed without asking the database again. */
export const API_KEY_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Known API keys, by the hash of their secret, for a few seconds: every brand request is
 * authenticated, and asking the database each time would cost a round trip per event. A key
 * revoked through this instance stops working at once (revocation empties the cache); revoked
 * through another instance, within API_KEY_CACHE_MS. Unknown keys are never cached, so random
 * tokens cannot fill it.
 */
@Injectable()
export class ApiKeyCacheService {
  private readonly entries = new Map<string, { lookup: ApiKeyLookup; until: number }>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async findByHash(keyHash: string): Promise<ApiKeyLookup | null> {
    const now = Date.now();
    const hit = this.entries.get(keyHash);
    if (hit !== undefined && hit.until > now) return hit.lookup;
    const lookup = await this.keys.findByHash(keyHash);
    this.entries.delete(keyHash);
    if (lookup !== null && lookup.revokedAt === null) {
      // Map keeps insertion order: the first entry is the oldest.
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(keyHash, { lookup, until: now + API_KEY_CACHE_MS });
    }
    return lookup;
  }

  /** After a revocation: the next request of every key asks the database. */
  forgetAll(): void {
    this.entries.clear();
  }
}
