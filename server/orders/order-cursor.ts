import { invalidField } from '../errors/domain-error';
import { parseRfc3339 } from './event-fields.validation';
import { ORDER_ID_PATTERN } from './order-id';

/** Position after the last order of a page, in (created_at, id) descending order. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of [createdAt ISO, id]. */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

export function decodeOrderCursor(text: string): OrderCursor {
  const fail = () => invalidField('cursor', 'is not a cursor returned by this API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw fail();
  const createdAt = parseRfc3339(parsed[0]);
  if (createdAt === null || !ORDER_ID_PATTERN.test(parsed[1])) throw fail();
  return { createdAt, id: parsed[1] };
}
