/** The discrepancies `ordertrace audit` found, one line each, as both of its printers show them. */
import type { Writable } from 'node:stream';
import type { Discrepancy } from '../audit/discrepancy';
import { formatTable } from './text-table';

export function printDiscrepancies(
  data: { discrepancies: Discrepancy[]; discrepancyCount: number; truncated: boolean },
  out: Writable,
): void {
  const n = (x: number) => x.toLocaleString('en');
  out.write(
    formatTable<Discrepancy>(data.discrepancies, [
      { header: 'ORDER', value: (d) => d.order },
      { header: 'SEQ', value: (d) => d.seq, align: 'right' },
      { header: 'BATCH', value: (d) => d.batch, align: 'right' },
      { header: 'ENTRY', value: (d) => d.entry, align: 'right' },
      { header: 'PROBLEM', value: (d) => d.code },
      { header: 'DETAIL', value: (d) => d.message },
    ]),
  );
  const more = data.truncated ? ` (the first ${n(data.discrepancies.length)} are listed)` : '';
  out.write(`\nDISCREPANCIES: ${n(data.discrepancyCount)} found${more}.\n`);
}
