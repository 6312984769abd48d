import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { HttpRequest } from '../http/http-types';
import { bearerToken, secretsEqual } from './api-key-secret';
import { BrandAuthGuard } from './brand-auth.guard';

/**
 * For service-wide views that are not one brand's data (batches, anchoring state): the operator's
 * admin token, or any brand API key as BrandAuthGuard admits it.
 */
@Injectable()
export class OperatorOrBrandGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly brandAuth: BrandAuthGuard,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const admin = this.config.admin.adminToken;
    const token = bearerToken(context.switchToHttp().getRequest<HttpRequest>().headers.authorization);
    if (admin !== null && token !== null && secretsEqual(token, admin)) return true;
    return this.brandAuth.canActivate(context);
  }
}
