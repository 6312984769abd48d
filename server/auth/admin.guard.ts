import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { HttpRequest } from '../http/http-types';
import { bearerToken, secretsEqual } from './api-key-secret';

/**
 * Admits the operator's admin token (ORDERTRACE_ADMIN_TOKEN or the embedded default's file). Every
 * route is decided by AccessGuard from its `@Access(…)` (here: `@Access.operator()`); this guard
 * only repeats the check for a route that asks for it with `@UseGuards`.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.admin.adminToken;
    if (expected === null) {
      throw new DomainError(ErrorCode.ADMIN_API_DISABLED, 'Set ORDERTRACE_ADMIN_TOKEN to use the admin API');
    }
    const token = bearerToken(context.switchToHttp().getRequest<HttpRequest>().headers.authorization);
    if (token === null || !secretsEqual(token, expected)) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the admin token as `Authorization: Bearer <token>`');
    }
    return true;
  }
}
