/**
 * `ordertrace audit --api --key`: the hash chain of every order the key may read (an auditor's
 * grants), through the API: each order's bundle (records, leaves and inclusion proofs, no private
 * value) is checked record by record (OrderHistoryCheck: leaf, seq 1..n, prev), and each anchored
 * leaf's proof must fold to the root of its batch as the public batches audit checked it.
 */
import type { Bundle } from '../../proof/bundle';
import type { Hex } from '../../proof/bytes';
import { canonicalJson } from '../../proof/canonical';
import { verifyProof } from '../../proof/merkle';
import { getApiJson } from '../api-request';
import type { CommandContext } from '../command-context';
import type { Discrepancy, DiscrepancyLog } from './discrepancy';
import { OrderHistoryCheck } from './order-history-check';

const ORDER_PAGE = 200;
/** Bundles fetched at once. */
const CONCURRENCY = 8;

export interface GrantedOrdersSummary {
  orders: number;
  events: number;
  /** Events whose inclusion proof was folded to a checked batch root. */
  anchoredEvents: number;
}

/** An anomaly flag of a checked order, as GET /v1/orders/{id}/flags answers it: a pointer for a risk team, not a discrepancy. */
export interface OrderFlagItem {
  rule: string;
  severity: string;
  order: string;
  seqs: number[];
  explanation: { en: string; 'zh-CN': string };
}

export async function checkGrantedOrders(
  api: string,
  key: string,
  timeoutMs: number,
  /** Batch seq → its root, for every batch whose published leaves folded to that root. */
  checkedRoots: ReadonlyMap<number, Hex>,
  log: DiscrepancyLog,
  ctx: CommandContext,
  /** Collects each checked order's anomaly flags here, when given. */
  flags: OrderFlagItem[] | null = null,
): Promise<GrantedOrdersSummary> {
  const report = (d: Discrepancy) => log.add(d);
  const summary: GrantedOrdersSummary = { orders: 0, events: 0, anchoredEvents: 0 };
  let cursor: string | null = null;
  do {
    const query: string = `limit=${ORDER_PAGE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page: { items: { id: string }[]; nextCursor: string | null } = await getApiJson(`${api}/v1/orders?${query}`, {
      key,
      timeoutMs,
      notFound: `${api}/v1/orders not found: is this an ordertrace API?`,
    });
    for (let i = 0; i < page.items.length; i += CONCURRENCY) {
      const bundles = await Promise.all(
        page.items.slice(i, i + CONCURRENCY).map((order) =>
          getApiJson<Bundle>(`${api}/v1/orders/${encodeURIComponent(order.id)}/bundle`, {
            key,
            timeoutMs,
            notFound: `order ${order.id} is listed but its bundle is not found for this key`,
          }),
        ),
      );
      for (const bundle of bundles) checkBundle(bundle, checkedRoots, report, summary);
      if (flags !== null) {
        const lists = await Promise.all(
          page.items.slice(i, i + CONCURRENCY).map((order) =>
            getApiJson<{ items: OrderFlagItem[] }>(`${api}/v1/orders/${encodeURIComponent(order.id)}/flags`, {
              key,
              timeoutMs,
              notFound: `order ${order.id} is listed but its flags are not found for this key`,
            }),
          ),
        );
        for (const list of lists) flags.push(...list.items);
      }
      ctx.progress.update(
        `orders: ${summary.orders.toLocaleString('en')} checked (${summary.events.toLocaleString('en')} events), ${log.count} discrepancies`,
      );
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  ctx.progress.note(`orders: ${summary.orders.toLocaleString('en')} checked (${summary.events.toLocaleString('en')} events)`);
  return summary;
}

function checkBundle(
  bundle: Bundle,
  checkedRoots: ReadonlyMap<number, Hex>,
  report: (d: Discrepancy) => void,
  summary: GrantedOrdersSummary,
): void {
  summary.orders++;
  const history = new OrderHistoryCheck(report);
  bundle.events.forEach((event, index) => {
    const seq = typeof event.record?.seq === 'number' ? event.record.seq : index + 1;
    summary.events++;
    history.add({
      order_id: bundle.order,
      seq,
      type: typeof event.record?.type === 'string' ? event.record.type : '',
      record: canonicalOrRaw(event.record),
      leaf: event.leaf,
      brand_slug: bundle.brand,
      batch_seq: event.anchor?.batch ?? null,
      order_last_seq: null,
      order_last_leaf: null,
    });
    const anchor = event.anchor;
    if (anchor === null || anchor === undefined) return;
    const at = { order: bundle.order, seq, batch: anchor.batch };
    const root = checkedRoots.get(anchor.batch);
    if (root === undefined) {
      report({
        ...at,
        code: 'PROOF_MISMATCH',
        message: `the event is anchored in batch ${anchor.batch}, which is not among the checked batches`,
      });
    } else if (!verifyProof(event.leaf, anchor.proof, root)) {
      report({
        ...at,
        code: 'PROOF_MISMATCH',
        message: `the leaf's inclusion proof does not fold to batch ${anchor.batch}'s checked root ${root}`,
      });
    } else {
      summary.anchoredEvents++;
    }
  });
  history.finish();
}

/** The record as the string OrderHistoryCheck parses; what cannot be canonicalised is passed on to be reported there. */
function canonicalOrRaw(record: unknown): string {
  try {
    return canonicalJson(record);
  } catch {
    return JSON.stringify(record) ?? 'null';
  }
}
