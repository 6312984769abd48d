/**
 * Checks the service's audit trail as it streams in seq order: every entry's hash recomputed, its
 * prev the previous entry's hash, no seq missing. Holds only the previous entry.
 */
import { type AuditEntry, AUDIT_GENESIS_PREV, checkAuditEntry } from '../../proof/audit-entry';
import type { Hex } from '../../proof/bytes';
import type { Discrepancy } from './discrepancy';

export class AuditTrailCheck {
  entries = 0;
  private lastSeq = 0;
  private lastHash: Hex = AUDIT_GENESIS_PREV;

  constructor(private readonly report: (d: Discrepancy) => void) {}

  add(entry: AuditEntry): void {
    this.entries++;
    for (const problem of checkAuditEntry(entry, this.lastSeq, this.lastHash)) {
      this.report({ entry: entry.seq, code: problem.code, message: problem.message });
    }
    // The stated values carry forward: an edited entry is reported once, not at every later one.
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
    this.lastHash = entry.hash;
  }

  /** With the head as the database records it (database mode): entries cut off the end show here. */
  finish(head?: { seq: number; hash: string }): void {
    if (head === undefined) return;
    if (head.seq !== this.lastSeq || (head.seq > 0 && head.hash !== this.lastHash)) {
      this.report({
        entry: head.seq,
        code: 'AUDIT_HEAD_MISMATCH',
        message: `the trail's head is entry ${head.seq} (${head.hash}), but the last entry is ${this.lastSeq} (${this.lastHash})`,
      });
    }
  }

  get lastEntry(): number {
    return this.lastSeq;
  }
}
