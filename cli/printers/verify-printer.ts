/** Human output of `ordertrace verify`: a per-event table and the overall verdict. */
import type { Writable } from 'node:stream';
import { batchOf, type ChangeRequestView, type EventRow, type RecordSource } from '../../view/bundle-view';
import type { VerifyData, VerifyJson } from '../commands/verify';
import { formatTable } from './text-table';
import { verdictLine } from './verdict-line';

export function printVerify(data: VerifyData, out: Writable): void {
  const { view, json } = data;
  const o = view.order;
  out.write(`Bundle    ${json.source}: order ${o.order ?? '?'} of brand ${o.brand ?? '?'}, ${o.eventCount} event(s)\n`);
  out.write(
    `Chain     ${o.chainId ?? '?'} via ${json.rpc.join(', ')}, contract ${o.contract ?? '?'}` +
      (o.headBlock !== null ? `, head block ${o.headBlock}` : '') +
      `, ${o.confirmationsRequired ?? '?'} confirmation(s) required\n`,
  );
  out.write(`${pinLine(json)}\n`);
  for (const e of json.endpoints ?? []) if (e.status !== 'answered') out.write(`Note      ${e.url} ${e.status}: ${e.detail ?? ''}\n`);
  out.write('\n');
  out.write(
    formatTable<EventRow>(view.events, [
      { header: 'SEQ', value: (e) => e.seq, align: 'right' },
      { header: 'TYPE', value: (e) => e.type },
      { header: 'AT', value: (e) => e.at },
      { header: 'RECORDED BY', value: (e) => recordedBy(e.recordedBy) },
      { header: 'STATUS', value: (e) => e.status },
      { header: 'BATCH', value: (e) => batchOf(view, e)?.batch, align: 'right' },
      { header: 'BLOCK', value: (e) => (e.status === 'invalid' ? undefined : batchOf(view, e)?.onChain?.blockNumber), align: 'right' },
      { header: 'STEP / REASON', value: (e) => reason(data, e) },
    ]),
  );
  const notes = [...view.events.flatMap((e) => eventNotes(e)), ...view.requests.map(requestNote)];
  if (notes.length > 0) out.write(`\n${notes.join('\n')}\n`);
  out.write(`\n${verdictLine(view)}\n`);
}

/** Who recorded an event, as its record says: an API key by its id, the consumer's link, or the operator. */
export function recordedBy(source: RecordSource): string {
  switch (source.kind) {
    case 'api-key':
      return `API key ${source.keyId}`;
    case 'consumer':
      return 'consumer (receipt link)';
    case 'operator':
      return 'operator';
    case 'unknown':
      return `unknown: ${source.value}`;
    case 'not-stated':
      return '(not stated)';
  }
}

/** A consumer's change request and its answer, as the records state them. */
export function requestNote(r: ChangeRequestView): string {
  const answer = r.answeredBy === null ? '' : ` by seq ${r.answeredBy}`;
  return `Request   seq ${r.seq ?? '?'} ${r.request === 'hold' ? 'hold the parcel' : r.request === 'address' ? 'change the address' : 'change'}: ${r.state}${answer}`;
}

/** Time warnings and `ordertrace:` fields this CLI does not know; neither changes the verdict. */
function eventNotes(e: EventRow): string[] {
  const seq = `seq ${e.seq ?? '?'}`;
  const notes: string[] = [];
  if (e.timeWarning?.code === 'RECORDED_AFTER_BLOCK')
    notes.push(`Warning   ${seq} recorded after its anchoring block: ${e.timeWarning.message}`);
  if (e.timeWarning?.code === 'LATE_ANCHOR') notes.push(`Warning   ${seq} anchored late: ${e.timeWarning.message}`);
  for (const f of e.reservedData) notes.push(`Note      ${seq} carries ${f.name} = ${f.value}, a field this version does not know`);
  return notes;
}

function pinLine(json: VerifyJson): string {
  const p = json.pin;
  if (!p)
    return 'Pinned    NOTHING (--allow-unpinned): checked against the contract the bundle names, which proves nothing against a look-alike';
  const previous = p.matched === 'previous' ? ' (a previous contract the trust file still lists)' : '';
  return `Pinned    contract ${p.contract} on chain ${p.chainId}${previous}, from ${p.source}${p.publisher ? ` published by ${p.publisher.name}` : ''}`;
}

function reason(data: VerifyData, e: EventRow): string {
  if (e.status === 'invalid') return `${e.failure?.step ?? '?'}: ${e.failure?.message ?? ''}`;
  if (e.status === 'pending') return e.pendingReason ?? 'not yet anchored';
  const chain = batchOf(data.view, e)?.onChain;
  if (e.status === 'verified' && chain) return `${chain.confirmations} confirmation(s)`;
  return '';
}
