/** Human output of `ordertrace report`. */
import type { Writable } from 'node:stream';
import type { ReportData } from '../commands/report';
import { verdictLine } from './verdict-line';

export function printReport(data: ReportData, out: Writable): void {
  const { json, view } = data;
  out.write(
    `Wrote ${json.output} (${json.bytes} bytes): evidence report of ${view.order.order ?? '?'}, ${view.order.eventCount} event(s).\n`,
  );
  if (view.verdict.kind === 'not-checked') {
    out.write('Not checked against a chain (no --rpc): the report says so.\n');
    return;
  }
  out.write(`Verification at export time: ${verdictLine(view)}\n`);
}
