/**
 * What bare `pg` does with the same tables on the same PostgreSQL, measured in the same run as the
 * service: the ceilings ordertrace's ingest is compared with. Durable: every transaction is
 * committed with the server's default synchronous_commit.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

/** A record of the size ordertrace stores for a typical lifecycle event. */
function sampleRecord(orderId: string, seq: number): string {
  return JSON.stringify({
    at: '2026-11-24T10:15:00.000Z',
    brand: 'acme',
    data: { carrier: 'DHL', parcels: 2, service: 'express', trackingNo: 'JD014600004512', weightKg: 3.25 },
    order: orderId,
    prev: `0x${'ab'.repeat(32)}`,
    recorded: '2026-11-24T10:15:02.113Z',
    sealed: { address: `0x${'cd'.repeat(32)}`, recipientName: `0x${'ef'.repeat(32)}` },
    seq,
    type: 'in_transit',
    v: 1,
  });
}

/** Orders to write to, created directly (one brand). */
export async function seedBaselineOrders(url: string, count: number): Promise<string[]> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const brandId = (
      await pool.query<{ id: string }>(`INSERT INTO brands (id, slug, name) VALUES (gen_random_uuid(), 'raw', 'Raw') RETURNING id`)
    ).rows[0].id;
    const ids = Array.from({ length: count }, (_, i) => `ord_RAW${String(i).padStart(23, '0')}`);
    await pool.query(
      `INSERT INTO orders (id, brand_id, reference, status, last_seq, last_leaf)
       SELECT id, $2, id, 'shipped', 1, NULL FROM unnest($1::text[]) AS id`,
      [ids, brandId],
    );
    return ids;
  } finally {
    await pool.end();
  }
}

/**
 * One transaction per event, `inFlight` at once over a pool of `poolSize` connections: lock and
 * advance the order head, insert the event, commit — the per-event floor of a design without group
 * commit. Events per second.
 */
export async function rawPerEventTransactions(
  url: string,
  orders: string[],
  opts: { inFlight: number; poolSize: number; seconds: number },
): Promise<number> {
  const pool = new Pool({ connectionString: url, max: opts.poolSize });
  let done = 0;
  let position = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.inFlight }, async (_, worker) => {
        for (let n = worker; performance.now() < deadline; n += opts.inFlight) {
          const orderId = orders[n % orders.length];
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const head = await client.query<{ last_seq: number }>(
              `UPDATE orders SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq, last_leaf`,
              [orderId],
            );
            const seq = head.rows[0].last_seq;
            await client.query(
              `INSERT INTO events (order_id, seq, type, record, leaf, batch_seq, batch_index, created_at)
               VALUES ($1, $2, 'in_transit', $3, $4, 0, $5, now())`,
              [orderId, seq, sampleRecord(orderId, seq), `0x${randomBytes(32).toString('hex')}`, position++],
            );
            await client.query('COMMIT');
            done++;
          } finally {
            client.release();
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return done / ((performance.now() - started) / 1000);
}

/** Multi-row INSERTs of `rowsPerStatement` events each, one transaction per statement. Rows per second. */
export async function rawMultiRowInserts(
  url: string,
  orders: string[],
  opts: { rowsPerStatement: number; seconds: number },
): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  let rows = 0;
  let position = 1_000_000_000;
  const deadline = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  try {
    for (let round = 0; performance.now() < deadline; round++) {
      const orderIds: string[] = [];
      const seqs: number[] = [];
      const records: string[] = [];
      const leaves: string[] = [];
      const positions: number[] = [];
      for (let i = 0; i < opts.rowsPerStatement; i++) {
        const orderId = orders[i % orders.length];
        const seq = 1_000_000 + round * opts.rowsPerStatement + i;
        orderIds.push(orderId);
        seqs.push(seq);
        records.push(sampleRecord(orderId, seq));
        leaves.push(`0x${randomBytes(32).toString('hex')}`);
        positions.push(position++);
      }
      await pool.query(
        `INSERT INTO events (order_id, seq, type, record, leaf, batch_seq, batch_index, created_at)
         SELECT o, s, 'in_transit', r, l, 0, p, now() FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[]) AS x(o, s, r, l, p)`,
        [orderIds, seqs, records, leaves, positions],
      );
      rows += opts.rowsPerStatement;
    }
  } finally {
    await pool.end();
  }
  return rows / ((performance.now() - started) / 1000);
}
