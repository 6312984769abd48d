import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { canonicalJson } from '../../proof/canonical';
import { invalidField } from '../errors/domain-error';
import { type HttpRequest, requestPath } from '../http/http-types';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** A request that may be retried: its key and a fingerprint of what it asks. */
export interface IdempotentRequest {
  key: string;
  /** sha-256 of method, path and the canonical JSON of the body. */
  fingerprint: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function bodyText(body: unknown): string {
  try {
    return canonicalJson(body ?? null);
  } catch {
    // Bodies JCS refuses fail validation anyway; any stable text will do.
    return JSON.stringify(body ?? null);
  }
}

/** The Idempotency-Key header as an IdempotentRequest, or null when absent. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest | null => {
  const req = ctx.switchToHttp().getRequest<HttpRequest>();
  const header = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (header === undefined) return null;
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
    throw invalidField(IDEMPOTENCY_KEY_HEADER, 'must be 1-255 visible ASCII characters, sent once');
  }
  const fingerprint = createHash('sha256')
    .update(`${req.method} ${requestPath(req)}\n${bodyText(req.body)}`, 'utf8')
    .digest('hex');
  return { key: header, fingerprint };
});
