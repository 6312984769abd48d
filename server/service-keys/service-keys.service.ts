import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DataKeyRing } from '../config/data-key-ring';
import { ServiceKeysRepository } from './service-keys.repository';

/**
 * The service's own keys, each its own random 32 bytes, stored only wrapped by the data key: a
 * copy of the database alone does not hold them, and rotating the data key re-wraps them without
 * changing them (so what they derive, such as printed order links, stays the same).
 */
@Injectable()
export class ServiceKeysService {
  private readonly ring: DataKeyRing;

  constructor(
    config: AppConfig,
    private readonly keys: ServiceKeysRepository,
  ) {
    this.ring = new DataKeyRing(config.dataKey);
  }

  /** The key of this name; created on first use, from `initial` when given (keeping what an earlier version derived). */
  async key(name: string, initial?: () => Buffer): Promise<Buffer> {
    const candidate = this.ring.wrap(initial?.() ?? randomBytes(32), purpose(name));
    return this.ring.unwrap(await this.keys.findOrInsert(name, candidate), purpose(name));
  }

  /** Re-wraps every service key not under the current data key; returns how many. */
  async rewrapAll(): Promise<number> {
    const stale = await this.keys.notUnder(this.ring.currentId);
    for (const { name, wrapped } of stale) {
      await this.keys.rewrap(name, wrapped, this.ring.wrap(this.ring.unwrap(wrapped, purpose(name)), purpose(name)));
    }
    return stale.length;
  }
}

function purpose(name: string): string {
  return `service\n${name}`;
}
