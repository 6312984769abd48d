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
  // A test knob, not configuration: a typo must not keep the service from starting.
  if (point === undefined) process.stderr.write(`ignoring ORDERTRACE_FAULT_AFTER="${raw}": not one of ${CRASH_POINTS.join(', ')}\n`);
  return point ?? null;
}

const armed = configuredCrashPoint();

export function crashPoint(point: CrashPoint): void {
  if (armed !== point) return;
  process.stderr.write(`ORDERTRACE_FAULT_AFTER=${point}: killing process ${process.pid}\n`);
  process.kill(process.pid, 'SIGKILL');
}
