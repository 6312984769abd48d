/**
 * OrderAnchor on a real Hardhat node. Proofs come from the proof core (proof/merkle.ts), so these
 * tests also check that its sorted-pair trees fold on-chain with OpenZeppelin MerkleProof.
 */
import { randomBytes } from 'node:crypto';
import { type ErrorDescription, getAddress, hexlify, Interface, id, type TransactionReceipt, ZeroAddress, ZeroHash } from 'ethers';
import { ANCHORED_TOPIC } from '../../proof/chain-reader';
import { type Hex } from '../../proof/bytes';
import { MerkleTree } from '../../proof/merkle';
import {
  anchoredEvents,
  deployOrderAnchor,
  loadOrderAnchorArtifact,
  ORDER_ANCHOR_ABI,
  type OrderAnchorContract,
  orderAnchorAt,
  orderAnchorInterface,
} from '../../server/anchoring/order-anchor.contract';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';

const GAS_LIMIT_PER_ANCHOR = 60_000;

function randomHex32(): Hex {
  return hexlify(randomBytes(32)) as Hex;
}

/** Revert data of a failed call or transaction, decoded with the contract's ABI (there are no chai matchers here). */
async function revertOf(action: Promise<unknown>): Promise<ErrorDescription> {
  let error: unknown;
  try {
    await action;
  } catch (err) {
    error = err;
  }
  if (error === undefined) throw new Error('expected a revert, but the call succeeded');
  const data = (error as { data?: string }).data;
  if (typeof data !== 'string' || data === '0x') throw new Error(`expected revert data, got: ${(error as Error).message}`);
  const decoded = orderAnchorInterface.parseError(data);
  if (!decoded) throw new Error(`revert data ${data} is not an OrderAnchor error`);
  return decoded;
}

async function mined(tx: Promise<{ wait(): Promise<TransactionReceipt | null> }>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error('transaction failed');
  return receipt;
}

