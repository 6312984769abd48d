import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { AuthenticatedRequest } from './brand-principal';

/**
 * Admits only callers AccessGuard found to be one brand's key. AccessGuard decides every route
 * from its `@Access(…)`; this extra check suits routes that read `@CurrentBrand()` while their
 * declaration also names callers of no brand.
 */
@Injectable()
export class BrandAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<AuthenticatedRequest>().brandPrincipal === undefined) {
      throw new DomainError(ErrorCode.FORBIDDEN, "This route needs one of a brand's own API keys");
    }
    return true;
  }
}
