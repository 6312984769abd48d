import { createHash } from 'node:crypto';
import { ENVELOPE_OVERHEAD, openEnvelope, sealEnvelope } from './aes-gcm-envelope';
import type { DataKeyConfig } from './app-config';

/** A key wrapped by a data key, and which data key that was. */
export interface WrappedKey {
  wrapped: Buffer;
  dataKeyId: string;
}

/** Wrapped keys are AES-GCM envelopes (aes-gcm-envelope.ts) of this version, holding 32 bytes. */
const WRAP_V1 = 0x01;

/** A data key's public name: the first 8 bytes of a hash of it, as hex. Says which key, reveals nothing of it. */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update('ordertrace/data-key-id/v1\n').update(key).digest('hex').slice(0, 16);
}

/**
 * The data keys the service knows: the current one, which wraps every new key, and earlier ones,
 * which only unwrap what a rotation has not re-wrapped yet. The data key never encrypts private
 * values itself: it wraps 32-byte keys (per order, and the service's own) with AES-256-GCM, the
 * wrapped key bound to what it is for by the additional data.
 */
export class DataKeyRing {
  readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(config: Pick<DataKeyConfig, 'key' | 'previousKeys'>) {
    this.currentId = dataKeyId(config.key);
    this.keys.set(this.currentId, config.key);
    for (const key of config.previousKeys) {
      const id = dataKeyId(key);
      if (!this.keys.has(id)) this.keys.set(id, key);
    }
  }

  knows(id: string): boolean {
    return this.keys.has(id);
  }

  /** Wraps a 32-byte key under the current data key; `purpose` names what it belongs to (bound as additional data). */
  wrap(key: Buffer, purpose: string): WrappedKey {
    const wrapped = sealEnvelope(WRAP_V1, this.keys.get(this.currentId)!, key, wrapAad(purpose));
    return { wrapped, dataKeyId: this.currentId };
  }

  /** Throws if the data key is not configured, or the bytes were altered or belong to another purpose. */
  unwrap(wrapped: WrappedKey, purpose: string): Buffer {
    const dataKey = this.keys.get(wrapped.dataKeyId);
    if (dataKey === undefined) {
      throw new Error(
        `a key for ${purpose.replace(/\n/g, ' ')} is wrapped under data key ${wrapped.dataKeyId}, which is not configured ` +
          '(add it as an earlier key: ORDERTRACE_DATA_KEY_PREVIOUS or a later line of the key file)',
      );
    }
    const bytes = wrapped.wrapped;
    if (bytes.length !== ENVELOPE_OVERHEAD + 32 || bytes[0] !== WRAP_V1)
      throw new Error(`the key for ${purpose.replace(/\n/g, ' ')} is not in a known format`);
    return openEnvelope(bytes, dataKey, wrapAad(purpose));
  }

  /** Every known data key, current first: what sealed values stored before per-order keys may be encrypted with. */
  allKeys(): Buffer[] {
    return [...this.keys.values()];
  }
}

function wrapAad(purpose: string): Buffer {
  return Buffer.from(`ordertrace-wrapped-key/1\n${purpose}`, 'utf8');
}
