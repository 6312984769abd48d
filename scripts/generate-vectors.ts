/**
 * Generates test/vectors/proof-v1.json (proof specification v1.0) and test/vectors/proof-v1.1.json
 * (the event types v1.1 added): published test vectors, so an outside implementation can check
 * itself. Deterministic: salts and filler leaves derive from fixed labels. Run: `npm run vectors`
 * (writes) or `npm run vectors -- --check` (compares). A published file never changes: a new minor
 * version of the spec gets a file of its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  bytesToHex,
  canonicalJson,
  commitment,
  type EventRecord,
  GENESIS_PREV,
  type Hex,
  type JsonValue,
  keccak256,
  leafHash,
  MerkleTree,
  utf8Bytes,
} from '../proof';

export const VECTORS_PATH = resolve(__dirname, '..', 'test', 'vectors', 'proof-v1.json');
export const VECTORS_V1_1_PATH = resolve(__dirname, '..', 'test', 'vectors', 'proof-v1.1.json');

const label = (s: string): Hex => bytesToHex(keccak256(utf8Bytes(`ordertrace test vector: ${s}`)));

interface SealedInput {
  name: string;
  value: JsonValue;
}

function makeRecord(
  base: Omit<EventRecord, 'sealed' | 'prev' | 'v'>,
  prev: Hex,
  sealed: SealedInput[],
): { record: EventRecord; commitments: { name: string; value: JsonValue; salt: Hex; jcs: string; commitment: Hex }[] } {
  const commitments = sealed.map(({ name, value }) => {
    const salt = label(`salt ${base.order} ${base.seq} ${name}`);
    return { name, value, salt, jcs: canonicalJson({ name, salt, value }), commitment: commitment(name, value, salt) };
  });
  const record: EventRecord = {
    v: 1,
    ...base,
    sealed: Object.fromEntries(commitments.map((c) => [c.name, c.commitment])),
    prev,
  };
  return { record, commitments };
}

export function buildVectors() {
  const order = 'ord_01JDTESTVECTOR0000000000A';
  const chain: ReturnType<typeof makeRecord>[] = [];
  const steps: [Omit<EventRecord, 'sealed' | 'prev' | 'v'>, SealedInput[]][] = [
    [
      {
        brand: 'acme',
        order,
        seq: 1,
        type: 'created',
        at: '2026-11-24T10:00:00.000Z',
        recorded: '2026-11-24T10:00:00.412Z',
        data: {
          reference: 'PO-10023',
          lineItems: [{ sku: 'TEA-250', quantity: 2, unitPrice: '12.50', currency: 'EUR' }],
        },
      },
      [
        { name: 'customer', value: { name: 'Zoë Müller', email: 'zoe@example.org', phone: '+49 30 1234567' } },
        { name: 'shippingAddress', value: { line1: 'Invalidenstraße 116', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      ],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 2,
        type: 'paid',
        at: '2026-11-24T10:05:00.000Z',
        recorded: '2026-11-24T10:05:01.007Z',
        data: { amount: '25.00', currency: 'EUR' },
      },
      [],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 3,
        type: 'shipped',
        at: '2026-11-24T10:15:00.000Z',
        recorded: '2026-11-24T10:15:02.113Z',
        data: {
          carrier: 'DHL',
          trackingNo: 'JD014600004512',
          note: '易碎品 — handle with care 📦',
          weightKg: 1.25,
          parcels: 1,
          insured: false,
          extra: null,
        },
      },
      [{ name: 'recipientName', value: '张伟' }],
    ],
    [
      { brand: 'acme', order, seq: 4, type: 'delivered', at: '2026-11-25T08:30:00.000Z', recorded: '2026-11-25T08:31:00.000Z', data: {} },
      [],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 5,
        type: 'received',
        at: '2026-11-25T09:00:00.000Z',
        recorded: '2026-11-25T09:00:00.001Z',
        data: { by: 'consumer' },
      },
      [],
    ],
  ];
  let prev = GENESIS_PREV;
  for (const [base, sealed] of steps) {
    const made = makeRecord(base, prev, sealed);
    chain.push(made);
    prev = leafHash(made.record);
  }
  const records = chain.map(({ record }) => ({ record, jcs: canonicalJson(record), leaf: leafHash(record) }));
  const commitments = chain.flatMap(({ commitments }) => commitments);

  const recordLeaves = records.map((r) => r.leaf);
  const trees = [1, 2, 3, 5, 8, 13].map((size) => {
    const leaves = Array.from({ length: size }, (_, i) => (i < recordLeaves.length ? recordLeaves[i] : label(`leaf ${i}`)));
    const tree = MerkleTree.build(leaves);
    return { leafCount: size, leaves, root: tree.root, proofs: leaves.map((_, i) => tree.proof(i)) };
  });

  return {
    ...base(records, commitments, trees),
    sourcedRecords: sourcedRecords(),
  };
}

/**
 * Records naming who recorded them (`data["ordertrace:source"]`), as ordertrace writes them since
 * sources were added: still v1 records, since `data` is an open object. A section of its own, so
 * that every vector published before stays byte for byte as it was.
 */
