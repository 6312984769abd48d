/** Human output of `ordertrace audit --api`: what was checked, then one line per discrepancy. */
import type { Writable } from 'node:stream';
import type { OrderFlagItem } from '../audit/granted-orders-check';
import type { AuditApiData } from '../commands/audit-api';
import { printDiscrepancies } from './discrepancies-table';
import { formatTable } from './text-table';

export function printAuditApi(data: AuditApiData, out: Writable): void {
  const n = (x: number) => x.toLocaleString('en');
  out.write(
    `API       ${data.api} (${data.grantedOrders === null ? 'public batches, no key' : "public batches, the audit trail and the key's granted orders"})\n`,
  );
  out.write(`Chain     ${data.chainId} via ${data.rpc.join(', ')}, contract ${data.contract} (from ${data.pinSource})\n`);
  for (const e of data.endpoints) if (e.status !== 'answered') out.write(`Note      ${e.url} ${e.status}: ${e.detail ?? ''}\n`);
  out.write(
    `Checked   ${n(data.batches)} batches (${n(data.leaves)} leaves) in ${(data.durationMs / 1000).toFixed(1)} s; ` +
      `${n(data.anchoredBatches)} anchored roots compared with the contract, ${n(data.unconfirmedBatches)} batches not confirmed yet\n`,
  );
  if (data.auditTrailEntries !== null) out.write(`Trail     ${n(data.auditTrailEntries)} audit trail entries, hash chain\n`);
  const granted = data.grantedOrders;
  if (granted !== null) {
    out.write(
      `Orders    ${n(granted.orders)} granted orders (${n(granted.events)} events): records, leaves and hash chains; ` +
        `${n(granted.anchoredEvents)} anchored leaves proven in their checked batch\n`,
    );
  }
  if (data.flags !== null) out.write(`Flags     ${n(data.flags.length)} anomaly flags on the granted orders (not discrepancies)\n`);
  out.write('\n');
  if (data.flags !== null && data.flags.length > 0) {
    out.write(
      formatTable<OrderFlagItem>(data.flags, [
        { header: 'ORDER', value: (f) => f.order },
        { header: 'SEQS', value: (f) => f.seqs.join(',') },
        { header: 'FLAG', value: (f) => f.rule },
        { header: 'SEVERITY', value: (f) => f.severity },
        { header: 'EXPLANATION', value: (f) => f.explanation.en },
      ]),
    );
    out.write('\n');
  }
  if (data.discrepancyCount === 0) {
    out.write(
      granted === null
        ? 'CLEAN: every published batch folds to its root, and every anchored root is the one the contract holds.\n'
        : "CLEAN: every published batch folds to its root held by the contract, the audit trail is whole, and every granted order's hash chain is whole.\n",
    );
    return;
  }
  printDiscrepancies(data, out);
}
