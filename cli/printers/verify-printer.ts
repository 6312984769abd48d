/** Human output of `ordertrace verify`: a per-event table and the overall verdict. */
import type { Writable } from 'node:stream';
import { STEP_NUMBER } from '../../proof/verify';
import type { VerifiedEvent, VerifyData } from '../commands/verify';
import { formatTable } from './text-table';

export function printVerify(data: VerifyData, out: Writable): void {
  out.write(`Bundle    ${data.source}: order ${data.order ?? '?'} of brand ${data.brand ?? '?'}, ${data.events.length} event(s)\n`);
  out.write(
    `Chain     ${data.chainId ?? '?'} via ${data.rpc.join(', ')}, contract ${data.contract ?? '?'}` +
      (data.headBlock !== null ? `, head block ${data.headBlock}` : '') +
      `, ${data.confirmationsRequired} confirmation(s) required\n`,
  );
  out.write(`${pinLine(data)}\n`);
  for (const e of data.endpoints ?? []) if (e.status !== 'answered') out.write(`Note      ${e.url} ${e.status}: ${e.detail ?? ''}\n`);
  out.write('\n');
  out.write(
    formatTable<VerifiedEvent>(data.events, [
      { header: 'SEQ', value: (e) => e.seq, align: 'right' },
      { header: 'TYPE', value: (e) => e.type },
      { header: 'AT', value: (e) => e.at },
      { header: 'STATUS', value: (e) => e.status },
      { header: 'BATCH', value: (e) => e.anchor?.batch ?? e.claimedBatch, align: 'right' },
      { header: 'BLOCK', value: (e) => e.anchor?.blockNumber, align: 'right' },
      { header: 'STEP / REASON', value: reason },
    ]),
  );
  out.write(`\n${verdictLine(data)}\n`);
}

function pinLine(data: VerifyData): string {
  const p = data.pin;
  if (!p)
    return 'Pinned    NOTHING (--allow-unpinned): checked against the contract the bundle names, which proves nothing against a look-alike';
  const previous = p.matched === 'previous' ? ' (a previous contract the trust file still lists)' : '';
  return `Pinned    contract ${p.contract} on chain ${p.chainId}${previous}, from ${p.source}${p.publisher ? ` published by ${p.publisher.name}` : ''}`;
}

function reason(e: VerifiedEvent): string {
  if (e.status === 'invalid') return `${e.step}: ${e.message ?? ''}`;
  if (e.status === 'pending') return e.message ?? 'not yet anchored';
  if (e.status === 'verified' && e.anchor) return `${e.anchor.confirmations} confirmation(s)`;
  return '';
}

export function verdictLine(data: VerifyData): string {
  const n = data.events.length;
  switch (data.verdict) {
    case 'verified':
      return `VERIFIED: all ${n} event(s), seq 1..${n}, are intact and anchored in contract ${data.contract} on chain ${data.chainId}.`;
    case 'pending': {
      const waiting = data.events.filter((e) => e.status === 'pending').length;
      return `PENDING: no tampering found, but ${waiting} of ${n} event(s) are not yet anchored or confirmed; verify again later.`;
    }
    case 'invalid': {
      const f = data.failure;
      if (!f) return 'INVALID';
      const where = f.index < 0 ? 'the bundle' : `event seq ${f.seq ?? '?'} (#${f.index + 1} in the bundle)`;
      return `INVALID: ${where} fails step ${STEP_NUMBER[f.step]} "${f.step}" (${f.code}): ${f.message}`;
    }
  }
}
