/** Human output of `ordertrace audit --api`: what was checked, then one line per discrepancy. */
import type { Writable } from 'node:stream';
import type { Discrepancy } from '../audit/discrepancy';
import type { AuditApiData } from '../commands/audit-api';
import { formatTable } from './text-table';

export function printAuditApi(data: AuditApiData, out: Writable): void {
  const n = (x: number) => x.toLocaleString('en');
  out.write(`API       ${data.api} (public batches, no key)\n`);
  out.write(`Chain     ${data.chainId} via ${data.rpc.join(', ')}, contract ${data.contract} (from ${data.pinSource})\n`);
  for (const e of data.endpoints) if (e.status !== 'answered') out.write(`Note      ${e.url} ${e.status}: ${e.detail ?? ''}\n`);
  out.write(
    `Checked   ${n(data.batches)} batches (${n(data.leaves)} leaves) in ${(data.durationMs / 1000).toFixed(1)} s; ` +
      `${n(data.anchoredBatches)} anchored roots compared with the contract, ${n(data.unconfirmedBatches)} batches not confirmed yet\n\n`,
  );
  if (data.discrepancyCount === 0) {
    out.write('CLEAN: every published batch folds to its root, and every anchored root is the one the contract holds.\n');
    return;
  }
  out.write(
    formatTable<Discrepancy>(data.discrepancies, [
      { header: 'BATCH', value: (d) => d.batch, align: 'right' },
      { header: 'PROBLEM', value: (d) => d.code },
      { header: 'DETAIL', value: (d) => d.message },
    ]),
  );
  const more = data.truncated ? ` (the first ${n(data.discrepancies.length)} are listed)` : '';
  out.write(`\nDISCREPANCIES: ${n(data.discrepancyCount)} found${more}.\n`);
}
