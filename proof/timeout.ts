/**
 * The one way a wait is bounded in time: a promise races a timer, and the timer is cleared as
 * soon as the promise settles. The promise itself is not cancelled (calls that take an
 * AbortSignal should get one as well); its late outcome is ignored.
 */
import { ChainUnavailableError } from './errors';

/** `promise`, or a rejection with `onTimeout()` when it has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A chain call bounded in time: no answer within `ms` is ChainUnavailableError. */
export function withChainTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  return withTimeout(promise, ms, () => new ChainUnavailableError(`${what}: no answer from the chain within ${ms} ms`));
}
