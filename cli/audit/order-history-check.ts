/**
 * Audit of events as stored, one order at a time in (order_id, seq) order: each record against its
 * leaf and columns, and each order's hash chain. Holds only the previous event, so it runs in
 * constant memory over any number of events.
 */
import type { Hex } from '../../proof/bytes';
import { canonicalJson } from '../../proof/canonical';
import { GENESIS_PREV, leafHashOfCanonical } from '../../proof/hashes';
import { assertEventRecord, type EventRecord } from '../../proof/record';
import type { Discrepancy } from './discrepancy';

export interface StoredEventRow {
  order_id: string;
  seq: number;
  type: string;
  record: string;
  leaf: string;
  brand_slug: string;
  /** The event's batch, named in its discrepancies; null while unbatched. */
  batch_seq: number | null;
  order_last_seq: number | null;
  order_last_leaf: string | null;
}

interface OrderProgress {
  order: string;
  lastSeq: number;
  lastLeaf: string;
  headSeq: number | null;
  headLeaf: string | null;
}

export class OrderHistoryCheck {
  private current: OrderProgress | null = null;
  events = 0;
  orders = 0;

  constructor(private readonly report: (d: Discrepancy) => void) {}

  add(row: StoredEventRow): void {
    if (this.current?.order !== row.order_id) {
      this.finishOrder();
      this.current = {
        order: row.order_id,
        lastSeq: 0,
        lastLeaf: GENESIS_PREV,
        headSeq: row.order_last_seq,
        headLeaf: row.order_last_leaf,
      };
      this.orders++;
    }
    this.events++;
    const order = this.current;
    const at = eventLocation(row);
    const record = this.checkRecord(row);

    if (row.seq !== order.lastSeq + 1) {
      this.report({
        ...at,
        code: 'SEQ_GAP',
        message:
          row.seq <= order.lastSeq
            ? `seq ${row.seq} appears again after seq ${order.lastSeq}`
            : `seq ${order.lastSeq + 1}..${row.seq - 1} missing before seq ${row.seq}`,
      });
    } else if (record && record.prev !== order.lastLeaf) {
      // Compared with the previous *stored* leaf: an edited record is reported once, at its own seq.
      this.report({
        ...at,
        code: 'PREV_MISMATCH',
        message: `prev ${record.prev} is not the leaf of seq ${order.lastSeq} (${order.lastLeaf})`,
      });
    }
    order.lastSeq = Math.max(order.lastSeq, row.seq);
    order.lastLeaf = row.leaf;
  }

  /** Call once after the last row. */
  finish(): void {
    this.finishOrder();
    this.current = null;
  }

  private finishOrder(): void {
    const order = this.current;
    if (!order) return;
    if (order.headSeq !== null && order.headSeq !== order.lastSeq) {
      this.report({
        order: order.order,
        seq: order.lastSeq,
        code: 'ORDER_HEAD_MISMATCH',
        message: `orders.last_seq is ${order.headSeq}, but the last stored event is seq ${order.lastSeq}`,
      });
    } else if (order.headLeaf !== null && order.headLeaf !== order.lastLeaf) {
      this.report({
        order: order.order,
        seq: order.lastSeq,
        code: 'ORDER_HEAD_MISMATCH',
        message: `orders.last_leaf is ${order.headLeaf}, not the leaf of seq ${order.lastSeq}`,
      });
    }
  }

  /** The parsed record when it is usable for the chain check, else null (after reporting why). */
  private checkRecord(row: StoredEventRow): EventRecord | null {
    const at = eventLocation(row);
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.record);
    } catch {
      this.report({ ...at, code: 'RECORD_NOT_JSON', message: 'events.record is not JSON' });
      return null;
    }
    try {
      assertEventRecord(parsed);
    } catch (err) {
      this.report({ ...at, code: 'RECORD_MALFORMED', message: `events.record is not a valid event record: ${(err as Error).message}` });
      return null;
    }
    let leaf: Hex;
    try {
      // leafHash(parsed), with the canonical form computed once for both checks.
      const canonical = canonicalJson(parsed);
      leaf = leafHashOfCanonical(canonical);
      if (canonical !== row.record) {
        this.report({
          ...at,
          code: 'RECORD_NOT_CANONICAL',
          message: 'events.record is not in RFC 8785 canonical form, so it is not the string that was hashed',
        });
      }
    } catch (err) {
      this.report({ ...at, code: 'RECORD_MALFORMED', message: `events.record cannot be canonicalised: ${(err as Error).message}` });
      return null;
    }
    if (leaf !== row.leaf) {
      this.report({ ...at, code: 'LEAF_MISMATCH', message: `the record hashes to ${leaf}, but the stored leaf is ${row.leaf}` });
    }
    const columns: string[] = [];
    if (parsed.order !== row.order_id) columns.push(`order ${JSON.stringify(parsed.order)} (row: ${row.order_id})`);
    if (parsed.seq !== row.seq) columns.push(`seq ${parsed.seq} (row: ${row.seq})`);
    if (parsed.type !== row.type) columns.push(`type ${parsed.type} (row: ${row.type})`);
    if (parsed.brand !== row.brand_slug) columns.push(`brand ${JSON.stringify(parsed.brand)} (order's brand: ${row.brand_slug})`);
    if (columns.length > 0) this.report({ ...at, code: 'RECORD_COLUMN_MISMATCH', message: `the record says ${columns.join(', ')}` });
    return parsed;
  }
}

function eventLocation(row: StoredEventRow): Pick<Discrepancy, 'order' | 'seq' | 'batch'> {
  return row.batch_seq === null ? { order: row.order_id, seq: row.seq } : { order: row.order_id, seq: row.seq, batch: row.batch_seq };
}
