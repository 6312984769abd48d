/**
 * The `ordertrace` CLI's handling of arguments and hostile input, run in this process through
 * `run(argv, io)` (test/integration/cli-bin.spec.ts runs the real bin). Every bad input must end
 * with exit 2 (3 for an unreachable service) and exactly one "ordertrace: …" line on stderr — no
 * stack trace — before any chain is contacted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../support/chain';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bundle, type EventRecord, GENESIS_PREV, leafHash } from '../../proof';
import { runCli, type CliRun } from '../support/cli';

/** One clear error line on stderr (progress notes may precede it), no stack trace. */
function expectOneErrorLine(run: CliRun, pattern: RegExp): void {
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('ordertrace: '));
  expect(errors).toHaveLength(1);
  expect(lines[lines.length - 1]).toBe(errors[0]);
  expect(errors[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

function validBundle(): Bundle {
  const record: EventRecord = {
    v: 1,
    brand: 'acme',
    order: 'ord_unit',
    seq: 1,
    type: 'created',
    at: '2026-11-24T10:00:00.000Z',
    recorded: '2026-11-24T10:00:01.000Z',
    data: { note: 'x' },
    sealed: {},
    prev: GENESIS_PREV,
  };
  return {
    format: 'ordertrace-bundle/1',
    chain: { chainId: 31337, contract: '0x5fbdb2315678afecb367f032d93f642f64180aa3' },
    order: 'ord_unit',
    brand: 'acme',
    events: [{ record, leaf: leafHash(record), anchor: null }],
  };
}

describe('ordertrace CLI input handling', () => {
  let dir: string;
  let rpc: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-cli-input-'));
    rpc = `http://127.0.0.1:${await freePort()}`;
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  describe('help and usage', () => {
    it('prints help with every command and the exit codes, exit 0', async () => {
      const run = await runCli(['--help']);
      expect(run.code).toBe(0);
      for (const command of ['verify', 'report', 'audit', 'export']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(run.stdout).toMatch(/Exit codes: 0 verified/);
    });

    it.each(['verify', 'report', 'audit', 'export'])('%s has --help and --json', async (command) => {
      const run = await runCli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: ordertrace ${command} `));
      expect(run.stdout).toMatch(/--json/);
    });

    it('prints the version', async () => {
      const run = await runCli(['--version']);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('exits 2 without a command', async () => {
      const run = await runCli([]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/Usage: ordertrace/);
    });

    it.each([
      [['bogus'], /unknown command 'bogus'/],
      [['verify', 'b.json', '--rpc', 'http://x'], /nothing to verify against: give --trust <file>.*--allow-unpinned/],
      [['verify', 'b.json', '--allow-unpinned'], /no JSON-RPC endpoint: give --rpc/],
      [['verify', 'b.json', '--rpc', 'http://x', '--chain-id', 'one'], /--chain-id/],
      [['verify', 'b.json', '--rpc', 'not a url'], /--rpc .*not a URL/],
      [['verify', 'b.json', '--rpc', 'ftp://x'], /--rpc .*http/],
      [['verify', 'b.json', '--rpc', 'http://x', '--confirmations', '-1'], /--confirmations/],
      [['verify', 'b.json', '--rpc', 'http://x', '--confirmations', 'many'], /--confirmations/],
      [['verify', 'b.json', '--rpc', 'http://x', '--contract', '0x12'], /--contract .*address/],
      [['verify', 'b.json', '--rpc', 'http://x', '--bogus'], /unknown option '--bogus'/],
      [['verify', '--rpc', 'http://x'], /missing required argument 'bundle'/],
      [['report', 'b.json'], /required option '-o, --output <file>'/],
      [['audit', '--rpc', 'http://x'], /give --database-url <url>, or --api <url> with --trust <file>/],
      [['audit', '--api', 'http://x', '--database-url', 'postgres://x/y'], /--database-url.*cannot be used with.*--api/],
      [['audit', '--rpc', 'http://x', '--database-url', 'mysql://x'], /--database-url .*postgres/],
      [['export', 'ord_1', '--api', 'http://x'], /required option '--key <key>'/],
      [['export', 'ord 1', '--api', 'http://x', '--key', 'k'], /order id/],
      [['export', 'ord_1', '--api', 'http://x', '--key', 'k', '--disclose', 'a,,b'], /--disclose/],
    ])('exits 2 with one line for %j', async (args, message) => {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expectOneErrorLine(run, message);
      expect(run.stdout).toBe('');
    });

    it('reports usage errors as JSON on stdout with --json', async () => {
      const run = await runCli(['verify', 'missing.json', '--rpc', rpc, '--allow-unpinned', '--json']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'INPUT', message: 'cannot read missing.json: no such file' }, exitCode: 2 });
      expectOneErrorLine(run, /cannot read missing\.json: no such file/);
    });
  });

  describe('malformed bundles: exit 2, one line, before any chain access', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const withDeepData = () => {
      const b = validBundle() as unknown as { events: { record: { data: unknown } }[] };
      let v: unknown = 'x';
      for (let i = 0; i < 80; i++) v = { v };
      b.events[0].record.data = { v };
      return JSON.stringify(b);
    };
    const cases: [string, () => string | Buffer, RegExp][] = [
      ['an empty file', () => '', /is empty/],
      ['whitespace only', () => ' \n\t ', /is empty/],
      ['a truncated bundle', () => JSON.stringify(validBundle()).slice(0, 120), /not valid JSON: truncated or incomplete JSON/],
      ['plain text', () => 'hello, this is not JSON', /not valid JSON/],
      ['binary bytes', () => Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f, 0x00]), /not UTF-8 text/],
      ['a JSON array', () => '[1,2,3]', /not an ordertrace-bundle\/1: .*must be an object/],
      ['JSON null', () => 'null', /not an ordertrace-bundle\/1/],
      ['a number', () => '42', /not an ordertrace-bundle\/1/],
      [
        'another format',
        () => JSON.stringify({ ...validBundle(), format: 'ordertrace-bundle/2' }),
        /format must be "ordertrace-bundle\/1"/,
      ],
      [
        'wrong types',
        () => JSON.stringify({ ...validBundle(), chain: { chainId: '31337', contract: 12 }, events: 'none' }),
        /chain\.chainId must be a positive integer; chain\.contract must be a 20-byte 0x address; events must be an array/,
      ],
      ['an event that is not an object', () => JSON.stringify({ ...validBundle(), events: [42] }), /events\[0\] must be an object/],
      [
        'a leaf of the wrong type',
        () => JSON.stringify({ ...validBundle(), events: [{ ...validBundle().events[0], leaf: 7 }] }),
        /events\[0\]\.leaf must be 32 bytes/,
      ],
      ['no events', () => JSON.stringify({ ...validBundle(), events: [] }), /events must not be empty/],
      [
        'a huge events array',
        () =>
          `{"format":"ordertrace-bundle/1","chain":{"chainId":1,"contract":"0x5fbdb2315678afecb367f032d93f642f64180aa3"},"order":"o","brand":"b","events":[${'0,'.repeat(200_000)}0]}`,
        /events has more than 100000 entries/,
      ],
      [
        'a huge proof',
        () => {
          const b = validBundle();
          b.events[0].anchor = {
            batch: 1,
            root: b.events[0].leaf,
            proof: Array(5000).fill(b.events[0].leaf),
            txHash: b.events[0].leaf,
            blockNumber: 1,
            blockHash: b.events[0].leaf,
          };
          return JSON.stringify(b);
        },
        /proof must be an array of at most 64/,
      ],
      ['many problems at once', () => JSON.stringify({ events: Array(50).fill({}) }), /\(and \d+ more\)$/],
      ['a million nested arrays', () => deep(1_000_000), /nests JSON deeper than \d+ levels \(at byte \d+\)/],
      ['deeply nested record data', withDeepData, /nests JSON deeper than/],
      ['a file over the size cap', () => Buffer.alloc(33 * 1024 * 1024, 0x20), /larger than 32 MiB/],
    ];

    it.each(cases)('refuses %s', async (name, content, message) => {
      const path = file(`${name.replace(/\W+/g, '-')}.json`, content());
      const run = await runCli(['verify', path, '--rpc', rpc, '--allow-unpinned']);
      expect(run.code).toBe(2);
      expectOneErrorLine(run, message);
      expect(run.stdout).toBe('');
    });

    it('refuses the same input on stdin', async () => {
      const run = await runCli(['verify', '-', '--rpc', rpc, '--allow-unpinned'], { input: JSON.stringify(validBundle()).slice(0, 50) });
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /stdin is not valid JSON: truncated/);
    });

    it('refuses more than the size cap on stdin without reading it all', async () => {
      const run = await runCli(['verify', '-', '--rpc', rpc, '--allow-unpinned'], { input: Buffer.alloc(40 * 1024 * 1024, 0x20) });
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /stdin is larger than 32 MiB/);
    });

    it('refuses a directory', async () => {
      mkdirSync(join(dir, 'a-dir'), { recursive: true });
      const run = await runCli(['verify', join(dir, 'a-dir'), '--rpc', rpc, '--allow-unpinned']);
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /is a directory/);
    });

    it('resolves relative paths against the working directory', async () => {
      file('relative.json', 'nope');
      const run = await runCli(['verify', 'relative.json', '--rpc', rpc, '--allow-unpinned'], { cwd: dir });
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /relative\.json is not valid JSON/);
    });
  });

  describe('unreachable services: exit 3, one line', () => {
    it('verify: the RPC node', async () => {
      const run = await runCli(['verify', file('valid.json', JSON.stringify(validBundle())), '--rpc', rpc, '--allow-unpinned', '--json']);
      expect(run.code).toBe(3);
      expectOneErrorLine(run, /cannot reach the RPC node at http:\/\/127\.0\.0\.1:\d+/);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'CHAIN_UNAVAILABLE' }, exitCode: 3 });
    });

    it('audit: the database', async () => {
      const port = await freePort();
      const run = await runCli(['audit', '--database-url', `postgres://postgres:secret@127.0.0.1:${port}/nope`, '--rpc', rpc]);
      expect(run.code).toBe(3);
      expectOneErrorLine(run, /cannot connect to the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/nope/);
      expect(run.stderr).not.toContain('secret');
    });

    it('export: the API', async () => {
      const port = await freePort();
      const run = await runCli(['export', 'ord_1', '--api', `http://127.0.0.1:${port}`, '--key', 'k']);
      expect(run.code).toBe(3);
      expectOneErrorLine(run, /cannot reach the ordertrace API at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    });
  });

  describe('report output', () => {
    it('exits 2 when the PDF cannot be written', async () => {
      const run = await runCli([
        'report',
        file('for-report.json', JSON.stringify(validBundle())),
        '-o',
        join(dir, 'no', 'such', 'dir', 'r.pdf'),
      ]);
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /cannot write .*r\.pdf: no such directory/);
    });

    it('writes a PDF of an unverified bundle without --rpc, exit 0', async () => {
      const out = join(dir, 'offline.pdf');
      const run = await runCli(['report', file('offline.json', JSON.stringify(validBundle())), '-o', out, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ output: out, order: 'ord_unit', events: 1, verification: null });
    });
  });
});
