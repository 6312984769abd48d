import { Header } from '@nestjs/common';
import { HEADERS_METADATA, PATH_METADATA } from '@nestjs/common/constants';

const CACHE_CONTROL = 'Cache-Control';
export const NO_STORE = 'no-store';

function setsCacheControl(handler: object): boolean {
  const headers = (Reflect.getMetadata(HEADERS_METADATA, handler) as { name: string }[] | undefined) ?? [];
  return headers.some((h) => h.name.toLowerCase() === 'cache-control');
}

/**
 * `Cache-Control: no-store` on responses that hold secrets or personal data (API keys, orders,
 * sealed values, capability links), so neither browsers nor shared caches keep them. On a
 * controller it covers every route of it that does not set its own Cache-Control; on a route, that
 * route. Error responses are no-store already (sendProblem).
 */
export function NoStore(): ClassDecorator & MethodDecorator {
  const header = Header(CACHE_CONTROL, NO_STORE);
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (key !== undefined && descriptor !== undefined) return header(target, key, descriptor);
    const proto = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const route = Object.getOwnPropertyDescriptor(proto, name);
      const handler = route?.value as object | undefined;
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (!setsCacheControl(handler)) header(proto, name, route!);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}
