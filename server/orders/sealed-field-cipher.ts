import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Hex } from '../../proof/bytes';
import type { JsonValue } from '../../proof/canonical';
import { AppConfig } from '../config/app-config';

/** What disclosing a sealed field needs: the value and the salt of its commitment. */
export interface SealedFieldSecret {
  value: JsonValue;
  salt: Hex;
}

export type SealedFieldSecrets = { [name: string]: SealedFieldSecret };

/** Layout version of the stored bytes: version(1) || iv(12) || tag(16) || ciphertext. */
const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts private field values and their salts at rest with AES-256-GCM. The additional data
 * binds each ciphertext to its event (order id and seq), so rows cannot be swapped unnoticed.
 */
@Injectable()
export class SealedFieldCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.dataKey.key;
  }

  encrypt(secrets: SealedFieldSecrets, orderId: string, seq: number): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(associatedData(orderId, seq));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws if the bytes were altered, belong to another event or were sealed with another key. */
  decrypt(sealed: Uint8Array, orderId: string, seq: number): SealedFieldSecrets {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
      throw new Error(`sealed fields of ${orderId}#${seq} are not in a known format`);
    }
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(associatedData(orderId, seq));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as SealedFieldSecrets;
  }
}

function associatedData(orderId: string, seq: number): Buffer {
  return Buffer.from(`ordertrace-sealed/1\n${orderId}\n${seq}`, 'utf8');
}
