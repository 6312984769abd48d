/**
 * Deliberate crashes for the fault tests: with ORDERTRACE_FAULT_AFTER set to one of these points the
 * process kills itself with SIGKILL right there, the one crash a test cannot time from outside.
 * Unset in normal operation, where `crashPoint` does nothing.
 *
 * - sealed:    a batch was sealed (committed), before anchoring starts
 * - signed:    the anchoring transaction is stored as submitted but not yet broadcast
 * - submitted: the transaction was broadcast, before its receipt is seen
 * - mined:     the transaction is mined, while waiting for confirmations
 */
export type CrashPoint = 'sealed' | 'signed' | 'submitted' | 'mined';

const CRASH_POINTS: readonly CrashPoint[] = ['sealed', 'signed', 'submitted', 'mined'];

function configuredCrashPoint(): CrashPoint | null {
  const raw = process.env.ORDERTRACE_FAULT_AFTER?.trim();
  if (!raw) return null;
  const point = CRASH_POINTS.find((p) => p === raw);
  if (point === undefined) throw new Error(`ORDERTRACE_FAULT_AFTER must be one of ${CRASH_POINTS.join(', ')} (got "${raw}")`);
  return point;
}

const armed = configuredCrashPoint();

export function crashPoint(point: CrashPoint): void {
  if (armed !== point) return;
  process.stderr.write(`ORDERTRACE_FAULT_AFTER=${point}: killing process ${process.pid}\n`);
  process.kill(process.pid, 'SIGKILL');
}
