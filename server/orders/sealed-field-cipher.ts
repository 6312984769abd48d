import { ENVELOPE_OVERHEAD, openEnvelope, sealEnvelope } from '../config/aes-gcm-envelope';
import { Injectable } from '@nestjs/common';
import type { Hex } from '../../proof/bytes';
import { randomBytesFromPool } from '../../proof/random';
import type { JsonValue } from '../../proof/canonical';
import { AppConfig } from '../config/app-config';
import { DataKeyRing, type WrappedKey } from '../config/data-key-ring';

/** What disclosing a sealed field needs: the value and the salt of its commitment. */
export interface SealedFieldSecret {
  value: JsonValue;
  salt: Hex;
}

export type SealedFieldSecrets = { [name: string]: SealedFieldSecret };

/** An order's key: in clear for this request only, and wrapped as it is stored. */
export interface OrderKey {
  key: Buffer;
  wrapped: WrappedKey;
}

/**
 * Layout of the stored bytes: version(1) || iv(12) || tag(16) || ciphertext. Version 1 was
 * encrypted with the data key itself (before per-order keys), version 2 with the order's key.
 */
const FORMAT_DATA_KEY = 0x01;
const FORMAT_ORDER_KEY = 0x02;

/**
 * Encrypts private field values and their salts at rest with AES-256-GCM under a key per order
 * (wrapped by the data key, DataKeyRing), so that destroying one order's wrapped key makes every
 * copy of its ciphertexts unreadable (crypto-shredding). The additional data binds each ciphertext
 * to its event (order id and seq), so rows cannot be swapped unnoticed.
 */
@Injectable()
export class SealedFieldCipher {
  readonly ring: DataKeyRing;

  constructor(config: AppConfig) {
    this.ring = new DataKeyRing(config.dataKey);
  }

  /** A fresh key for an order, wrapped under the current data key. */
  newOrderKey(orderId: string): OrderKey {
    const key = Buffer.from(randomBytesFromPool(32).buffer);
    return { key, wrapped: this.ring.wrap(key, orderPurpose(orderId)) };
  }

  unwrapOrderKey(orderId: string, wrapped: WrappedKey): Buffer {
    return this.ring.unwrap(wrapped, orderPurpose(orderId));
  }

  /** The order's key wrapped under the current data key (a rotation). */
  rewrapOrderKey(orderId: string, wrapped: WrappedKey): WrappedKey {
    return this.ring.wrap(this.unwrapOrderKey(orderId, wrapped), orderPurpose(orderId));
  }

  encrypt(secrets: SealedFieldSecrets, orderKey: Buffer, orderId: string, seq: number): Buffer {
    return sealEnvelope(
      FORMAT_ORDER_KEY,
      orderKey,
      Buffer.from(JSON.stringify(secrets), 'utf8'),
      associatedData(FORMAT_ORDER_KEY, orderId, seq),
    );
  }

  /** Stored before per-order keys: encrypted with a data key, not yet moved under an order key. */
  isUnderDataKey(sealed: Uint8Array): boolean {
    return sealed.length > 0 && sealed[0] === FORMAT_DATA_KEY;
  }

  /**
   * Throws if the bytes were altered, belong to another event or were sealed with another key
   * (an erased order has no key: `orderKey` null opens only values still under the data key).
   */
  decrypt(sealed: Uint8Array, orderKey: Buffer | null, orderId: string, seq: number): SealedFieldSecrets {
    const bytes = Buffer.from(sealed);
    const format = bytes[0];
    if (bytes.length < ENVELOPE_OVERHEAD || (format !== FORMAT_DATA_KEY && format !== FORMAT_ORDER_KEY)) {
      throw new Error(`sealed fields of ${orderId}#${seq} are not in a known format`);
    }
    if (format === FORMAT_ORDER_KEY) {
      if (orderKey === null) throw new Error(`sealed fields of ${orderId}#${seq} need the order's key, which is gone`);
      return open(bytes, orderKey, associatedData(format, orderId, seq));
    }
    let last: unknown;
    for (const key of this.ring.allKeys()) {
      try {
        return open(bytes, key, associatedData(format, orderId, seq));
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error(`sealed fields of ${orderId}#${seq} do not open`);
  }
}

function open(bytes: Buffer, key: Buffer, aad: Buffer): SealedFieldSecrets {
  return JSON.parse(openEnvelope(bytes, key, aad).toString('utf8')) as SealedFieldSecrets;
}

function orderPurpose(orderId: string): string {
  return `order\n${orderId}`;
}

function associatedData(format: number, orderId: string, seq: number): Buffer {
  return Buffer.from(`ordertrace-sealed/${format}\n${orderId}\n${seq}`, 'utf8');
}
