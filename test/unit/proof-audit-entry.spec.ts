/**
 * Audit trail entries (proof/audit-entry.ts): the hash covers every field and the previous hash,
 * under its own domain byte; a chain walk reports an edited, removed or reordered entry once, at
 * the entry itself; AuditTrailCheck names the entry and compares the database's head.
 */
import { type AuditEntry, type AuditEntryFields, AUDIT_GENESIS_PREV, auditEntryHash, checkAuditEntry } from '../../proof/audit-entry';
import { canonicalJson } from '../../proof/canonical';
import { leafHashOfCanonical } from '../../proof/hashes';
import { AuditTrailCheck } from '../../cli/audit/audit-trail-check';
import type { Discrepancy } from '../../cli/audit/discrepancy';
import type { Hex } from '../../proof/bytes';

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev: Hex = AUDIT_GENESIS_PREV;
  for (let seq = 1; seq <= n; seq++) {
    const fields: AuditEntryFields = {
      seq,
      at: `2026-11-29T10:00:0${seq % 10}.000Z`,
      actor: seq % 2 ? 'operator' : 'key:7b1d0c9e-0000-4000-8000-000000000001',
      action: 'key.created',
      target: `key:${seq}`,
      details: { roles: ['auditor'], brand: null },
      from: seq === 3 ? null : '192.0.2.1',
      prev,
    };
    const entry = { ...fields, hash: auditEntryHash(fields) };
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

function walk(entries: AuditEntry[], head?: { seq: number; hash: string }): Discrepancy[] {
  const found: Discrepancy[] = [];
  const check = new AuditTrailCheck((d) => found.push(d));
  for (const e of entries) check.add(e);
  check.finish(head);
  return found;
}

describe('audit trail entries', () => {
  it('hash the canonical entry without its hash, under a domain byte of their own (not a leaf of the same JSON)', () => {
    const [first] = chain(1);
    const { hash, ...fields } = first;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(auditEntryHash({ ...fields, hash: '0x00' } as AuditEntry)).toBe(hash);
    expect(leafHashOfCanonical(canonicalJson(fields))).not.toBe(hash);
  });

  it('change their hash with every field', () => {
    const [first] = chain(1);
    const variants: Partial<AuditEntryFields>[] = [
      { seq: 2 },
      { at: '2026-11-29T10:00:01.001Z' },
      { actor: 'consumer' },
      { action: 'key.revoked' },
      { target: 'key:2' },
      { details: { roles: ['arbitrator'], brand: null } },
      { from: '192.0.2.2' },
      { from: null },
      { prev: `0x${'11'.repeat(32)}` },
    ];
    for (const v of variants) expect(auditEntryHash({ ...first, ...v })).not.toBe(first.hash);
  });

  it('pass a whole chain, and name an edited, removed or reordered entry once', () => {
    const entries = chain(6);
    expect(walk(entries, { seq: 6, hash: entries[5].hash })).toEqual([]);

    const edited = entries.map((e) => (e.seq === 3 ? { ...e, target: 'key:other' } : e));
    expect(walk(edited).map((d) => [d.entry, d.code])).toEqual([[3, 'AUDIT_HASH_MISMATCH']]);

    const rehashed = edited.map((e) => (e.seq === 3 ? { ...e, hash: auditEntryHash(e) } : e));
    expect(walk(rehashed).map((d) => [d.entry, d.code])).toEqual([[4, 'AUDIT_PREV_MISMATCH']]);

    const removed = entries.filter((e) => e.seq !== 2);
    expect(walk(removed).map((d) => [d.entry, d.code])).toEqual([
      [3, 'AUDIT_SEQ_GAP'],
      [3, 'AUDIT_PREV_MISMATCH'],
    ]);

    const swapped = [entries[0], entries[2], entries[1], ...entries.slice(3)];
    expect(walk(swapped).map((d) => d.code)).toContain('AUDIT_SEQ_GAP');

    expect(checkAuditEntry({ ...entries[0], hash: 'not-a-hash' as Hex }, 0, AUDIT_GENESIS_PREV).map((p) => p.code)).toEqual([
      'AUDIT_HASH_MISMATCH',
    ]);
  });

  it('report entries cut off the end against the head the database records', () => {
    const entries = chain(4);
    expect(walk(entries.slice(0, 3), { seq: 4, hash: entries[3].hash }).map((d) => [d.entry, d.code])).toEqual([
      [4, 'AUDIT_HEAD_MISMATCH'],
    ]);
    expect(walk([], { seq: 0, hash: AUDIT_GENESIS_PREV })).toEqual([]);
  });
});
