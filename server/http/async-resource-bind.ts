import { AsyncResource } from 'node:async_hooks';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Node 20's `AsyncResource#bind` defines deprecated accessors (DEP0172, `bound.asyncResource`) on
 * every function it binds, and building them costs more than everything else Fastify does to read
 * a request body, which it binds once per request. Where that is the case, bind the same way
 * without the deprecated property: the bound function runs in the resource's async scope, with the
 * given `this` or its caller's, exactly as before. Nothing in this service reads `asyncResource`.
 */
export function useLeanAsyncResourceBind(): void {
  const probe = new AsyncResource('ordertrace:probe').bind(() => undefined);
  if (!('asyncResource' in probe)) return;
  function leanBind(this: AsyncResource, fn: AnyFunction, thisArg?: unknown): AnyFunction {
    if (typeof fn !== 'function') throw new TypeError('The "fn" argument must be of type function');
    const runInScope = this.runInAsyncScope.bind(this);
    return function bound(this: unknown, ...args: unknown[]): unknown {
      return runInScope(fn, thisArg === undefined ? this : thisArg, ...args);
    };
  }
  AsyncResource.prototype.bind = leanBind as typeof AsyncResource.prototype.bind;
}
