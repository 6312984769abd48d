/**
 * Events stored the way the order writer stores them (OrdersRepository.writeGroup, batch
 * positions included), for tests that need many events without going through HTTP.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SqlExecutor } from '../../server/database/sql-executor';
import type { GroupWrites, OrderHead } from '../../server/orders/order-commands';
import { OrdersRepository } from '../../server/orders/orders.repository';

/**
 * The positions the ingest head hands out, as a model to check the SQL against: the open batch's
 * until it holds `maxEvents`, then the next batch's from 0.
 */
export function modelBatchPositions(
  head: { openBatch: number; nextIndex: number },
  count: number,
  maxEvents: number,
): { positions: { batch: number; index: number }[]; next: { openBatch: number; nextIndex: number } } {
  let batch = head.openBatch;
  let index = head.nextIndex;
  const positions: { batch: number; index: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (index >= maxEvents) {
      batch += 1;
      index = 0;
    }
    positions.push({ batch, index });
    index += 1;
  }
  return { positions, next: { openBatch: batch, nextIndex: index } };
}

/** A new order `orderId` of the first brand with `count` placeholder events created at `createdAt`, in one group. */
export async function writeTestEvents(
  dataSource: DataSource,
  opts: { orderId: string; count: number; createdAt: Date; batchMaxEvents: number },
): Promise<void> {
  await new SqlExecutor(dataSource).transaction(async (session) => {
    const {
      rows: [brand],
    } = await session.query<{ id: string; slug: string }>(`SELECT id::text AS id, slug FROM brands ORDER BY slug LIMIT 1`);
    const order: OrderHead = {
      id: opts.orderId,
      brandId: brand.id,
      brandSlug: brand.slug,
      reference: opts.orderId,
      lastSeq: opts.count,
      lastLeaf: null,
      status: 'created',
      data: {},
      createdAt: opts.createdAt,
      updatedAt: opts.createdAt,
      wrappedKey: null,
      keyAdded: false,
      erasedAt: null,
      pendingRequests: [],
      isNew: true,
      dirty: true,
    };
    const writes: GroupWrites = {
      newOrders: [order],
      changedHeads: [],
      events: Array.from({ length: opts.count }, (_, i) => ({
        built: {
          record: {} as never,
          row: {
            orderId: opts.orderId,
            seq: i + 1,
            type: 'created',
            record: '{}',
            leaf: `0x${createHash('sha256')
              .update(`${opts.orderId}:${i + 1}`)
              .digest('hex')}`,
            sealedPrivate: null,
            createdAt: opts.createdAt,
          },
        },
      })),
    };
    new OrdersRepository(dataSource).writeGroup(session, writes, opts.batchMaxEvents);
  });
}
