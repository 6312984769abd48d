/**
 * The service's audit trail (docs/proof-spec.md §9): privileged actions, append-only and
 * hash-chained. Each entry's hash covers every field and the previous entry's hash, so an edited,
 * removed or reordered entry breaks the chain from there on. Shared by the server (which writes
 * entries) and `ordertrace audit` (which checks them).
 */
import { type Hex, isHex32, ZERO32 } from './bytes';
import { canonicalJson, type JsonValue } from './canonical';
import { auditEntryHashOfCanonical } from './hashes';

/** `prev` of the first entry: 32 zero bytes. */
export const AUDIT_GENESIS_PREV: Hex = ZERO32;

/** One entry as hashed; `hash` is not part of its own preimage. */
export interface AuditEntryFields {
  seq: number;
  /** RFC 3339 UTC with milliseconds. */
  at: string;
  /** `operator`, `key:<key id>`, `consumer`, or `system` (the service itself). */
  actor: string;
  /** What was done, e.g. `key.created`. */
  action: string;
  /** What it was done to, e.g. `key:<key id>`, `order:<order id>`. */
  target: string;
  /** Further facts (never a secret or a sealed value). */
  details: { [key: string]: JsonValue };
  /** The client's address as the service saw it; null when the action came from no request. */
  from: string | null;
  prev: Hex;
}

export interface AuditEntry extends AuditEntryFields {
  hash: Hex;
}

/** The fields in the order and shape they are hashed. */
function preimageOf(entry: AuditEntryFields): AuditEntryFields {
  const { seq, at, actor, action, target, details, from, prev } = entry;
  return { seq, at, actor, action, target, details, from, prev };
}

/** hash = H(0x03 || JCS({seq, at, actor, action, target, details, from, prev})). */
/** An entry as the audit_log table stores it (its columns), read by the service and by `ordertrace audit --database-url`. */
export interface StoredAuditEntry {
  seq: string | number;
  at: Date | string;
  actor: string;
  action: string;
  target: string;
  details: { [key: string]: JsonValue };
  from_address: string | null;
  prev: string;
  hash: string;
}

/** The entry a stored row holds, times in the record format. */
export function auditEntryOfRow(row: StoredAuditEntry): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details,
    from: row.from_address,
    prev: row.prev as Hex,
    hash: row.hash as Hex,
  };
}

export function auditEntryHash(entry: AuditEntryFields): Hex {
  return auditEntryHashOfCanonical(canonicalJson(preimageOf(entry)));
}

/** What is wrong with the next entry of a chain whose last entry had `lastSeq` and `lastHash`. */
export type AuditChainProblem =
  | { code: 'AUDIT_SEQ_GAP'; message: string }
  | { code: 'AUDIT_PREV_MISMATCH'; message: string }
  | { code: 'AUDIT_HASH_MISMATCH'; message: string };

/**
 * Checks one entry against its predecessor: seq follows on, prev is the previous hash, and the
 * stated hash is the entry's. Walk a chain from `{ lastSeq: 0, lastHash: AUDIT_GENESIS_PREV }`,
 * carrying the entry's stated seq and hash forward, so one edited entry is reported once.
 */
export function checkAuditEntry(entry: AuditEntry, lastSeq: number, lastHash: Hex): AuditChainProblem[] {
  const problems: AuditChainProblem[] = [];
  if (entry.seq !== lastSeq + 1) {
    problems.push({
      code: 'AUDIT_SEQ_GAP',
      message:
        entry.seq <= lastSeq ? `entry ${entry.seq} appears after entry ${lastSeq}` : `entries ${lastSeq + 1}..${entry.seq - 1} are missing`,
    });
  }
  if (entry.prev !== lastHash) {
    problems.push({ code: 'AUDIT_PREV_MISMATCH', message: `prev ${entry.prev} is not the hash of entry ${lastSeq} (${lastHash})` });
  }
  let computed: Hex | null;
  try {
    computed = isHex32(entry.hash) ? auditEntryHash(entry) : null;
  } catch {
    computed = null;
  }
  if (computed !== entry.hash) {
    problems.push({
      code: 'AUDIT_HASH_MISMATCH',
      message:
        computed === null ? 'the entry cannot be hashed or its hash is malformed' : `the entry hashes to ${computed}, not ${entry.hash}`,
    });
  }
  return problems;
}
