import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { HttpRequest } from '../http/http-types';

/** Who is calling: a brand, through one of its API keys. */
export interface BrandPrincipal {
  readonly brandId: string;
  /** The brand's slug, as written into event records. */
  readonly brandSlug: string;
  readonly keyId: string;
  readonly roles: readonly string[];
}

export const DEFAULT_API_KEY_ROLES = ['brand'] as const;

export type AuthenticatedRequest = HttpRequest & { brandPrincipal?: BrandPrincipal };

/** The principal BrandAuthGuard attached to the request. */
export const CurrentBrand = createParamDecorator((_: unknown, ctx: ExecutionContext): BrandPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().brandPrincipal;
  if (!principal) throw new Error('CurrentBrand used on a route without BrandAuthGuard');
  return principal;
});

export const BRAND_ROLES_KEY = 'ordertrace:brand-roles';

/** Roles a key needs for a route (any one of them); routes without it need `brand`. */
export const BrandRoles = (...roles: string[]) => SetMetadata(BRAND_ROLES_KEY, roles);
