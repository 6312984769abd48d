/** Human output of `ordertrace audit`: what was checked, then one line per discrepancy. */
import type { Writable } from 'node:stream';
import type { AuditData } from '../commands/audit';
import { printDiscrepancies } from './discrepancies-table';

export function printAudit(data: AuditData, out: Writable): void {
  const n = (x: number) => x.toLocaleString('en');
  out.write(`Database  ${data.database}${data.brand ? ` (brand ${data.brand})` : ''}\n`);
  out.write(
    `Chain     ${data.chainId} via ${data.rpc}, contract ${data.contract} (${data.contractSource === 'option' ? 'from --contract' : 'as recorded in the database'})\n`,
  );
  out.write(
    `Checked   ${n(data.events)} events in ${n(data.orders)} orders, ${n(data.batches)} batches in ${(data.durationMs / 1000).toFixed(1)} s; ` +
      `not yet anchored: ${n(data.unbatchedEvents)} events unbatched, ${n(data.unconfirmedBatches)} batches unconfirmed\n`,
  );
  out.write(
    data.auditTrailEntries === null
      ? 'Trail     the database keeps no audit trail\n\n'
      : `Trail     ${n(data.auditTrailEntries)} audit trail entries, hash chain and head\n\n`,
  );
  if (data.discrepancyCount === 0) {
    out.write(
      "CLEAN: every record matches its leaf, every order's hash chain is whole, every batch root matches its leaves and the contract" +
        (data.auditTrailEntries === null ? '.\n' : ', and the audit trail is whole.\n'),
    );
    return;
  }
  printDiscrepancies(data, out);
}
