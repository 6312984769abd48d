/**
 * Time sanity on a real Hardhat node: block times are set with evm_setNextBlockTimestamp before
 * anchoring, so one event reads as recorded after the block that anchors it and another as
 * anchored days after it was recorded. Both are warnings from the chain's own block times (the
 * bundle states none); the bundle still verifies, through verifyBundle, `ordertrace verify` and
 * `ordertrace report`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Bundle,
  type BundleEvent,
  type EventRecord,
  GENESIS_PREV,
  type Hex,
  leafHash,
  MerkleTree,
  randomSalt,
  verifyBundle,
} from '../../proof';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';
import { runCli } from '../support/cli';
import { pdfText } from '../support/pdf-text';

const DAY = 86_400;

describe('time sanity against real block times', () => {
  let chain: TestChain;
  let dir: string;
  let bundle: Bundle;
  let bundlePath: string;
  let contract: Hex;
  const blockTimes: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-time-sanity-'));
    chain = await startTestChain();
    const deployed = await deployTestAnchor(chain);
    contract = deployed.address.toLowerCase() as Hex;
    // A day ahead of the node's clock, so the block times set below are always after its last block.
    const base = (await chain.provider.getBlock('latest'))!.timestamp + DAY;
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    // Event 1 recorded a minute before its block; event 2 two minutes after it (beyond the tolerance);
    // event 3 anchored three days after it was recorded.
    const recorded = [iso(base - 60), iso(base + 120) /* whole seconds .000 */, iso(base + 180)];
    const anchorAt = [base, base + 180 + 3 * DAY];
    const events: BundleEvent[] = [];
    let prev: Hex = GENESIS_PREV;
    (['created', 'paid', 'packed'] as const).forEach((type, i) => {
      const record: EventRecord = {
        v: 1,
        brand: 'acme',
        order: 'ord_time_sanity',
        seq: i + 1,
        type,
        at: recorded[i],
        recorded: recorded[i],
        data: { 'ordertrace:source': 'api:key-1' },
        sealed: {},
        prev,
      };
      prev = leafHash(record);
      events.push({ record, leaf: prev, anchor: null });
    });
    const batches = [
      { seq: 1, members: [0, 1] },
      { seq: 2, members: [2] },
    ];
    for (const [position, b] of batches.entries()) {
      const leaves = [...b.members.map((i) => events[i].leaf), randomSalt()];
      const tree = MerkleTree.build(leaves);
      await chain.provider.send('evm_setNextBlockTimestamp', [anchorAt[position]]);
      const receipt = (await (await deployed.contract.anchor(b.seq, tree.root, leaves.length)).wait())!;
      blockTimes.push((await chain.provider.getBlock(receipt.blockNumber))!.timestamp);
      b.members.forEach((eventIndex, leafIndex) => {
        events[eventIndex].anchor = {
          batch: b.seq,
          root: tree.root,
          proof: tree.proof(leafIndex),
          txHash: receipt.hash as Hex,
          blockNumber: receipt.blockNumber,
          blockHash: receipt.blockHash as Hex,
        };
      });
    }
    expect(blockTimes).toEqual(anchorAt);
    bundle = { format: 'ordertrace-bundle/1', chain: { chainId: 31337, contract }, order: 'ord_time_sanity', brand: 'acme', events };
    bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify(bundle));
  });

  afterAll(async () => {
    await chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pinned = () => ['--rpc', chain.rpcUrl, '--contract', contract, '--chain-id', '31337'];

  it('warns from the block times the chain holds, and the verdict stays verified', async () => {
    const result = await verifyBundle(bundle, new JsonRpcChainReader(chain.rpcUrl), { expectedContract: contract });
    expect(result.verdict).toBe('verified');
    expect(result.timeWarnings).toEqual([
      expect.objectContaining({ seq: 2, code: 'RECORDED_AFTER_BLOCK', blockTime: blockTimes[0], delaySeconds: -120 }),
      expect.objectContaining({ seq: 3, code: 'LATE_ANCHOR', blockTime: blockTimes[1], delaySeconds: 3 * DAY }),
    ]);
    expect(result.events.map((e) => e.anchor?.blockTime)).toEqual([blockTimes[0], blockTimes[0], blockTimes[1]]);
  });

  it('ordertrace verify prints the warnings, lists them in --json, and exits 0', async () => {
    const human = await runCli(['verify', bundlePath, ...pinned()]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Warning +seq 2 recorded after its anchoring block: recorded at .*, 120 s after block \d+/m);
    expect(human.stdout).toMatch(/^Warning +seq 3 anchored late: .*259200 s after it was recorded/m);
    expect(human.stdout).toMatch(/^VERIFIED: all 3 event\(s\)/m);

    const json = await runCli(['verify', bundlePath, ...pinned(), '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      verdict: string;
      maxAnchorDelaySeconds: number;
      timeWarnings: { seq: number; code: string }[];
    };
    expect(parsed.verdict).toBe('verified');
    expect(parsed.maxAnchorDelaySeconds).toBe(DAY);
    expect(parsed.timeWarnings.map((w) => [w.seq, w.code])).toEqual([
      [2, 'RECORDED_AFTER_BLOCK'],
      [3, 'LATE_ANCHOR'],
    ]);
  });

  it('--max-anchor-delay sets how late is implausible', async () => {
    const relaxed = JSON.parse((await runCli(['verify', bundlePath, ...pinned(), '--json', '--max-anchor-delay', '4d'])).stdout) as {
      timeWarnings: { seq: number; code: string }[];
    };
    expect(relaxed.timeWarnings.map((w) => [w.seq, w.code])).toEqual([[2, 'RECORDED_AFTER_BLOCK']]);
    const strict = JSON.parse((await runCli(['verify', bundlePath, ...pinned(), '--json', '--max-anchor-delay', '30s'])).stdout) as {
      timeWarnings: { seq: number; code: string }[];
    };
    expect(strict.timeWarnings.map((w) => [w.seq, w.code])).toEqual([
      [1, 'LATE_ANCHOR'],
      [2, 'RECORDED_AFTER_BLOCK'],
      [3, 'LATE_ANCHOR'],
    ]);
    const bad = await runCli(['verify', bundlePath, ...pinned(), '--max-anchor-delay', 'a while']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-anchor-delay');
  });

  it('ordertrace report writes the warnings into the PDF', async () => {
    const out = join(dir, 'report.pdf');
    const run = await runCli(['report', bundlePath, '-o', out, '--rpc', chain.rpcUrl, '--contract', contract]);
    expect(run.code).toBe(0);
    const text = (await pdfText(readFileSync(out))).replace(/\s+/g, '');
    expect(text).toContain('VERIFIED');
    expect(text).toContain('recordedafteritsanchoringblock');
    expect(text).toContain('anchoredlate');
    expect(text).toContain('Recordedbythebrand,throughitsAPIkeykey-1');
  });
});
