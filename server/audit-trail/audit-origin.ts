import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, Caller } from '../auth/brand-principal';

/** Who did an audited action and from where. */
export interface AuditOrigin {
  /** `operator`, `key:<key id>` (never its secret), `consumer`, or `system`. */
  readonly actor: string;
  /** The client's address (Fastify's request.ip); null when no request caused the action. */
  readonly from: string | null;
}

/** The actor naming a caller. */
export function actorOf(caller: Caller | undefined): string {
  if (caller === undefined) return 'consumer';
  return caller.kind === 'operator' ? 'operator' : `key:${caller.keyId}`;
}

/** Actions the service takes by itself (a scheduled job, a start-up task). */
export const SYSTEM_ORIGIN: AuditOrigin = { actor: 'system', from: null };

/**
 * The request's caller (as AccessGuard admitted it; a public route's is the consumer) and client
 * address, for the audit trail. The address is stored in the trail, never written to a log line.
 */
export const CurrentAuditOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditOrigin => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return { actor: actorOf(req.caller), from: req.ip ?? null };
});
