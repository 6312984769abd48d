/**
 * `ordertrace verify` and `ordertrace report`, run in process (the untouched bundle also through
 * the real bin in a child process), against a real Hardhat node and a real OrderAnchor holding the bundle's roots. The bundle is built here
 * with the proof core (no server needed), so every exit code is checked against a real chain:
 * 0 for the untouched bundle, 1 for each tamper case naming its event and step, 4 while pending,
 * 3 when the chain is unreachable.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Bundle,
  type BundleEvent,
  commitment,
  type EventRecord,
  GENESIS_PREV,
  type Hex,
  leafHash,
  MerkleTree,
  randomSalt,
} from '../../proof';
import { deployTestAnchor, freePort, startTestChain, type TestChain } from '../support/chain';
import { runCli, spawnCli } from '../support/cli';
import { type LyingRpcProxy, startLyingRpcProxy } from '../support/lying-rpc-proxy';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('ordertrace verify against a real chain', () => {
  let chain: TestChain;
  let dir: string;
  let bundle: Bundle;
  let contractAddress: Hex;
  /** The brand's trust file: this chain, this contract, this node. */
  let trustPath: string;
  /** A look-alike OrderAnchor on the same chain holding the same roots, as a compromised server would deploy. */
  let lookAlike: Hex;
  let lookAlikeBundle: Bundle;
  let liar: LyingRpcProxy;
  const salt = randomSalt();
  const address = { line1: '1 rue de la Paix', city: 'Lyon', name: 'Zoë 张' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-cli-verify-'));
    chain = await startTestChain();
    const deployed = await deployTestAnchor(chain);
    contractAddress = deployed.address.toLowerCase() as Hex;
    const copy = await deployTestAnchor(chain);
    lookAlike = copy.address.toLowerCase() as Hex;

    const types = ['created', 'paid', 'packed', 'shipped', 'delivered', 'received'] as const;
    const events: BundleEvent[] = [];
    let prev: Hex = GENESIS_PREV;
    types.forEach((type, i) => {
      const sealed: Record<string, Hex> = i === 0 ? { shippingAddress: commitment('shippingAddress', address, salt) } : {};
      const record: EventRecord = {
        v: 1,
        brand: 'acme',
        order: 'ord_cli_verify',
        seq: i + 1,
        type,
        at: new Date(Date.UTC(2026, 10, 24, 10, i)).toISOString(),
        recorded: new Date(Date.UTC(2026, 10, 24, 10, i, 2)).toISOString(),
        data: { step: i + 1, carrier: i === 3 ? 'DHL' : null },
        sealed,
        prev,
      };
      const leaf = leafHash(record);
      prev = leaf;
      events.push({ record, leaf, anchor: null, ...(i === 0 ? { disclosed: { shippingAddress: { value: address, salt } } } : {}) });
    });
    // Batch 1: events 1-3 among other orders' leaves; batch 2: events 4-6. Mined one block each.
    const batches = [
      { seq: 1, members: [0, 1, 2], filler: 5 },
      { seq: 2, members: [3, 4, 5], filler: 0 },
    ];
    for (const b of batches) {
      const leaves = [...b.members.map((i) => events[i].leaf), ...Array.from({ length: b.filler }, () => randomSalt())];
      const tree = MerkleTree.build(leaves);
      const receipt = await (await deployed.contract.anchor(b.seq, tree.root, leaves.length)).wait();
      await (await copy.contract.anchor(b.seq, tree.root, leaves.length)).wait();
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
      chain: { chainId: 31337, contract: contractAddress },
      order: 'ord_cli_verify',
      brand: 'acme',
      events,
    };
    trustPath = write('trust.json', { format: 'ordertrace-trust/1', chainId: 31337, contract: contractAddress, rpc: [chain.rpcUrl] });
    // The same events, anchored in the look-alike: its own transactions, the same roots.
    lookAlikeBundle = clone(bundle);
    lookAlikeBundle.chain.contract = lookAlike;
    const copyLogs = await chain.provider.getLogs({ address: lookAlike, fromBlock: 0 });
    for (const event of lookAlikeBundle.events) {
      const log = copyLogs.find((l) => BigInt(l.topics[1]) === BigInt(event.anchor!.batch))!;
      Object.assign(event.anchor!, { txHash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash });
    }
    liar = await startLyingRpcProxy(chain.rpcUrl);
  });

  afterAll(async () => {
    await liar?.stop();
    await chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, b: unknown): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(b, null, 2));
    return path;
  }

  it('verifies the untouched bundle: exit 0 and a per-event table', async () => {
    const run = await spawnCli(['verify', write('ok.json', bundle), '--trust', trustPath]);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SEQ\s+TYPE\s+AT\s+RECORDED BY\s+STATUS\s+BATCH\s+BLOCK\s+STEP \/ REASON/);
    // These records predate sources: who recorded them is not stated.
    expect(run.stdout).toMatch(/^\s+1\s+created\s+2026-11-24T10:00:00\.000Z\s+\(not stated\)\s+verified\s+1\s+\d+/m);
    expect(run.stdout).toMatch(/^\s+6\s+received\s+.*verified\s+2\s+\d+/m);
    expect(run.stdout).toMatch(/^VERIFIED: all 6 event\(s\), seq 1\.\.6/m);
  });

  it('reads the bundle from stdin with -', async () => {
    const run = await runCli(['verify', '-', '--trust', trustPath, '--json'], { input: JSON.stringify(bundle) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('verified');
  });

  it('prints the verification as JSON with --json, and progress only on stderr', async () => {
    const run = await runCli(['verify', write('json.json', bundle), '--trust', trustPath, '--json']);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data).toMatchObject({
      verdict: 'verified',
      format: 'ordertrace-bundle/1',
      chainId: 31337,
      contract: contractAddress,
      order: 'ord_cli_verify',
      brand: 'acme',
      confirmationsRequired: 1,
    });
    expect(data.failure).toBeUndefined();
    expect(data.events).toHaveLength(6);
    expect(data.events[0]).toMatchObject({
      index: 0,
      seq: 1,
      type: 'created',
      status: 'verified',
      at: '2026-11-24T10:00:00.000Z',
      claimedBatch: 1,
    });
    expect(data.events[0].anchor).toMatchObject({
      batch: 1,
      txHash: bundle.events[0].anchor!.txHash,
      blockNumber: bundle.events[0].anchor!.blockNumber,
    });
    expect(run.stderr).toMatch(/verifying 6 event/);
  });

  it('is pending (exit 4) while more confirmations are required than the chain has', async () => {
    const run = await runCli(['verify', write('conf.json', bundle), '--trust', trustPath, '--confirmations', '1000', '--json']);
    expect(run.code).toBe(4);
    const data = JSON.parse(run.stdout);
    expect(data.verdict).toBe('pending');
    expect(data.events.every((e: { status: string }) => e.status === 'pending')).toBe(true);
  });

  it('is pending (exit 4) when the last events are not anchored yet', async () => {
    const pending = clone(bundle);
    pending.events[4].anchor = null;
    pending.events[5].anchor = null;
    const run = await runCli(['verify', write('pending.json', pending), '--trust', trustPath]);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/^\s+5\s+delivered\s+.*pending\s+not yet anchored/m);
    expect(run.stdout).toMatch(/^PENDING: no tampering found, but 2 of 6 event\(s\)/m);
  });

  const forgedEvent = (b: Bundle) => {
    const last = b.events[b.events.length - 1];
    const record: EventRecord = {
      ...clone(last.record),
      seq: last.record.seq + 1,
      type: 'refunded',
      prev: last.leaf,
      data: { amount: '100.00 EUR' },
    };
    const leaf = leafHash(record);
    // A forger can compute leaf and even a self-consistent proof, but not the contract's root.
    b.events.push({ record, leaf, anchor: { ...clone(last.anchor!), root: leaf, proof: [] } });
  };

  // [what, tamper, seq named in the message (null: the bundle), step]
  const cases: [string, (b: Bundle) => void, number | null, string][] = [
    ['a public data value', (b) => void ((b.events[1].record.data as Record<string, unknown>).step = 20), 2, 'leaf'],
    ['a disclosed value', (b) => void (b.events[0].disclosed!.shippingAddress.value = { ...address, city: 'Paris' }), 1, 'disclosure'],
    ['a salt', (b) => void (b.events[0].disclosed!.shippingAddress.salt = randomSalt()), 1, 'disclosure'],
    ['the at time', (b) => void (b.events[2].record.at = '2026-11-01T00:00:00.000Z'), 3, 'leaf'],
    ['a leaf', (b) => void (b.events[3].leaf = randomSalt()), 4, 'leaf'],
    ['a proof element', (b) => void (b.events[1].anchor!.proof[0] = randomSalt()), 2, 'inclusion'],
    ['a batch seq', (b) => void (b.events[3].anchor!.batch = 1), 4, 'anchor'],
    ['the root', (b) => void (b.events[4].anchor!.root = randomSalt()), 5, 'inclusion'],
    ['the chain id', (b) => void (b.chain.chainId = 1), null, 'format'],
    ['the contract address', (b) => void (b.chain.contract = '0x000000000000000000000000000000000000dead'), null, 'format'],
    ['a deleted middle event', (b) => void b.events.splice(2, 1), 4, 'chain-link'],
    ['two reordered events', (b) => void ([b.events[1], b.events[2]] = [b.events[2], b.events[1]]), 3, 'chain-link'],
    ['an appended forged event', forgedEvent, 7, 'anchor'],
  ];

  it.each(cases)('exits 1 naming the event and step when %s is tampered with', async (_what, tamper, seq, step) => {
    const tampered = clone(bundle);
    tamper(tampered);
    const file = write(`tampered-${step}-${seq}.json`, tampered);
    const human = await runCli(['verify', file, '--trust', trustPath]);
    expect(human.code).toBe(1);
    const where = seq === null ? 'the bundle' : `event seq ${seq} `;
    expect(human.stdout).toContain(`INVALID: ${where}`);
    expect(human.stdout).toMatch(new RegExp(`fails step \\d "${step}"`));

    const json = await runCli(['verify', file, '--trust', trustPath, '--json']);
    expect(json.code).toBe(1);
    const data = JSON.parse(json.stdout);
    expect(data.verdict).toBe('invalid');
    expect(data.failure.step).toBe(step);
    expect(data.failure.seq).toBe(seq);
  });

  it('exits 1 when the user pins another contract than the bundle names', async () => {
    const run = await runCli([
      'verify',
      write('pinned.json', bundle),
      '--rpc',
      chain.rpcUrl,
      '--contract',
      '0x000000000000000000000000000000000000beef',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).failure).toMatchObject({ step: 'format', code: 'CONTRACT_MISMATCH' });
  });

  it('exits 3 with one line when the RPC is unreachable', async () => {
    const port = await freePort();
    const run = await runCli([
      'verify',
      write('unreachable.json', bundle),
      '--rpc',
      `http://127.0.0.1:${port}`,
      '--contract',
      contractAddress,
      '--timeout',
      '5',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('ordertrace:')),
    ).toHaveLength(1);
    expect(run.stderr).toMatch(/ordertrace: .*cannot reach the RPC node/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  describe('pinning', () => {
    it('refuses to call anything verified without a pin: exit 2 naming the options', async () => {
      const run = await runCli(['verify', write('unpinned.json', bundle), '--rpc', chain.rpcUrl]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/--trust <file>.*--contract <address>.*--allow-unpinned/);
    });

    it('with --allow-unpinned checks against the contract the bundle names, and says so', async () => {
      const human = await runCli(['verify', write('allow-unpinned.json', lookAlikeBundle), '--rpc', chain.rpcUrl, '--allow-unpinned']);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^Pinned\s+NOTHING \(--allow-unpinned\)/m);
      const json = await runCli([
        'verify',
        write('allow-unpinned.json', lookAlikeBundle),
        '--rpc',
        chain.rpcUrl,
        '--allow-unpinned',
        '--json',
      ]);
      expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'verified', pinned: false, contract: lookAlike });
    });

    it('holds a bundle anchored in a look-alike contract with the same roots invalid at step 1, naming both contracts', async () => {
      const run = await runCli(['verify', write('look-alike.json', lookAlikeBundle), '--trust', trustPath, '--json']);
      expect(run.code).toBe(1);
      const data = JSON.parse(run.stdout);
      expect(data.failure).toMatchObject({ step: 'format', code: 'CONTRACT_MISMATCH', index: -1 });
      expect(data.failure.message).toContain(lookAlike);
      expect(data.failure.message).toContain(contractAddress);
      const human = await runCli(['verify', write('look-alike.json', lookAlikeBundle), '--trust', trustPath]);
      expect(human.stdout).toMatch(/INVALID: the bundle fails step 1 "format" \(CONTRACT_MISMATCH\)/);
    });

    it('reads the pinned chain id and contract from --contract and --chain-id too', async () => {
      const args = ['--rpc', chain.rpcUrl, '--contract', contractAddress, '--chain-id', '1', '--json'];
      const run = await runCli(['verify', write('chain-id.json', bundle), ...args]);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).failure).toMatchObject({ step: 'format', code: 'CHAIN_MISMATCH' });
    });

    it('still verifies bundles of a previous contract the trust file lists', async () => {
      const rotated = write('rotated-trust.json', {
        format: 'ordertrace-trust/1',
        chainId: 31337,
        contract: lookAlike,
        rpc: [chain.rpcUrl],
        publisher: { name: 'Acme' },
        previous: [{ chainId: 31337, contract: contractAddress, until: '2026-11-25' }],
      });
      const run = await runCli(['verify', write('previous.json', bundle), '--trust', rotated, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).pin).toMatchObject({ contract: contractAddress, matched: 'previous', source: `trust file ${rotated}` });
    });

    it('exits 2 naming the file when the trust file is not valid', async () => {
      const bad = write('bad-trust.json', { format: 'ordertrace-trust/1', chainId: 31337, contract: '0x12', rpc: [] });
      const run = await runCli(['verify', write('bad-trust-bundle.json', bundle), '--trust', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${bad} is not an ordertrace-trust/1 file: contract must be a 20-byte 0x address`);
    });
  });

  describe('several RPC endpoints', () => {
    it('is invalid, naming the endpoint, when one of two endpoints lies about the root', async () => {
      const trust = write('two-trust.json', {
        format: 'ordertrace-trust/1',
        chainId: 31337,
        contract: contractAddress,
        rpc: [chain.rpcUrl, liar.url],
      });
      const before = liar.lies;
      const run = await runCli(['verify', write('liar.json', bundle), '--trust', trust, '--json']);
      expect(run.code).toBe(1);
      expect(liar.lies).toBeGreaterThan(before);
      const data = JSON.parse(run.stdout);
      expect(data.verdict).toBe('invalid');
      expect(data.failure).toMatchObject({ step: 'anchor', code: 'ENDPOINTS_DISAGREE' });
      expect(data.failure.message).toContain(liar.url);
      expect(data.endpoints.map((e: { status: string }) => e.status)).toEqual(['disagreed', 'disagreed']);
    });

    it('verifies with a note when one of two endpoints is dead', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const args = ['verify', write('dead.json', bundle), '--rpc', dead, '--rpc', chain.rpcUrl, '--trust', trustPath, '--timeout', '5'];
      const json = await runCli([...args, '--json']);
      expect(json.code).toBe(0);
      const data = JSON.parse(json.stdout);
      expect(data.rpc).toEqual([dead, chain.rpcUrl]);
      expect(data.endpoints).toEqual([
        { url: dead, status: 'failed', detail: expect.stringContaining('cannot reach') },
        { url: chain.rpcUrl, status: 'answered' },
      ]);
      const human = await runCli(args);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`Note      ${dead} failed`);
    });
  });

  describe('report', () => {
    it('writes an evidence PDF with the verification at export time; the exit code is the verdict', async () => {
      const out = join(dir, 'report.pdf');
      const run = await runCli(['report', write('report.json', bundle), '-o', out, '--trust', trustPath, '--json']);
      expect(run.code).toBe(0);
      const data = JSON.parse(run.stdout);
      expect(data).toMatchObject({ output: out, order: 'ord_cli_verify', events: 6 });
      expect(data.verification.verdict).toBe('verified');
      expect(data.pinned).toBe(true);
      expect(data.rpc).toEqual([chain.rpcUrl]);
      const pdf = readFileSync(out);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBe(data.bytes);
    });

    it('writes the report of a tampered bundle and exits 1', async () => {
      const tampered = clone(bundle);
      tampered.events[0].disclosed!.shippingAddress.salt = randomSalt();
      const out = join(dir, 'tampered.pdf');
      const run = await runCli([
        'report',
        write('report-tampered.json', tampered),
        '-o',
        out,
        '--rpc',
        chain.rpcUrl,
        '--contract',
        contractAddress,
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Verification at export time: INVALID: event seq 1 \(#1 in the bundle\) fails step 3 "disclosure"/);
      expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('refuses to check against the chain with nothing pinned (exit 2, no PDF) unless --allow-unpinned', async () => {
      const out = join(dir, 'unpinned.pdf');
      const refused = await runCli(['report', write('report-unpinned.json', bundle), '-o', out, '--rpc', chain.rpcUrl]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/nothing to verify against: give --trust/);
      expect(existsSync(out)).toBe(false);

      const allowed = await runCli([
        'report',
        write('report-unpinned.json', bundle),
        '-o',
        out,
        '--rpc',
        chain.rpcUrl,
        '--allow-unpinned',
        '--json',
      ]);
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ pinned: false, verification: { verdict: 'verified' } });

      const lookAlike = await runCli(['report', write('report-look-alike.json', lookAlikeBundle), '-o', out, '--trust', trustPath]);
      expect(lookAlike.code).toBe(1);
    });

    it('without --rpc says it did not check the chain and exits 0', async () => {
      const out = join(dir, 'offline.pdf');
      const run = await runCli(['report', write('report-offline.json', bundle), '-o', out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Not checked against a chain/);
    });
  });
});
