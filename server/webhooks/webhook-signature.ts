import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks secrets: this prefix, then the base64 of the HMAC key. */
const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A fresh endpoint secret, `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key of a `whsec_…` secret: its base64 part, decoded. */
function hmacKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` for each secret,
 * space-separated (during a rotation's overlap, the new secret's first, then the previous one's), so
 * that a receiver holding either verifies the message.
 */
export function webhookSignature(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  const signed = `${messageId}.${timestampSeconds}.${body}`;
  return secrets.map((s) => `v1,${createHmac('sha256', hmacKey(s)).update(signed, 'utf8').digest('base64')}`).join(' ');
}