describe('OrderAnchor', () => {
  let chain: TestChain;
  let anchorRole: string;

  beforeAll(async () => {
    chain = await startTestChain();
    anchorRole = id('ANCHORER_ROLE');
  });

  afterAll(async () => {
    await chain?.stop();
  });

  /** A fresh contract: wallet 0 admin, wallet 1 anchorer; returns it bound to the anchorer. */
  async function freshAnchor(): Promise<{ address: string; asAnchorer: OrderAnchorContract; asAdmin: OrderAnchorContract }> {
    const [admin, anchorer] = chain.wallets;
    const { address } = await deployTestAnchor(chain, { admin: admin.address, anchorer: anchorer.address });
    return { address, asAnchorer: orderAnchorAt(address, anchorer), asAdmin: orderAnchorAt(address, admin) };
  }

  describe('artifact and ABI', () => {
    it('ORDER_ANCHOR_ABI matches the compiled artifact exactly', () => {
      const compiled = new Interface(loadOrderAnchorArtifact().abi as never);
      const formatAll = (i: Interface) => i.fragments.map((f) => f.format('full')).sort();
      expect(formatAll(new Interface(ORDER_ANCHOR_ABI))).toEqual(formatAll(compiled));
    });

    it('deployed runtime code equals the artifact deployedBytecode', async () => {
      const { address } = await freshAnchor();
      expect(await chain.provider.getCode(address)).toBe(loadOrderAnchorArtifact().deployedBytecode);
    });
  });

  describe('deployment', () => {
    it('grants DEFAULT_ADMIN_ROLE to admin and ANCHORER_ROLE to anchorer, nothing else', async () => {
      const [admin, anchorer] = chain.wallets;
      const { asAdmin } = await freshAnchor();
      expect(await asAdmin.ANCHORER_ROLE()).toBe(anchorRole);
      expect(await asAdmin.hasRole(ZeroHash, admin.address)).toBe(true);
      expect(await asAdmin.hasRole(anchorRole, anchorer.address)).toBe(true);
      expect(await asAdmin.hasRole(anchorRole, admin.address)).toBe(false);
      expect(await asAdmin.hasRole(ZeroHash, anchorer.address)).toBe(false);
      expect(await asAdmin.getRoleAdmin(anchorRole)).toBe(ZeroHash);
    });

    it('starts empty: lastSeq 0, every batch root zero', async () => {
      const { asAdmin } = await freshAnchor();
      expect(await asAdmin.lastSeq()).toBe(0n);
      expect(await asAdmin.batch(0)).toBe(ZeroHash);
      expect(await asAdmin.batch(1)).toBe(ZeroHash);
      expect(await asAdmin.verify(1, randomHex32(), [])).toBe(false);
    });

    it.each([
      ['admin', { admin: ZeroAddress, anchorer: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }],
      ['anchorer', { admin: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', anchorer: ZeroAddress }],
    ])('rejects a zero %s with OrderAnchorInvalidAccount', async (_which, roles) => {
      const err = await revertOf(deployOrderAnchor(chain.wallets[0], roles));
      expect(err.name).toBe('OrderAnchorInvalidAccount');
      expect(err.args[0]).toBe(ZeroAddress);
    });
  });

  describe('anchor: role gating', () => {
    it('reverts with AccessControlUnauthorizedAccount for an account without ANCHORER_ROLE', async () => {
      const { address } = await freshAnchor();
      const outsider = chain.wallets[2];
      const err = await revertOf(orderAnchorAt(address, outsider).anchor(1, randomHex32(), 1));
      expect(err.name).toBe('AccessControlUnauthorizedAccount');
      expect(err.args[0]).toBe(outsider.address);
      expect(err.args[1]).toBe(anchorRole);
    });

    it('the admin itself cannot anchor without the role', async () => {
      const { asAdmin } = await freshAnchor();
      const err = await revertOf(asAdmin.anchor(1, randomHex32(), 1));
      expect(err.name).toBe('AccessControlUnauthorizedAccount');
      expect(err.args[0]).toBe(chain.wallets[0].address);
    });

    it('the admin can grant and revoke ANCHORER_ROLE', async () => {
      const { address, asAdmin } = await freshAnchor();
      const newcomer = chain.wallets[3];
      const asNewcomer = orderAnchorAt(address, newcomer);
      await mined(asAdmin.grantRole(anchorRole, newcomer.address));
      await mined(asNewcomer.anchor(1, randomHex32(), 4));
      await mined(asAdmin.revokeRole(anchorRole, newcomer.address));
      const err = await revertOf(asNewcomer.anchor(2, randomHex32(), 4));
      expect(err.name).toBe('AccessControlUnauthorizedAccount');
      expect(await asNewcomer.lastSeq()).toBe(1n);
    });

    it('only the admin can grant the role', async () => {
      const { asAnchorer } = await freshAnchor();
      const err = await revertOf(asAnchorer.grantRole(anchorRole, chain.wallets[2].address));
      expect(err.name).toBe('AccessControlUnauthorizedAccount');
      expect(err.args[1]).toBe(ZeroHash);
    });
  });

  describe('anchor: ordering and arguments', () => {
    it('accepts only lastSeq + 1, reporting expected and given', async () => {
      const { asAnchorer } = await freshAnchor();
      const expectOutOfOrder = async (given: number, expected: number) => {
        const err = await revertOf(asAnchorer.anchor(given, randomHex32(), 1));
        expect(err.name).toBe('OrderAnchorOutOfOrder');
        expect([err.args.expected, err.args.given]).toEqual([BigInt(expected), BigInt(given)]);
      };
      await expectOutOfOrder(0, 1);
      await expectOutOfOrder(2, 1);
      await mined(asAnchorer.anchor(1, randomHex32(), 1));
      await expectOutOfOrder(1, 2); // anchored already: roots never change
      await expectOutOfOrder(3, 2);
      await expectOutOfOrder(0, 2);
      await mined(asAnchorer.anchor(2, randomHex32(), 1));
      await expectOutOfOrder(2, 3);
      await expectOutOfOrder(1, 3);
      await expectOutOfOrder(100, 3);
      await expectOutOfOrder(Number.MAX_SAFE_INTEGER, 3);
      const maxSeq = 2n ** 64n - 1n;
      const err = await revertOf(asAnchorer.anchor(maxSeq, randomHex32(), 1));
      expect([err.name, err.args.expected, err.args.given]).toEqual(['OrderAnchorOutOfOrder', 3n, maxSeq]);
      expect(await asAnchorer.lastSeq()).toBe(2n);
    });

    it('rejects a zero root with OrderAnchorZeroRoot and changes nothing', async () => {
      const { asAnchorer } = await freshAnchor();
      expect((await revertOf(asAnchorer.anchor(1, ZeroHash, 5))).name).toBe('OrderAnchorZeroRoot');
      expect(await asAnchorer.lastSeq()).toBe(0n);
      expect(await asAnchorer.batch(1)).toBe(ZeroHash);
    });

    it('rejects an empty batch with OrderAnchorEmptyBatch and changes nothing', async () => {
      const { asAnchorer } = await freshAnchor();
      expect((await revertOf(asAnchorer.anchor(1, randomHex32(), 0))).name).toBe('OrderAnchorEmptyBatch');
      expect(await asAnchorer.lastSeq()).toBe(0n);
    });

    it('rejects a root that does not fit the ABI types before it reaches the contract', async () => {
      const { asAnchorer } = await freshAnchor();
      await expect(asAnchorer.anchor(1, '0x1234', 1)).rejects.toThrow();
      await expect(asAnchorer.anchor(1, randomHex32(), 2 ** 32)).rejects.toThrow();
    });
  });

  describe('Anchored event', () => {
    it('carries seq and root as indexed topics and leafCount as data, from this contract', async () => {
      const { address, asAnchorer } = await freshAnchor();
      const root = randomHex32();
      const receipt = await mined(asAnchorer.anchor(1, root, 4_294_967_295));
      expect(receipt.logs).toHaveLength(1);
      const [log] = receipt.logs;
      expect(getAddress(log.address)).toBe(address);
      expect(log.topics).toEqual([ANCHORED_TOPIC, `0x${'1'.padStart(64, '0')}`, root]);
      const parsed = orderAnchorInterface.parseLog(log)!;
      expect(parsed.name).toBe('Anchored');
      expect(parsed.args.seq).toBe(1n);
      expect(parsed.args.root).toBe(root);
      expect(parsed.args.leafCount).toBe(4_294_967_295n);
      expect(anchoredEvents(receipt, address)).toEqual([{ seq: 1, root, leafCount: 4_294_967_295, logIndex: log.index }]);
      // The same log is not accepted as coming from another contract.
      expect(anchoredEvents(receipt, chain.wallets[4].address)).toEqual([]);
    });
  });

  describe('views and gas over a run of anchors', () => {
    it('lastSeq and batch follow every anchor (across power-of-two boundaries); every anchor costs < 60,000 gas', async () => {
      const { asAnchorer } = await freshAnchor();
      const roots: Hex[] = [];
      const gas: number[] = [];
      for (let seq = 1; seq <= 70; seq++) {
        const root = randomHex32();
        const receipt = await mined(asAnchorer.anchor(seq, root, seq * 3));
        roots.push(root);
        gas.push(Number(receipt.gasUsed));
        expect(await asAnchorer.lastSeq()).toBe(BigInt(seq));
      }
      for (let seq = 1; seq <= 70; seq++) expect(await asAnchorer.batch(seq)).toBe(roots[seq - 1]);
      expect(await asAnchorer.batch(71)).toBe(ZeroHash);

      const steady = gas.slice(1);
      console.log(
        `OrderAnchor.anchor gas: first ${gas[0]}, then min ${Math.min(...steady)} / max ${Math.max(...steady)} over ${steady.length} anchors (limit ${GAS_LIMIT_PER_ANCHOR})`,
      );
      for (const used of gas) expect(used).toBeLessThan(GAS_LIMIT_PER_ANCHOR);
      // O(1): the cost does not grow with the number of batches.
      expect(Math.max(...steady) - Math.min(...steady)).toBeLessThan(200);
    });

    it('gas does not depend on leafCount', async () => {
      const { asAnchorer } = await freshAnchor();
      await mined(asAnchorer.anchor(1, randomHex32(), 1));
      // Same calldata shape (nonzero bytes) so only execution cost could differ.
      const small = Number((await mined(asAnchorer.anchor(2, randomHex32(), 0x01010101))).gasUsed);
      const large = Number((await mined(asAnchorer.anchor(3, randomHex32(), 0xffffffff))).gasUsed);
      expect(Math.abs(small - large)).toBeLessThan(100);
    });
  });

  describe('verify against proofs from proof/merkle.ts', () => {
    let contract: OrderAnchorContract;
    const batches: { seq: number; leaves: Hex[]; tree: MerkleTree }[] = [];

    beforeAll(async () => {
      contract = (await freshAnchor()).asAnchorer;
      let seq = 0;
      for (const size of [1, 2, 3, 4, 5, 7, 8, 13, 100]) {
        const leaves = Array.from({ length: size }, randomHex32);
        const tree = MerkleTree.build(leaves);
        seq++;
        await mined(contract.anchor(seq, tree.root, tree.leafCount));
        batches.push({ seq, leaves, tree });
      }
    });

    it('every leaf of every batch verifies with its proof (sizes 1, 2, 3, 4, 5, 7, 8, 13, 100)', async () => {
      for (const { seq, leaves, tree } of batches) {
        expect(await contract.batch(seq)).toBe(tree.root);
        const results = await Promise.all(leaves.map((leaf, i) => contract.verify(seq, leaf, tree.proof(i))));
        expect(results.every(Boolean)).toBe(true);
      }
    });

    it('a one-leaf batch has root = leaf and verifies with an empty proof', async () => {
      const one = batches.find((b) => b.leaves.length === 1)!;
      expect(one.tree.root).toBe(one.leaves[0]);
      expect(one.tree.proof(0)).toEqual([]);
      expect(await contract.verify(one.seq, one.leaves[0], [])).toBe(true);
    });

    it('a wrong leaf is rejected', async () => {
      for (const { seq, tree } of batches) {
        expect(await contract.verify(seq, randomHex32(), tree.proof(0))).toBe(false);
      }
    });

    it('a tampered proof is rejected: one flipped bit, a dropped, an extra or a swapped element', async () => {
      const { seq, leaves, tree } = batches.find((b) => b.leaves.length === 100)!;
      for (const i of [0, 37, 99]) {
        const proof = tree.proof(i);
        for (let j = 0; j < proof.length; j++) {
          const flipped = [...proof];
          const last = parseInt(flipped[j].slice(-1), 16) ^ 1;
          flipped[j] = (flipped[j].slice(0, -1) + last.toString(16)) as Hex;
          expect(await contract.verify(seq, leaves[i], flipped)).toBe(false);
        }
        expect(await contract.verify(seq, leaves[i], proof.slice(1))).toBe(false);
        expect(await contract.verify(seq, leaves[i], [...proof, randomHex32()])).toBe(false);
        expect(await contract.verify(seq, leaves[i], [proof[1], proof[0], ...proof.slice(2)])).toBe(false);
      }
      const one = batches.find((b) => b.leaves.length === 1)!;
      expect(await contract.verify(one.seq, one.leaves[0], [randomHex32()])).toBe(false);
    });

    it('a valid proof checked against the wrong seq is rejected, also for a batch not anchored yet', async () => {
      for (const [k, { leaves, tree }] of batches.entries()) {
        const otherSeq = batches[(k + 1) % batches.length].seq;
        expect(await contract.verify(otherSeq, leaves[0], tree.proof(0))).toBe(false);
      }
      const unanchored = batches.length + 1;
      const { leaves, tree } = batches[batches.length - 1];
      expect(await contract.verify(unanchored, leaves[0], tree.proof(0))).toBe(false);
      expect(await contract.verify(0, leaves[0], tree.proof(0))).toBe(false);
    });
  });
});
