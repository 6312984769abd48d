import { ALLOWED_NEXT, EXPECTED_NEXT, expectedNext, ORDER_STATUSES, statusAfter } from '../../proof/order-lifecycle';

describe('order lifecycle', () => {
  it('expects next only a step the state machine allows', () => {
    for (const status of ORDER_STATUSES) {
      const next = EXPECTED_NEXT[status];
      if (next !== null) expect(ALLOWED_NEXT[status]).toContain(next);
    }
  });

  it('expects nothing of a state nothing may follow', () => {
    for (const status of ORDER_STATUSES) if (ALLOWED_NEXT[status].length === 0) expect(EXPECTED_NEXT[status]).toBeNull();
  });

  it('puts an order in the state of its last state-changing event', () => {
    expect(statusAfter([])).toBeNull();
    expect(statusAfter(['created', 'paid', 'address_changed'])).toBe('paid');
    expect(statusAfter(['created', null, 'no-such-type'])).toBe('created');
    expect(statusAfter(['address_changed'])).toBeNull();
  });

  it('walks the usual way from order to receipt', () => {
    const history: string[] = ['created'];
    for (let next = expectedNext(history); next !== null && history.length < 20; next = expectedNext(history)) history.push(next);
    expect(history).toEqual(['created', 'paid', 'packed', 'shipped', 'delivered', 'received']);
  });

  it('expects a refund of a cancelled order only if it was paid', () => {
    expect(expectedNext(['created', 'cancelled'])).toBeNull();
    expect(expectedNext(['created', 'paid', 'cancelled'])).toBe('refunded');
    expect(expectedNext(['created', 'paid', 'cancelled', 'refunded'])).toBeNull();
  });
});
