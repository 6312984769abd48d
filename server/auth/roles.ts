import { DomainError, ErrorCode } from '../errors/domain-error';

/** Roles a brand's own keys carry: issued per brand, they see that brand's data only. */
export const BRAND_ROLES = ['brand:admin', 'brand:write', 'brand:read'] as const;
/** Roles the operator issues to keys of no brand: they see a brand's data only through its grants. */
export const GRANTEE_ROLES = ['arbitrator', 'auditor'] as const;
export const ROLES = [...BRAND_ROLES, ...GRANTEE_ROLES] as const;

export type BrandRole = (typeof BRAND_ROLES)[number];
export type GranteeRole = (typeof GRANTEE_ROLES)[number];
export type Role = BrandRole | GranteeRole;

/** A brand key created without roles writes and reads orders; administering the brand is asked for. */
export const DEFAULT_API_KEY_ROLES: readonly BrandRole[] = ['brand:write', 'brand:read'];

export function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}

export function isBrandRole(name: string): name is BrandRole {
  return (BRAND_ROLES as readonly string[]).includes(name);
}

export function isGranteeRole(name: string): name is GranteeRole {
  return (GRANTEE_ROLES as readonly string[]).includes(name);
}

/** The names as roles, or DomainError UNKNOWN_ROLE naming the valid ones. */
export function parseRoles(names: readonly string[]): Role[] {
  const unknown = names.filter((name) => !isRole(name));
  if (unknown.length > 0) {
    throw new DomainError(ErrorCode.UNKNOWN_ROLE, `Unknown role ${unknown.join(', ')}; valid roles are ${ROLES.join(', ')}`, {
      errors: [{ field: 'roles', message: `unknown role ${unknown.join(', ')}` }],
      unknownRoles: unknown,
      validRoles: [...ROLES],
    });
  }
  return names as Role[];
}
