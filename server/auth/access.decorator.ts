import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from './roles';

/** Who may call a route: the operator (admin token), the metrics token (METRICS_TOKEN), or API keys holding any one of the roles. */
export type Accessor = Role | 'operator' | 'metrics';

export type AccessRule =
  | { readonly public: true }
  | {
      readonly public: false;
      readonly allowed: readonly Accessor[];
      /** Split once here, so that the guard allocates nothing per request. */
      readonly operator: boolean;
      readonly metrics: boolean;
      readonly keyRoles: readonly Role[];
    };

export const ACCESS_KEY = 'ordertrace:access';
/** The OpenAPI extension naming a route's accessors (`public` for open routes), read by the role matrix test. */
export const ACCESS_EXTENSION = 'x-access';

function declare(rule: AccessRule): MethodDecorator & ClassDecorator {
  const accessors = rule.public ? ['public'] : [...rule.allowed];
  const schemes = rule.public
    ? []
    : [
        ...(rule.operator ? [ApiBearerAuth('admin-token')] : []),
        ...(rule.metrics ? [ApiBearerAuth('metrics-token')] : []),
        ...(rule.keyRoles.length > 0 ? [ApiBearerAuth('api-key')] : []),
      ];
  return applyDecorators(SetMetadata(ACCESS_KEY, rule), ApiExtension(ACCESS_EXTENSION, accessors), ...schemes);
}

/**
 * The one access declaration of a route (on the handler, or on its controller for all of its
 * routes): AccessGuard, installed for every route, refuses callers it does not name, and the
 * service does not start while a route has none.
 */
export function Access(...allowed: [Accessor, ...Accessor[]]): MethodDecorator & ClassDecorator {
  return declare(keyRule(allowed));
}

function keyRule(allowed: readonly Accessor[]): AccessRule {
  return {
    public: false,
    allowed,
    operator: allowed.includes('operator'),
    metrics: allowed.includes('metrics'),
    keyRoles: allowed.filter((a): a is Role => a !== 'operator' && a !== 'metrics'),
  };
}

/** Open to anyone, credentials or not. */
Access.public = (): MethodDecorator & ClassDecorator => declare({ public: true });

/** The operator's admin token only. */
Access.operator = (): MethodDecorator & ClassDecorator => declare(keyRule(['operator']));
