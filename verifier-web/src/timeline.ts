/**
 * The timeline the page shows, derived from a bundle and the proof core's verdict on it. Pure:
 * no DOM, no language; the bundle is untrusted, so every field is read defensively.
 */
import type { EventCheck, VerificationResult, VerifyStep } from '../../proof/verify';

export type RowStatus = EventCheck['status'];

export interface TimelineRow {
  index: number;
  seq: number | null;
  type: string | null;
  at: string | null;
  recorded: string | null;
  /** Public fields as [name, display value]. */
  data: [string, string][];
  /** Names of private fields present only as commitments. */
  sealed: string[];
  /** Private fields the bundle discloses (arbitration bundles), as [name, display value]. */
  disclosed: [string, string][];
  status: RowStatus;
  step?: VerifyStep;
  message?: string;
  anchor?: EventCheck['anchor'];
}

function asObject(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function entries(x: unknown, pick: (v: unknown) => unknown = (v) => v): [string, string][] {
  const o = asObject(x);
  return o === null ? [] : Object.keys(o).map((k) => [k, displayValue(pick(o[k]))]);
}

export function buildTimeline(bundle: unknown, result: VerificationResult): TimelineRow[] {
  const events = asObject(bundle)?.events;
  const list = Array.isArray(events) ? events : [];
  return result.events.map((check) => {
    const event = asObject(list[check.index]);
    const record = asObject(event?.record);
    const row: TimelineRow = {
      index: check.index,
      seq: check.seq ?? (typeof record?.seq === 'number' ? record.seq : null),
      type: check.type ?? (typeof record?.type === 'string' ? record.type : null),
      at: typeof record?.at === 'string' ? record.at : null,
      recorded: typeof record?.recorded === 'string' ? record.recorded : null,
      data: entries(record?.data),
      sealed: Object.keys(asObject(record?.sealed) ?? {}),
      disclosed: entries(event?.disclosed, (d) => asObject(d)?.value),
      status: check.status,
    };
    if (check.step !== undefined) row.step = check.step;
    if (check.message !== undefined) row.message = check.message;
    if (check.anchor !== undefined) row.anchor = check.anchor;
    return row;
  });
}

export function countByStatus(rows: readonly TimelineRow[], status: RowStatus): number {
  return rows.filter((r) => r.status === status).length;
}
