/** The one helper that bounds a wait in time, on jest's clock: no test here waits for real time. */
import { ChainUnavailableError, ProofError } from '../../proof/errors';
import { withChainTimeout, withTimeout } from '../../proof/timeout';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** Records how a promise settled, so the test can look at it between clock steps. */
function observe<T>(promise: Promise<T>): { outcome: { value: T } | { error: unknown } | 'pending' } {
  const seen: { outcome: { value: T } | { error: unknown } | 'pending' } = { outcome: 'pending' };
  promise.then(
    (value) => (seen.outcome = { value }),
    (error: unknown) => (seen.outcome = { error }),
  );
  return seen;
}

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes an answer in time through, and leaves no timer behind', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, () => new Error('late'))).resolves.toBe(7);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes a failure in time through unchanged', async () => {
    const failure = new Error('refused');
    await expect(withTimeout(Promise.reject(failure), 1_000, () => new Error('late'))).rejects.toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with what onTimeout returns once the time is up, and not a moment before', async () => {
    const late = new Error('late');
    const seen = observe(withTimeout(never<number>(), 1_000, () => late));
    await jest.advanceTimersByTimeAsync(999);
    expect(seen.outcome).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(seen.outcome).toEqual({ error: late });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ignores an answer that comes after the time is up', async () => {
    let answer: (value: number) => void = () => undefined;
    const seen = observe(withTimeout(new Promise<number>((resolve) => (answer = resolve)), 100, () => new Error('late')));
    await jest.advanceTimersByTimeAsync(100);
    answer(1);
    await Promise.resolve();
    expect(seen.outcome).toEqual({ error: new Error('late') });
  });
});

describe('withChainTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is ChainUnavailableError, a ProofError with code CHAIN_UNAVAILABLE, naming the call and the limit', async () => {
    const seen = observe(withChainTimeout('eth_blockNumber', never<number>(), 250));
    await jest.advanceTimersByTimeAsync(250);
    const { error } = seen.outcome as { error: unknown };
    expect(error).toBeInstanceOf(ChainUnavailableError);
    expect(error).toBeInstanceOf(ProofError);
    expect(error).toMatchObject({ code: 'CHAIN_UNAVAILABLE', name: 'ChainUnavailableError' });
    expect((error as Error).message).toBe('eth_blockNumber: no answer from the chain within 250 ms');
  });

  it('passes an answer in time through', async () => {
    await expect(withChainTimeout('eth_chainId', Promise.resolve(31337), 250)).resolves.toBe(31337);
  });
});
