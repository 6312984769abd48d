/** Human output of `ordertrace export`: the bundle itself on stdout, or a summary when written to a file. */
import type { Writable } from 'node:stream';
import type { ExportData } from '../commands/export';

export function printExport(data: ExportData, out: Writable): void {
  if (data.output === null) {
    // Piped into `ordertrace verify -` or a file: exactly the bundle.
    out.write(`${JSON.stringify(data.bundle, null, 2)}\n`);
    return;
  }
  const disclosed = data.disclosed.length > 0 ? `; disclosed: ${data.disclosed.join(', ')}` : '';
  const erased = data.erased.length > 0 ? `; erased by the issuer: ${data.erased.join(', ')}` : '';
  out.write(
    `Wrote ${data.output}: order ${data.order} of ${data.brand}, ${data.events} event(s), ${data.anchored} anchored, ${data.pending} pending${disclosed}${erased}.\n`,
  );
}
