/**
 * Bundles built with the proof core alone, and an in-memory chain that holds their batch roots the
 * way OrderAnchor does (root per batch, a receipt with the Anchored log). For fast tests of what is
 * shown and checked; tests against a real node use test/support/chain.ts.
 */
import {
  ANCHORED_TOPIC,
  type Bundle,
  type BundleEvent,
  type ChainReader,
  commitment,
  type EventRecord,
  type EventType,
  GENESIS_PREV,
  type Hex,
  type JsonValue,
  leafHash,
  MerkleTree,
  type TxReceipt,
  uintWord,
  ZERO32,
} from '../../proof';

export const TEST_CONTRACT: Hex = `0x${'c0'.repeat(20)}`;
export const TEST_CHAIN_ID = 31337;
/**
 * Time of block 0 of the in-memory chain (seconds): the day after the test records were recorded,
 * so that anchoring is neither before recording nor later than the default 24 h allowed.
 */
export const TEST_CHAIN_EPOCH = Date.UTC(2026, 10, 25) / 1000;

export interface TestEventSpec {
  type: EventType;
  data?: { [key: string]: JsonValue };
  /** Private fields: sealed in the record; disclosed in the bundle when named in `disclose`. */
  sealed?: { [name: string]: JsonValue };
  disclose?: string[];
}

export interface TestBundleSpec {
  order?: string;
  brand?: string;
  events: TestEventSpec[];
  /** Event indexes per anchored batch (batch seq = position + 1); events in none are not yet anchored. */
  batches: number[][];
}

/** Deterministic salt per field, so a bundle built twice is byte-identical. */
function saltFor(index: number, name: string): Hex {
  let hex = '';
  for (const ch of `${index}:${name}`) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return `0x${hex.padEnd(64, 'a').slice(0, 64)}`;
}

function hashOf(prefix: string, n: number): Hex {
  return `0x${prefix}${n.toString(16).padStart(64 - prefix.length, '0')}` as Hex;
}

export class InMemoryChain implements ChainReader {
  readonly roots = new Map<number, Hex>();
  readonly receipts = new Map<string, TxReceipt>();
  readonly blockTimes = new Map<number, number>();
  head = 0;

  getChainId(): Promise<number> {
    return Promise.resolve(TEST_CHAIN_ID);
  }
  getBlockNumber(): Promise<number> {
    return Promise.resolve(this.head);
  }
  getBatchRoot(_contract: Hex, seq: number): Promise<Hex> {
    return Promise.resolve(this.roots.get(seq) ?? ZERO32);
  }
  getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null> {
    return Promise.resolve(this.receipts.get(txHash.toLowerCase()) ?? null);
  }
  getBlockTimestamp(blockNumber: number): Promise<number> {
    return Promise.resolve(this.blockTimes.get(blockNumber) ?? 0);
  }

  /** Anchors a root in a new block, as OrderAnchor.anchor would; returns where. */
  anchor(batch: number, root: Hex, leafCount: number): { txHash: Hex; blockNumber: number; blockHash: Hex } {
    this.head += 1;
    const blockNumber = this.head;
    const txHash = hashOf('7e', blockNumber);
    const blockHash = hashOf('b1', blockNumber);
    this.roots.set(batch, root);
    this.blockTimes.set(blockNumber, TEST_CHAIN_EPOCH + blockNumber * 12);
    this.receipts.set(txHash, {
      status: 1,
      blockNumber,
      blockHash,
      logs: [{ address: TEST_CONTRACT, topics: [ANCHORED_TOPIC, uintWord(batch), root], data: uintWord(leafCount) }],
    });
    return { txHash, blockNumber, blockHash };
  }
}

export function buildTestBundle(spec: TestBundleSpec): { bundle: Bundle; chain: InMemoryChain } {
  const order = spec.order ?? 'ord_test';
  const brand = spec.brand ?? 'acme';
  const events: BundleEvent[] = [];
  let prev: Hex = GENESIS_PREV;
  spec.events.forEach((e, i) => {
    const sealed: { [name: string]: Hex } = {};
    const disclosed: NonNullable<BundleEvent['disclosed']> = {};
    for (const [name, value] of Object.entries(e.sealed ?? {})) {
      sealed[name] = commitment(name, value, saltFor(i, name));
      if (e.disclose?.includes(name)) disclosed[name] = { value, salt: saltFor(i, name) };
    }
    const record: EventRecord = {
      v: 1,
      brand,
      order,
      seq: i + 1,
      type: e.type,
      at: new Date(Date.UTC(2026, 10, 24, 10, i)).toISOString(),
      recorded: new Date(Date.UTC(2026, 10, 24, 10, i, 2)).toISOString(),
      data: e.data ?? {},
      sealed,
      prev,
    };
    const leaf = leafHash(record);
    prev = leaf;
    events.push({ record, leaf, anchor: null, ...(Object.keys(disclosed).length > 0 ? { disclosed } : {}) });
  });
  const chain = new InMemoryChain();
  spec.batches.forEach((members, position) => {
    const batch = position + 1;
    // Another order's leaf beside ours, as in a real batch.
    const leaves = [...members.map((i) => events[i].leaf), hashOf('0f', batch)];
    const tree = MerkleTree.build(leaves);
    const at = chain.anchor(batch, tree.root, leaves.length);
    members.forEach((eventIndex, leafIndex) => {
      events[eventIndex].anchor = { batch, root: tree.root, proof: tree.proof(leafIndex), ...at };
    });
  });
  return {
    bundle: { format: 'ordertrace-bundle/1', chain: { chainId: TEST_CHAIN_ID, contract: TEST_CONTRACT }, order, brand, events },
    chain,
  };
}
