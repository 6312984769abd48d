import type { BrandPrincipal } from '../auth/brand-principal';
import { DomainError, ErrorCode } from '../errors/domain-error';

/**
 * Roles whose keys may receive private field values (a bundle's `disclosed`): the brand's readers
 * and arbitrators it granted the order. Every other role that reaches an order read (an auditor)
 * gets commitments only. The one place that decides it: every response that could carry sealed
 * values asks here.
 */
const SEALED_VALUE_ROLES: ReadonlySet<string> = new Set(['brand:read', 'arbitrator']);

export function maySeeSealedValues(principal: Pick<BrandPrincipal, 'roles'>): boolean {
  return principal.roles.some((role) => SEALED_VALUE_ROLES.has(role));
}

/**
 * The fields to disclose to this principal: what it asked for, or a refusal naming `disclose` when
 * its key may not see private values (refused rather than answered without them, so that a caller
 * never mistakes a masked bundle for a complete one).
 */
export function disclosureFor<T>(principal: Pick<BrandPrincipal, 'roles'>, asked: T, nothing: (asked: T) => boolean): T {
  if (nothing(asked) || maySeeSealedValues(principal)) return asked;
  throw new DomainError(ErrorCode.FORBIDDEN, "This API key's roles may not see private field values; ask without `disclose`", {
    field: 'disclose',
  });
}
