import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { bearerToken, secretsEqual } from '../auth/api-key-secret';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { HttpRequest } from '../http/http-types';

/** Admits the metrics token (METRICS_TOKEN) or the operator's admin token: the figures describe the whole service. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const accepted = [this.config.admin.metricsToken, this.config.admin.adminToken].filter((t): t is string => t !== null);
    if (accepted.length === 0) {
      throw new DomainError(ErrorCode.ADMIN_API_DISABLED, 'Set METRICS_TOKEN (or ORDERTRACE_ADMIN_TOKEN) to read /metrics');
    }
    const token = bearerToken(context.switchToHttp().getRequest<HttpRequest>().headers.authorization);
    // Every candidate is compared, so the time taken does not tell which one matched.
    const matches = accepted.map((expected) => token !== null && secretsEqual(token, expected));
    if (!matches.includes(true)) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the metrics token or the admin token as `Authorization: Bearer <token>`');
    }
    return true;
  }
}
