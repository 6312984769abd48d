import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Layout of the stored bytes: version(1) || iv(12) || tag(16) || ciphertext. */
const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keeps webhook secrets at rest encrypted with the data key (AES-256-GCM): the service must recover
 * them to sign, so a hash would not do. The additional data binds each ciphertext to its endpoint.
 */
@Injectable()
export class WebhookSecretCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.dataKey.key;
  }

  encrypt(secret: string, endpointId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(associatedData(endpointId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws if the bytes were altered, belong to another endpoint or were sealed with another key. */
  decrypt(sealed: Uint8Array, endpointId: string): string {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1)
      throw new Error(`the secret of webhook ${endpointId} is not in a known format`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(associatedData(endpointId));
    decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

function associatedData(endpointId: string): Buffer {
  return Buffer.from(`ordertrace-webhook-secret/1\n${endpointId}`, 'utf8');
}