function sourcedRecords() {
  const order = 'ord_01JDTESTVECTOR0000000000B';
  const steps: Omit<EventRecord, 'sealed' | 'prev' | 'v'>[] = [
    {
      brand: 'acme',
      order,
      seq: 1,
      type: 'created',
      at: '2026-11-26T09:00:00.000Z',
      recorded: '2026-11-26T09:00:00.250Z',
      data: { reference: 'PO-10024', 'ordertrace:source': 'api:6f1c2a4e-3b7d-4e8a-9c1f-0d2b3a4c5e6f' },
    },
    {
      brand: 'acme',
      order,
      seq: 2,
      type: 'shipped',
      at: '2026-11-26T15:00:00.000Z',
      recorded: '2026-11-26T15:00:01.000Z',
      data: { carrier: 'DHL', 'ordertrace:source': 'api:6f1c2a4e-3b7d-4e8a-9c1f-0d2b3a4c5e6f' },
    },
    {
      brand: 'acme',
      order,
      seq: 3,
      type: 'received',
      at: '2026-11-28T18:20:00.000Z',
      recorded: '2026-11-28T18:20:00.000Z',
      data: { 'ordertrace:source': 'consumer' },
    },
    {
      brand: 'acme',
      order,
      seq: 4,
      type: 'return_requested',
      at: '2026-11-29T08:00:00.000Z',
      recorded: '2026-11-29T08:00:00.004Z',
      // An ordertrace: key a verifier may not know yet: shown, never a failure.
      data: { 'ordertrace:source': 'operator', 'ordertrace:example-future-key': { any: 'json' } },
    },
  ];
  let prev = GENESIS_PREV;
  const records = steps.map((step) => {
    const { record } = makeRecord(step, prev, []);
    prev = leafHash(record);
    return { record, jcs: canonicalJson(record), leaf: prev, source: record.data['ordertrace:source'] };
  });
  return {
    note:
      'v1 records of one order (seq 1..4, hash-chained like records) whose data names who recorded them: ' +
      '"ordertrace:source" is "api:<key id>", "consumer" or "operator"; other ordertrace: keys are shown, never a failure.',
    records,
  };
}

function base(
  records: { record: EventRecord; jcs: string; leaf: Hex }[],
  commitments: ReturnType<typeof makeRecord>['commitments'],
  trees: { leafCount: number; leaves: Hex[]; root: Hex; proofs: Hex[][] }[],
) {
  return {
    format: 'ordertrace-proof-vectors/1',
    spec: 'ordertrace proof specification v1 (docs/proof-spec.md)',
    notes: [
      'jcs is the RFC 8785 canonical JSON; hashes are keccak-256 over UTF-8 bytes with the prefix byte stated below.',
      'leaf = H(0x00 || jcs(record)); commitment = H(0x02 || jcs({name, salt, value})); inner = H(min(a,b) || max(a,b)).',
      'Odd node at the end of a level is carried up unchanged; a one-leaf tree has root = leaf and an empty proof.',
      'The records form one order: seq 1..5, prev of seq 1 is 32 zero bytes, prev of seq n is the leaf of seq n-1.',
    ],
    genesisPrev: GENESIS_PREV,
    records,
    commitments,
    trees,
  };
}

/**
 * Proof spec v1.1: one order whose consumer asks for changes before shipping and whose brand
 * answers them. Still `v: 1` records; only the event types are new. `requests` states what a
 * verifier reads from them (spec §1, change requests).
 */
