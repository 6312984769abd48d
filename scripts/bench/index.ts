/**
 * `npm run bench`: prints every benchmark as a table (`--json` for machines, `--proof-only` to
 * skip the service). Numbers in the README and issue notes come from here.
 */
import { type BenchRow, runProofBenchmarks } from './proof.bench';
import { runServiceBenchmarks } from './service.bench';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const rows: BenchRow[] = [];
  progress('proof core…');
  rows.push(...runProofBenchmarks(progress));
  if (!process.argv.includes('--proof-only')) {
    progress('service (PostgreSQL at 127.0.0.1:5432 and a Hardhat node)…');
    rows.push(...(await runServiceBenchmarks(progress)));
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const fmt = (r: BenchRow) => `${Math.round(r.value).toLocaleString('en')} ${r.unit}`;
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${fmt(r).padStart(14)}${r.baseline ? `   (baseline: ${r.baseline})` : ''}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
