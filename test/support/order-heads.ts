/**
 * What the write planner's unit tests start from: a cipher under a fresh data key, and an order
 * head as the lock query would return it (order SO-1 of brand acme, paid, two events).
 */
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../server/config/app-config';
import type { OrderHead } from '../../server/orders/order-commands';
import { SealedFieldCipher } from '../../server/orders/sealed-field-cipher';

export function testCipher(): SealedFieldCipher {
  return new SealedFieldCipher({ dataKey: { key: randomBytes(32), previousKeys: [], keyFile: null, notices: [] } } as unknown as AppConfig);
}

export const HEAD_BRAND = { id: '00000000-0000-4000-8000-000000000001', slug: 'acme' };

export function lockedHead(overrides: Partial<OrderHead> = {}): OrderHead {
  return {
    id: 'ord_00000000000000000000000001',
    brandId: HEAD_BRAND.id,
    brandSlug: HEAD_BRAND.slug,
    reference: 'SO-1',
    lastSeq: 2,
    lastLeaf: `0x${'ab'.repeat(32)}`,
    status: 'paid',
    data: {},
    createdAt: new Date('2026-11-01T00:00:00Z'),
    updatedAt: new Date('2026-11-01T00:00:00Z'),
    wrappedKey: null,
    keyAdded: false,
    erasedAt: null,
    pendingRequests: [],
    isNew: false,
    dirty: false,
    ...overrides,
  };
}
