/**
 * `npm run bench`: every benchmark with the baseline measured in the same run, their ratio, the
 * target and whether it is met. Progress goes to stderr, the table (or `--json`) to stdout, and
 * `--out FILE` also writes the rows as JSON. `--only proof,http,ingest,page,cli` picks groups; `--quick`
 * shortens every figure (for a smoke run, not for claims); `--profile` adds where one worker's CPU
 * time goes under event appends.
 */
import { writeFileSync } from 'node:fs';
import type { BenchRow } from './bench-row';
import { runCliBenchmarks } from './cli.bench';
import { runHttpBenchmarks } from './http.bench';
import { DEFAULT_INGEST_OPTIONS, runIngestBenchmarks } from './ingest.bench';
import { runProofBenchmarks } from './proof.bench';
import { runPageBenchmarks } from './page.bench';

interface BenchArgs {
  json: boolean;
  out: string | null;
  only: Set<string> | null;
  quick: boolean;
  profile: boolean;
}

const GROUPS = ['proof', 'http', 'ingest', 'page', 'cli'] as const;

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { json: false, out: null, only: null, quick: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--quick') args.quick = true;
    else if (a === '--profile') args.profile = true;
    else if (a === '--proof-only') args.only = new Set(['proof']);
    else if (a === '--out') args.out = argv[++i] ?? null;
    else if (a === '--only') args.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        `usage: npm run bench -- [--only ${GROUPS.join(',')}] [--quick] [--profile] [--json] [--out FILE]\n` +
          'Prints each figure with a baseline measured in the same run, the ratio (> 1 is better than the baseline), the target and pass/fail.\n' +
          '--profile also profiles the one-worker append figure and prints where its CPU time goes, by phase.\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  if (args.out === '') throw new Error('--out needs a file name');
  for (const g of args.only ?? [])
    if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`unknown group ${g}; groups: ${GROUPS.join(', ')}`);
  return args;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The rows as a Markdown table, the form the README quotes. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['group', 'what', 'ordertrace', 'baseline (same run)', 'ratio', 'target', 'pass'];
  const lines = rows.map((r) => [
    r.group,
    r.name,
    `${formatNumber(r.value)} ${r.unit}`,
    r.baseline ? `${formatNumber(r.baseline.value)} ${r.baseline.unit} (${r.baseline.name})` : '—',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '—',
    r.target?.text ?? '—',
    r.target ? (r.target.pass ? 'pass' : 'FAIL') : '—',
  ]);
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return [...out, '', ...notes].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wanted = (g: string) => args.only === null || args.only.has(g);
  const started = performance.now();
  const progress = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  // A group that fails is reported and the others still run, so one broken figure costs no others.
  const group = async (name: string, intro: string, run: () => Promise<BenchRow[]>): Promise<void> => {
    if (!wanted(name)) return;
    progress(intro);
    try {
      rows.push(...(await run()));
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      progress(`${name} failed: ${failures[failures.length - 1]}`);
    }
  };
  await group('proof', 'proof core…', () => runProofBenchmarks(progress));
  await group('http', 'HTTP stack against bare node:http…', () => runHttpBenchmarks(progress));
  await group('ingest', 'ingest, sealing and anchoring (PostgreSQL at 127.0.0.1:5432, a Hardhat node, the built service)…', () =>
    runIngestBenchmarks(
      progress,
      args.quick
        ? { seconds: 3, sealEvents: 100_000, infoLevel: args.profile, profile: args.profile }
        : { ...DEFAULT_INGEST_OPTIONS, profile: args.profile },
    ),
  );
  await group('page', 'the verifier page in Chromium, as a phone (PostgreSQL, a Hardhat node, the built service)…', () =>
    runPageBenchmarks(progress, args.quick ? 2 : undefined),
  );
  await group('cli', 'the ordertrace CLI: verify wall time and audit (the built CLI, PostgreSQL, a Hardhat node)…', () =>
    runCliBenchmarks(progress, args.quick ? { verifyRuns: 5, auditOrders: 10_000 } : {}),
  );
  const report = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    at: new Date().toISOString(),
    rows,
    failures,
  };
  if (args.out !== null) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(rows)}\n`);
  const failed = rows.filter((r) => r.target && !r.target.pass).length;
  progress(`done in ${((performance.now() - started) / 1000).toFixed(0)} s: ${rows.length} figures, ${failed} below target`);
  if (failures.length > 0) throw new Error(`benchmarks that failed to run:\n${failures.join('\n')}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
