/**
 * The audit's pure checks, row by row: what each kind of stored tampering is reported as, and that
 * each report names exactly the order/seq or batch concerned.
 */
import { BatchCheck, type StoredBatch, type StoredBatchLeafRow } from '../../cli/audit/batch-check';
import type { Discrepancy } from '../../cli/audit/discrepancy';
import { DiscrepancyLog } from '../../cli/audit/discrepancy';
import { OrderHistoryCheck, type StoredEventRow } from '../../cli/audit/order-history-check';
import { canonicalJson, type EventRecord, GENESIS_PREV, type Hex, leafHash, MerkleTree, randomSalt } from '../../proof';

function orderRows(order: string, count: number, brand = 'acme'): StoredEventRow[] {
  const rows: StoredEventRow[] = [];
  let prev: Hex = GENESIS_PREV;
  const types = ['created', 'paid', 'packed', 'shipped', 'delivered'] as const;
  for (let seq = 1; seq <= count; seq++) {
    const record: EventRecord = {
      v: 1,
      brand,
      order,
      seq,
      type: types[(seq - 1) % types.length],
      at: '2026-11-24T10:00:00.000Z',
      recorded: '2026-11-24T10:00:01.000Z',
      data: { n: seq, note: 'ok' },
      sealed: {},
      prev,
    };
    const leaf = leafHash(record);
    rows.push({
      order_id: order,
      seq,
      type: record.type,
      record: canonicalJson(record),
      leaf,
      brand_slug: brand,
      batch_seq: seq <= 2 ? 7 : null,
      order_last_seq: count,
      order_last_leaf: null,
    });
    prev = leaf;
  }
  for (const r of rows) r.order_last_leaf = rows[rows.length - 1].leaf;
  return rows;
}

function runHistory(rows: StoredEventRow[]): { found: Discrepancy[]; check: OrderHistoryCheck } {
  const found: Discrepancy[] = [];
  const check = new OrderHistoryCheck((d) => found.push(d));
  rows.forEach((r) => check.add(r));
  check.finish();
  return { found, check };
}

describe(OrderHistoryCheck.name, () => {
  const clean = () => [...orderRows('ord_a', 5), ...orderRows('ord_b', 3, 'beta')];

  it('finds nothing in untouched orders and counts them', () => {
    const { found, check } = runHistory(clean());
    expect(found).toEqual([]);
    expect(check.events).toBe(8);
    expect(check.orders).toBe(2);
  });

  it('names exactly the event whose record was edited (canonical edit)', () => {
    const rows = clean();
    rows[2].record = rows[2].record.replace('"note":"ok"', '"note":"ko"');
    expect(runHistory(rows).found).toEqual([
      { order: 'ord_a', seq: 3, code: 'LEAF_MISMATCH', message: expect.stringContaining('stored leaf') },
    ]);
  });

  it("names the event's batch when it has one", () => {
    const rows = clean();
    rows[1].record = rows[1].record.replace('"note":"ok"', '"note":"ko"');
    expect(runHistory(rows).found).toEqual([expect.objectContaining({ order: 'ord_a', seq: 2, batch: 7, code: 'LEAF_MISMATCH' })]);
  });

  it('reports a record that is no longer canonical, at its own seq only', () => {
    const rows = clean();
    rows[1].record = JSON.stringify(JSON.parse(rows[1].record), null, 1);
    const found = runHistory(rows).found;
    expect(found.map((d) => [d.order, d.seq, d.code])).toEqual([['ord_a', 2, 'RECORD_NOT_CANONICAL']]);
  });

  it('reports an edited leaf at its own seq and the broken link at the next', () => {
    const rows = clean();
    rows[1].leaf = randomSalt();
    const found = runHistory(rows).found;
    expect(found.map((d) => [d.order, d.seq, d.code])).toEqual([
      ['ord_a', 2, 'LEAF_MISMATCH'],
      ['ord_a', 3, 'PREV_MISMATCH'],
    ]);
  });

  it('reports a deleted middle event as a gap, and a deleted last event against the order head', () => {
    const rows = clean();
    rows.splice(2, 1); // ord_a seq 3
    rows.splice(rows.length - 1, 1); // ord_b seq 3
    const found = runHistory(rows).found;
    expect(found.map((d) => [d.order, d.seq, d.code])).toEqual([
      ['ord_a', 4, 'SEQ_GAP'],
      ['ord_b', 2, 'ORDER_HEAD_MISMATCH'],
    ]);
  });

  it('reports records that are not JSON or not event records', () => {
    const rows = clean();
    rows[0].record = '{"v":1,';
    rows[5].record = '{"v":2}';
    const found = runHistory(rows).found;
    expect(found.map((d) => [d.order, d.seq, d.code])).toEqual([
      ['ord_a', 1, 'RECORD_NOT_JSON'],
      ['ord_b', 1, 'RECORD_MALFORMED'],
    ]);
  });

  it('reports a record whose columns or brand disagree with the row', () => {
    const rows = clean();
    rows[3].type = 'cancelled';
    rows[6].brand_slug = 'gamma';
    const found = runHistory(rows).found;
    expect(found.map((d) => [d.order, d.seq, d.code])).toEqual([
      ['ord_a', 4, 'RECORD_COLUMN_MISMATCH'],
      ['ord_b', 2, 'RECORD_COLUMN_MISMATCH'],
    ]);
  });
});