export function buildVectorsV1_1() {
  const order = 'ord_01JDTESTVECTOR0000000000C';
  const api = 'api:6f1c2a4e-3b7d-4e8a-9c1f-0d2b3a4c5e6f';
  const newAddress = { line1: 'Friedrichstraße 43', city: 'Berlin', postalCode: '10117', country: 'DE' };
  const steps: [Omit<EventRecord, 'sealed' | 'prev' | 'v'>, SealedInput[]][] = [
    [
      {
        brand: 'acme',
        order,
        seq: 1,
        type: 'created',
        at: '2026-11-29T09:00:00.000Z',
        recorded: '2026-11-29T09:00:00.120Z',
        data: { 'ordertrace:source': api },
      },
      [{ name: 'shippingAddress', value: { line1: 'Invalidenstraße 116', city: 'Berlin', postalCode: '10115', country: 'DE' } }],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 2,
        type: 'change_requested',
        at: '2026-11-29T09:10:00.000Z',
        recorded: '2026-11-29T09:10:00.000Z',
        data: { request: 'hold', 'ordertrace:source': 'consumer' },
      },
      [],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 3,
        type: 'hold_confirmed',
        at: '2026-11-29T09:30:00.000Z',
        recorded: '2026-11-29T09:30:00.500Z',
        data: { request: 2, 'ordertrace:source': api },
      },
      [],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 4,
        type: 'change_requested',
        at: '2026-11-29T10:00:00.000Z',
        recorded: '2026-11-29T10:00:00.000Z',
        data: { request: 'address', 'ordertrace:source': 'consumer' },
      },
      [{ name: 'address', value: '北京市朝阳区建国路 88 号' }],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 5,
        type: 'change_declined',
        at: '2026-11-29T10:20:00.000Z',
        recorded: '2026-11-29T10:20:00.250Z',
        data: { request: 4, reason: 'outside our delivery area', 'ordertrace:source': api },
      },
      [],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 6,
        type: 'change_requested',
        at: '2026-11-29T11:00:00.000Z',
        recorded: '2026-11-29T11:00:00.000Z',
        data: { request: 'address', 'ordertrace:source': 'consumer' },
      },
      [{ name: 'address', value: newAddress }],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 7,
        type: 'address_changed',
        at: '2026-11-29T11:15:00.000Z',
        recorded: '2026-11-29T11:15:00.750Z',
        data: { request: 6, 'ordertrace:source': api },
      },
      [{ name: 'shippingAddress', value: newAddress }],
    ],
    [
      {
        brand: 'acme',
        order,
        seq: 8,
        type: 'shipped',
        at: '2026-11-29T15:00:00.000Z',
        recorded: '2026-11-29T15:00:01.000Z',
        data: { carrier: 'DHL', 'ordertrace:source': api },
      },
      [],
    ],
  ];
  let prev = GENESIS_PREV;
  const made = steps.map(([base, sealed]) => {
    const m = makeRecord(base, prev, sealed);
    prev = leafHash(m.record);
    return m;
  });
  return {
    format: 'ordertrace-proof-vectors/1',
    spec: 'ordertrace proof specification v1.1 (docs/proof-spec.md)',
    notes: [
      'v1.1 adds the event types change_requested, hold_confirmed and change_declined to v1 records ("v": 1); hashing is unchanged.',
      'change_requested (source consumer) has data.request "address" (the new address sealed as "address") or "hold".',
      'address_changed, hold_confirmed and change_declined answer a request by its seq in data.request (an integer).',
      'The records form one order: seq 1..8, hash-chained as in v1. A v1.0 verifier fails step 2 on the new types.',
    ],
    genesisPrev: GENESIS_PREV,
    records: made.map(({ record }) => ({ record, jcs: canonicalJson(record), leaf: leafHash(record) })),
    commitments: made.flatMap(({ commitments }) => commitments),
    requests: [
      { seq: 2, request: 'hold', state: 'approved', answeredBy: 3 },
      { seq: 4, request: 'address', state: 'declined', answeredBy: 5 },
      { seq: 6, request: 'address', state: 'approved', answeredBy: 7 },
    ],
  };
}

function main(argv: string[]): void {
  for (const [path, vectors] of [
    [VECTORS_PATH, buildVectors()],
    [VECTORS_V1_1_PATH, buildVectorsV1_1()],
  ] as const) {
    const json = `${JSON.stringify(vectors, null, 2)}\n`;
    if (argv.includes('--check')) {
      if (readFileSync(path, 'utf8') !== json) {
        console.error(`${path} is out of date: run npm run vectors`);
        process.exit(1);
      }
      console.log(`${path} is up to date`);
      continue;
    }
    writeFileSync(path, json);
    console.log(`wrote ${path}`);
  }
}

if (require.main === module) main(process.argv.slice(2));
