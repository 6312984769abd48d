import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { ACCESS_KEY, type AccessRule } from './access.decorator';
import { API_KEY_PREFIX, bearerToken, secretDigest, secretMatches } from './api-key-secret';
import { ApiKeyCacheService } from './api-key-cache.service';
import type { ApiKeyLookup } from './api-keys.repository';
import { type AuthenticatedRequest, OPERATOR_CALLER } from './brand-principal';
import type { Role } from './roles';

/**
 * Installed for every route (APP_GUARD): admits the callers the route's `@Access(…)` names and
 * attaches them to the request. Routes without a declaration are refused (and the service does
 * not start with one: AccessDeclarationCheck). Works from memory on the hot path: keys come from
 * ApiKeyCacheService, and grants are checked by the services that read a brand's orders.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Digests of the admin and metrics tokens, by token: hashed once, not on every request that sends one. */
  private readonly configuredDigests = new Map<string, Buffer>();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyCacheService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (rule === undefined) throw new DomainError(ErrorCode.FORBIDDEN, 'This route declares no access');
    if (rule.public) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    const { operator: operatorAllowed, keyRoles } = rule;
    const admin = this.config.admin.adminToken;
    const metricsToken = rule.metrics ? this.config.admin.metricsToken : null;
    if (keyRoles.length === 0 && admin === null && metricsToken === null) {
      throw new DomainError(ErrorCode.ADMIN_API_DISABLED, 'Set ORDERTRACE_ADMIN_TOKEN to use the admin API');
    }
    if (token === null) throw new DomainError(ErrorCode.UNAUTHENTICATED, `Send ${credentialOf(rule)} as \`Authorization: Bearer <token>\``);
    // API keys are recognisable by their prefix, so a key costs no comparison with the admin token.
    const key = token.startsWith(API_KEY_PREFIX) ? await this.apiKeys.findBySecret(token) : null;
    if (key === null) {
      // The metrics token opens the routes that name it and nothing else.
      if (metricsToken !== null && secretMatches(token, this.digestOf(metricsToken))) return true;
      if (admin === null || !secretMatches(token, this.digestOf(admin))) {
        throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is unknown, revoked or expired');
      }
      if (!operatorAllowed) throw forbidden(keyRoles, 'The admin token does not open this route');
      req.caller = OPERATOR_CALLER;
      return true;
    }
    const now = Date.now();
    if (!isLive(key, now)) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is unknown, revoked or expired');
    if (!keyRoles.some((role) => key.roles.includes(role))) throw forbidden(keyRoles, 'The API key lacks the role');
    const roles = key.roles as Role[];
    req.caller = { kind: 'key', keyId: key.keyId, brandId: key.brandId, brandSlug: key.brandSlug, roles };
    if (key.brandId !== null && key.brandSlug !== null) {
      req.brandPrincipal = { brandId: key.brandId, brandSlug: key.brandSlug, keyId: key.keyId, roles };
    }
    this.apiKeys.noteUse(key.keyId, now);
    return true;
  }

  private digestOf(configured: string): Buffer {
    let digest = this.configuredDigests.get(configured);
    if (digest === undefined) this.configuredDigests.set(configured, (digest = secretDigest(configured)));
    return digest;
  }
}

function isLive(key: ApiKeyLookup, now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now);
}

function credentialOf(rule: AccessRule & { public: false }): string {
  const keys = rule.keyRoles.length > 0;
  const tokens = [rule.operator ? 'the admin token' : null, rule.metrics ? 'the metrics token' : null, keys ? 'an API key' : null];
  return tokens.filter((t) => t !== null).join(' or ');
}

function forbidden(keyRoles: readonly Role[], why: string): DomainError {
  const needed = keyRoles.length === 0 ? 'the admin token' : `an API key with role ${keyRoles.join(' or ')}`;
  return new DomainError(ErrorCode.FORBIDDEN, `${why}: it needs ${needed}`, { requiredRoles: keyRoles });
}
