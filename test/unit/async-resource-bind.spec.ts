import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { useLeanAsyncResourceBind } from '../../server/http/async-resource-bind';

describe('useLeanAsyncResourceBind', () => {
  beforeAll(() => useLeanAsyncResourceBind());

  it('binds without the deprecated asyncResource accessor', () => {
    const bound = new AsyncResource('test').bind(() => 1);
    expect('asyncResource' in bound).toBe(false);
    expect(bound()).toBe(1);
  });

  it("runs the function in the resource's async context, with its arguments and this", () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('inside', () => new AsyncResource('test'));
    const bound = resource.bind(function (this: unknown, a: number, b: number) {
      return { store: storage.getStore(), self: this, sum: a + b };
    });
    const self = { name: 'caller' };
    const result = storage.run('outside', () => bound.call(self, 2, 3));
    expect(result).toEqual({ store: 'inside', self, sum: 5 });
    // The static form passes a fixed `this` through the same method.
    const fixedThis = { name: 'fixed' };
    const fixed = AsyncResource.bind(
      function (this: unknown) {
        return this;
      },
      'test',
      fixedThis,
    );
    expect(fixed.call(self)).toBe(fixedThis);
  });

  it('refuses what is not a function, as Node does', () => {
    expect(() => new AsyncResource('test').bind('nope' as unknown as () => void)).toThrow(TypeError);
  });
});
