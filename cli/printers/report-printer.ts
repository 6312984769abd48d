/** Human output of `ordertrace report`. */
import type { Writable } from 'node:stream';
import type { ReportData } from '../commands/report';

export function printReport(data: ReportData, out: Writable): void {
  out.write(`Wrote ${data.output} (${data.bytes} bytes): evidence report of ${data.order}, ${data.events} event(s).\n`);
  const v = data.verification;
  if (!v) {
    out.write('Not checked against a chain (no --rpc): the report says so.\n');
    return;
  }
  const failure = v.failure ? `: event seq ${v.failure.seq ?? '?'} fails step "${v.failure.step}": ${v.failure.message}` : '';
  out.write(`Verification at export time: ${v.verdict.toUpperCase()}${failure}\n`);
}
