import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { bearerToken } from './api-key-secret';
import { ApiKeyCacheService } from './api-key-cache.service';
import { type AuthenticatedRequest, BRAND_ROLES_KEY, DEFAULT_API_KEY_ROLES } from './brand-principal';

/**
 * Admits requests bearing a live brand API key and attaches the brand as the request's
 * principal; every query downstream is scoped to that brand.
 */
@Injectable()
export class BrandAuthGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeyCacheService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (token === null) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send a brand API key as `Authorization: Bearer <key>`');
    }
    const key = await this.apiKeys.findBySecret(token);
    if (key === null || key.revokedAt !== null) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is unknown or revoked');
    }
    const required =
      this.reflector.getAllAndOverride<string[] | undefined>(BRAND_ROLES_KEY, [context.getHandler(), context.getClass()]) ??
      DEFAULT_API_KEY_ROLES;
    if (!required.some((role) => key.roles.includes(role))) {
      throw new DomainError(ErrorCode.FORBIDDEN, `This route needs an API key with role ${required.join(' or ')}`, {
        requiredRoles: required,
      });
    }
    req.brandPrincipal = { brandId: key.brandId, brandSlug: key.brandSlug, keyId: key.keyId, roles: key.roles };
    return true;
  }
}
