import {
  type Bundle,
  type BundleEvent,
  commitment,
  type EventRecord,
  GENESIS_PREV,
  type Hex,
  leafHash,
  MerkleTree,
  ProofError,
  randomSalt,
  verifyBundle,
} from '../../proof';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { deployTestAnchor, freePort, startTestChain, type TestChain } from '../support/chain';

// verifyBundle against a real Hardhat node and a real OrderAnchor: every tamper must be reported
// as invalid at the right step and event; the untouched bundle must verify.

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('verifyBundle on a real chain', () => {
  let chain: TestChain;
  let reader: JsonRpcChainReader;
  let bundle: Bundle;
  const salt = randomSalt();

  beforeAll(async () => {
    chain = await startTestChain();
    const { address, contract } = await deployTestAnchor(chain);
    reader = new JsonRpcChainReader(chain.rpcUrl);

    // One order of five events; batch 1 holds events 1-3 among other brands' leaves, batch 2 holds 4-5.
    const types = ['created', 'paid', 'packed', 'shipped', 'delivered'] as const;
    const events: BundleEvent[] = [];
    let prev: Hex = GENESIS_PREV;
    types.forEach((type, i) => {
      const sealed: Record<string, Hex> = i === 0 ? { address: commitment('address', { city: 'Lyon', line1: '1 rue X' }, salt) } : {};
      const record: EventRecord = {
        v: 1,
        brand: 'acme',
        order: 'ord_test',
        seq: i + 1,
        type,
        at: new Date(Date.UTC(2026, 10, 24, 10, i)).toISOString(),
        recorded: new Date(Date.UTC(2026, 10, 24, 10, i, 1)).toISOString(),
        data: { step: i + 1, note: 'ok' },
        sealed,
        prev,
      };
      const leaf = leafHash(record);
      prev = leaf;
      events.push({
        record,
        leaf,
        anchor: null,
        ...(i === 0 ? { disclosed: { address: { value: { city: 'Lyon', line1: '1 rue X' }, salt } } } : {}),
      });
    });
    const batches = [
      { seq: 1, members: [0, 1, 2], filler: 4 },
      { seq: 2, members: [3, 4], filler: 0 },
    ];
    for (const b of batches) {
      const leaves = [...b.members.map((i) => events[i].leaf), ...Array.from({ length: b.filler }, () => randomSalt())];
      const tree = MerkleTree.build(leaves);
      const tx = await contract.anchor(b.seq, tree.root, leaves.length);
      const receipt = await tx.wait();
      b.members.forEach((eventIndex, position) => {
        events[eventIndex].anchor = {
          batch: b.seq,
          root: tree.root,
          proof: tree.proof(position),
          txHash: receipt!.hash as Hex,
          blockNumber: receipt!.blockNumber,
          blockHash: receipt!.blockHash as Hex,
        };
      });
    }
    bundle = {
      format: 'ordertrace-bundle/1',
      chain: { chainId: 31337, contract: address.toLowerCase() as Hex },
      order: 'ord_test',
      brand: 'acme',
      events,
    };
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('verifies the untouched bundle, reading block and confirmations from the chain', async () => {
    const result = await verifyBundle(bundle, reader);
    expect(result.failure).toBeUndefined();
    expect(result.verdict).toBe('verified');
    expect(result.events.map((e) => e.status)).toEqual(['verified', 'verified', 'verified', 'verified', 'verified']);
    expect(result.events[0].anchor!.blockNumber).toBe(bundle.events[0].anchor!.blockNumber);
    expect(result.events[0].anchor!.confirmations).toBe(2);
  });

  const cases: [string, (b: Bundle) => void, number, string][] = [
    [
      'a public data value',
      (b) => {
        (b.events[1].record.data as Record<string, unknown>).note = 'changed';
      },
      1,
      'leaf',
    ],
    [
      'the at time',
      (b) => {
        b.events[2].record.at = '2026-11-20T00:00:00.000Z';
      },
      2,
      'leaf',
    ],
    [
      'a leaf',
      (b) => {
        b.events[3].leaf = randomSalt();
      },
      3,
      'leaf',
    ],
    [
      'a disclosed value',
      (b) => {
        b.events[0].disclosed!.address.value = { city: 'Paris', line1: '1 rue X' };
      },
      0,
      'disclosure',
    ],
    [
      'a salt',
      (b) => {
        b.events[0].disclosed!.address.salt = randomSalt();
      },
      0,
      'disclosure',
    ],
    [
      'the order of proof elements',
      (b) => {
        b.events[0].anchor!.proof.reverse();
      },
      0,
      'inclusion',
    ],
    [
      'a proof element',
      (b) => {
        b.events[1].anchor!.proof[0] = randomSalt();
      },
      1,
      'inclusion',
    ],
    [
      'the root',
      (b) => {
        b.events[4].anchor!.root = randomSalt();
      },
      4,
      'inclusion',
    ],
    [
      'the batch seq',
      (b) => {
        b.events[3].anchor!.batch = 1;
      },
      3,
      'anchor',
    ],
    [
      'a batch seq that was never anchored',
      (b) => {
        b.events[3].anchor!.batch = 9;
      },
      3,
      'anchor',
    ],
    [
      'the contract address',
      (b) => {
        b.chain.contract = '0x000000000000000000000000000000000000dead';
      },
      0,
      'anchor',
    ],
    [
      'the transaction hash',
      (b) => {
        b.events[3].anchor!.txHash = b.events[0].anchor!.txHash;
      },
      3,
      'anchor',
    ],
    [
      'the chain id',
      (b) => {
        b.chain.chainId = 1;
      },
      -1,
      'format',
    ],
    [
      'the format',
      (b) => {
        (b as { format: string }).format = 'ordertrace-bundle/2';
      },
      -1,
      'format',
    ],
    [
      'a deleted middle event',
      (b) => {
        b.events.splice(2, 1);
      },
      2,
      'chain-link',
    ],
    [
      'two reordered events',
      (b) => {
        [b.events[1], b.events[2]] = [b.events[2], b.events[1]];
      },
      1,
      'chain-link',
    ],
  ];

  it.each(cases)('is invalid when %s is tampered with', async (_what, tamper, index, step) => {
    const tampered = clone(bundle);
    tamper(tampered);
    const result = await verifyBundle(tampered, reader);
    expect(result.verdict).toBe('invalid');
    expect(result.failure).toMatchObject({ index, step });
    if (index >= 0) expect(result.events[index].status).toBe('invalid');
  });

  it('is invalid when a forged event is appended with a borrowed anchor', async () => {
    const tampered = clone(bundle);
    const last = tampered.events[4];
    const record: EventRecord = { ...last.record, seq: 6, type: 'refunded', prev: last.leaf, data: { amount: '999.00' } };
    tampered.events.push({ record, leaf: leafHash(record), anchor: clone(last.anchor) });
    const result = await verifyBundle(tampered, reader);
    expect(result.failure).toMatchObject({ index: 5, step: 'inclusion' });
  });

  it('reports an unanchored event as pending, not invalid', async () => {
    const partial = clone(bundle);
    partial.events[4].anchor = null;
    const result = await verifyBundle(partial, reader);
    expect(result.verdict).toBe('pending');
    expect(result.events[4].status).toBe('pending');
    expect(result.events[3].status).toBe('verified');
  });

  it('reports too few confirmations as pending', async () => {
    const result = await verifyBundle(bundle, reader, { confirmations: 50 });
    expect(result.verdict).toBe('pending');
  });

  it('rejects a bundle naming another contract than the pinned one', async () => {
    const result = await verifyBundle(bundle, reader, { expectedContract: '0x000000000000000000000000000000000000dead' });
    expect(result.failure).toMatchObject({ step: 'format', code: 'CONTRACT_MISMATCH' });
  });

  it('fails with CHAIN_UNAVAILABLE when the RPC cannot be reached', async () => {
    const down = new JsonRpcChainReader(`http://127.0.0.1:${await freePort()}`, undefined, { timeoutMs: 2000 });
    await expect(verifyBundle(bundle, down)).rejects.toMatchObject({ code: 'CHAIN_UNAVAILABLE' });
    await expect(verifyBundle(bundle, down)).rejects.toBeInstanceOf(ProofError);
  });
});
