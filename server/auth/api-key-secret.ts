import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Brand API keys look like `otk_<43 base64url chars>`: 256 random bits, recognisable in leaks. */
export const API_KEY_PREFIX = 'otk_';
const KEY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): { key: string; keyHash: string; keyPrefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashSecret(key), keyPrefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

/** The digest secretsEqual compares; a configured secret's can be computed once and kept. */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compares two secrets in constant time (their digests, so lengths may differ). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(secretDigest(a), secretDigest(b));
}

/** secretsEqual against a secret known by its secretDigest. */
export function secretMatches(secret: string, digest: Buffer): boolean {
  return timingSafeEqual(secretDigest(secret), digest);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
