/**
 * The soak as part of the suite: `scripts/soak` run as its CLI for 3 minutes (ORDERTRACE_SOAK_MINUTES
 * to change it) against PostgreSQL and a Hardhat node; its JSON report must pass every check.
 * Memory is compared from half-way (the warm-up: the service fills its pools and caches, and the
 * flag evaluator its first pages, into the second minute), so that warm-up is not judged as growth,
 * and each end by the median of its samples (scripts/soak/memory.ts).
 * Longer runs (docs/operations.md) stay outside CI.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SoakReport } from '../../scripts/soak';

const MINUTES = Number(process.env.ORDERTRACE_SOAK_MINUTES ?? '3');

jest.setTimeout((MINUTES * 60 + 360) * 1000);

function runSoakCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(root, 'scripts/soak/index.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.ORDERTRACE_TEST_VERBOSE) process.stderr.write(d);
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('soak', () => {
  it(`${MINUTES} minutes of mixed traffic: no unexpected error, everything anchored, memory steady`, async () => {
    const { code, stdout, stderr } = await runSoakCli(['--minutes', String(MINUTES), '--rate', '20', '--json']);
    if (code !== 0 && !stdout.trim().startsWith('{')) throw new Error(`soak exited ${code}:\n${stderr.slice(-3000)}`);
    const report = JSON.parse(stdout) as SoakReport;
    process.stdout.write(
      `soak ${report.seconds} s: ${report.requests} requests (${report.achievedRate}/s), unexpected ${report.unexpected}, ` +
        `expected ${JSON.stringify(report.expected)}; ${report.events} events in ${report.batches} batches, unanchored ${report.unanchored}; ` +
        `rss ${report.memory.afterWarmUp.rssMb} -> ${report.memory.end.rssMb} MB, heap ${report.memory.afterWarmUp.heapUsedMb} -> ` +
        `${report.memory.end.heapUsedMb} MB; event-loop delay p99 ${report.eventLoopDelayMs.p99} ms\n`,
    );
    // Progress went to stderr, the report alone to stdout.
    expect(stderr).toMatch(/\[soak .*\] \d+\/\d+ s: \d+ requests/);
    expect(report.unexpectedSamples).toEqual([]);
    expect(report.unexpected).toBe(0);
    expect(report.requests).toBeGreaterThan(MINUTES * 60 * 10);
    expect(Object.values(report.kinds).every((k) => k.requests > 0)).toBe(true);
    expect(report.unanchored).toBe(0);
    expect(report.events).toBeGreaterThan(0);
    expect(report.contractLastSeq).toBe(report.batches);
    expect(report.anchoredLogs).toBe(report.batches);
    expect(report.memory.rssGrowth).toBeLessThanOrEqual(0.1);
    expect(report.memory.heapGrowth).toBeLessThanOrEqual(0.1);
    expect(report.eventLoopDelayMs.p99).toBeGreaterThan(0);
    expect(report.passed).toBe(true);
    expect(code).toBe(0);
  });
});
