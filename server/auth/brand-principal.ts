import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '../http/http-types';
import type { Role } from './roles';

export { DEFAULT_API_KEY_ROLES } from './roles';

/** Who is calling: a brand, through one of its API keys. */
export interface BrandPrincipal {
  readonly brandId: string;
  /** The brand's slug, as written into event records. */
  readonly brandSlug: string;
  readonly keyId: string;
  readonly roles: readonly Role[];
}

/** An API key's caller: a brand's key, or an arbitrator's or auditor's key of no brand. */
export interface KeyCaller {
  readonly kind: 'key';
  readonly keyId: string;
  /** Null for operator-issued keys, which see a brand's data only through its grants. */
  readonly brandId: string | null;
  readonly brandSlug: string | null;
  readonly roles: readonly Role[];
}

export interface OperatorCaller {
  readonly kind: 'operator';
}

export type Caller = KeyCaller | OperatorCaller;

export const OPERATOR_CALLER: OperatorCaller = { kind: 'operator' };

export type AuthenticatedRequest = HttpRequest & { brandPrincipal?: BrandPrincipal; caller?: Caller };

/** The brand AccessGuard found behind the key; only on routes open to brand roles alone. */
export const CurrentBrand = createParamDecorator((_: unknown, ctx: ExecutionContext): BrandPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().brandPrincipal;
  if (!principal) throw new Error('CurrentBrand used on a route open to callers of no brand');
  return principal;
});

/** The caller AccessGuard admitted: the operator or an API key. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a public route');
  return caller;
});

/** The API key AccessGuard admitted; for routes that the operator cannot call. */
export const CurrentKey = createParamDecorator((_: unknown, ctx: ExecutionContext): KeyCaller => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (caller?.kind !== 'key') throw new Error('CurrentKey used on a route open to the operator or to anyone');
  return caller;
});
