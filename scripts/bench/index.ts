/**
 * `npm run bench`: prints every benchmark as a table (`--json` for machines, `--proof-only` to
 * skip the service). Numbers in the README and issue notes come from here.
 */
import type { BenchRow } from './bench-row';
import { runProofBenchmarks } from './proof.bench';
import { runServiceBenchmarks } from './service.bench';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const rows: BenchRow[] = [];
  progress('proof core…');
  rows.push(...(await runProofBenchmarks(progress)));
  if (!process.argv.includes('--proof-only')) {
    progress('service (PostgreSQL at 127.0.0.1:5432 and a Hardhat node)…');
    rows.push(...(await runServiceBenchmarks(progress)));
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const fmt = (value: number, unit: string) => `${Math.round(value).toLocaleString('en')} ${unit}`;
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const baseline = r.baseline ? `   ${(r.ratio ?? 0).toFixed(2)}× ${r.baseline.name} (${fmt(r.baseline.value, r.baseline.unit)})` : '';
    const target = r.target ? `   [${r.target.pass ? 'pass' : 'FAIL'}: ${r.target.text}]` : '';
    console.log(
      `${r.name.padEnd(width)}  ${fmt(r.value, r.unit).padStart(16)}${baseline}${target}${r.note ? `\n${' '.repeat(width + 2)}  ${r.note}` : ''}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
