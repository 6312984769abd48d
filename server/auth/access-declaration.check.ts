import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule } from './access.decorator';

/**
 * Refuses to start the service while any route lacks its `@Access(…)` declaration, so a new
 * route cannot ship open by mistake (AccessGuard would refuse its every call anyway).
 */
@Injectable()
export class AccessDeclarationCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = undeclaredRoutes(this.discovery, this.scanner, this.reflector);
    if (undeclared.length > 0) {
      throw new Error(`Routes without an @Access declaration: ${undeclared.join(', ')}`);
    }
  }
}

/** `Controller.method` of every route handler with no access rule on it or its controller. */
export function undeclaredRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): string[] {
  const out: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined)
        continue;
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler as () => void, controller]);
      if (rule === undefined) out.push(`${controller.name}.${name}`);
    }
  }
  return out;
}
