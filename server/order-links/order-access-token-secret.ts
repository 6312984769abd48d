import { createHmac, hkdfSync } from 'node:crypto';
import { hashSecret } from '../auth/api-key-secret';

/**
 * Order access tokens are 32 bytes, base64url (43 characters). Each is derived from a random
 * row id with a key of its own (the `order-link-tokens` service key, wrapped by the data key), so
 * the service can print the same QR code again while the database holds only the token's SHA-256:
 * a copy of the database alone yields no working link, and rotating the data key changes no link.
 */
export const ORDER_ACCESS_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

const HKDF_INFO = 'ordertrace/order-access-token/v1';

export const ORDER_LINK_TOKEN_KEY = 'order-link-tokens';

/** The key earlier versions derived from the data key: an install that already printed links keeps it. */
export function legacyOrderLinkTokenKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), HKDF_INFO, 32));
}

export class OrderAccessTokenSecret {
  constructor(private readonly key: Buffer) {}

  tokenFor(row: { id: string; orderId: string }): string {
    return createHmac('sha256', this.key).update(`${row.orderId}\n${row.id}`, 'utf8').digest('base64url');
  }
}

/** Tokens are stored as API keys are: their SHA-256 only. */
export function hashOrderAccessToken(token: string): string {
  return hashSecret(token);
}