function batchRows(seq: number, leaves: Hex[], root?: string): StoredBatchLeafRow[] {
  const actualRoot = root ?? MerkleTree.build(leaves).root;
  return leaves.map((leaf, i) => ({
    batch_seq: seq,
    root: actualRoot,
    leaf_count: leaves.length,
    status: 'confirmed',
    contract: null,
    chain_id: null,
    batch_index: i,
    leaf,
  }));
}

function runBatches(rows: StoredBatchLeafRow[]): { found: Discrepancy[]; batches: StoredBatch[] } {
  const found: Discrepancy[] = [];
  const batches: StoredBatch[] = [];
  const check = new BatchCheck(
    (d) => found.push(d),
    (b) => batches.push(b),
  );
  rows.forEach((r) => check.add(r));
  check.finish();
  return { found, batches };
}

describe(BatchCheck.name, () => {
  const leaves = (n: number) => Array.from({ length: n }, () => randomSalt());

  it('accepts batches whose roots match their leaves, and hands each on for the chain check', () => {
    const { found, batches } = runBatches([...batchRows(1, leaves(7)), ...batchRows(2, leaves(1)), ...batchRows(3, leaves(2))]);
    expect(found).toEqual([]);
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3]);
  });

  it('names the batch whose stored root was edited', () => {
    const { found } = runBatches([...batchRows(1, leaves(4)), ...batchRows(2, leaves(5), randomSalt()), ...batchRows(3, leaves(3))]);
    expect(found.map((d) => [d.batch, d.code])).toEqual([[2, 'BATCH_ROOT_MISMATCH']]);
  });

  it('reports missing, extra and misplaced events of a batch', () => {
    const missing = batchRows(1, leaves(4));
    missing.splice(1, 1);
    const moved = batchRows(2, leaves(3));
    moved[2].batch_index = 5;
    const empty: StoredBatchLeafRow = { ...batchRows(3, leaves(2))[0], batch_index: null, leaf: null };
    const { found, batches } = runBatches([...missing, ...moved, empty]);
    expect(found.map((d) => [d.batch, d.code])).toEqual([
      [1, 'BATCH_POSITIONS'],
      [1, 'BATCH_ROOT_MISMATCH'],
      [2, 'BATCH_POSITIONS'],
      [3, 'BATCH_POSITIONS'],
    ]);
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3]);
  });
});

describe(DiscrepancyLog.name, () => {
  it('keeps the first entries and counts all', () => {
    const log = new DiscrepancyLog(3);
    for (let i = 0; i < 10; i++) log.add({ code: 'SEQ_GAP', order: 'o', seq: i, message: '' });
    expect(log.count).toBe(10);
    expect(log.kept.map((d) => d.seq)).toEqual([0, 1, 2]);
    expect(log.truncated).toBe(true);
  });
});
