import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytesFromPool } from '../../proof/random';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The smallest envelope: version(1) || iv(12) || tag(16), with nothing encrypted. */
export const ENVELOPE_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM as every secret at rest is stored: version(1) || iv(12) || tag(16) || ciphertext,
 * bound by `aad` to what it belongs to. The one place the service encrypts; callers choose the
 * key, the version byte and the additional data.
 */
export function sealEnvelope(version: number, key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytesFromPool(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), ciphertext]);
}

/** The plaintext of an envelope; throws if it is too short, altered, or sealed with another key or `aad`. */
export function openEnvelope(envelope: Buffer, key: Buffer, aad: Buffer): Buffer {
  if (envelope.length < ENVELOPE_OVERHEAD) throw new Error('the encrypted value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(envelope.subarray(1 + IV_BYTES, ENVELOPE_OVERHEAD));
  return Buffer.concat([decipher.update(envelope.subarray(ENVELOPE_OVERHEAD)), decipher.final()]);
}
