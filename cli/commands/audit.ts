/**
 * `ordertrace audit`: checks a whole ordertrace database against itself and the chain — every
 * record against its leaf, every order's hash chain, every batch root against its leaves and
 * against the contract. Streams both passes, so memory stays flat whatever the database size.
 */
import { type Hex, ZERO32 } from '../../proof/bytes';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { nodeHttpFetch } from '../node-http-fetch';
import { AuditDatabase, redactDatabaseUrl } from '../audit/audit-database';
import { AuditTrailCheck } from '../audit/audit-trail-check';
import { BatchCheck, type StoredBatch } from '../audit/batch-check';
import { type Discrepancy, DiscrepancyLog } from '../audit/discrepancy';
import { OrderHistoryCheck } from '../audit/order-history-check';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';

export interface AuditOptions {
  databaseUrl: string;
  rpc: string;
  /** Default: the contract recorded in the database's service_state. */
  contract?: string;
  brand?: string;
  timeoutMs: number;
}

export interface AuditData {
  database: string;
  rpc: string;
  chainId: number;
  contract: string;
  contractSource: 'option' | 'database';
  brand: string | null;
  orders: number;
  events: number;
  /** Events not yet in a batch: not a discrepancy, just not anchored yet. */
  unbatchedEvents: number;
  batches: number;
  /** Batches sealed or submitted but not confirmed yet. */
  unconfirmedBatches: number;
  /** Entries of the audit trail checked; null for a database without one. */
  auditTrailEntries: number | null;
  discrepancyCount: number;
  /** True when more discrepancies were found than are listed. */
  truncated: boolean;
  discrepancies: Discrepancy[];
  durationMs: number;
}

/** Chain reads in flight at once while batches stream in. */
const CHAIN_CONCURRENCY = 16;

export async function audit(options: AuditOptions, ctx: CommandContext): Promise<AuditData> {
  const started = Date.now();
  const log = new DiscrepancyLog();
  const report = (d: Discrepancy) => log.add(d);
  const reader = new JsonRpcChainReader(options.rpc, nodeHttpFetch, { timeoutMs: options.timeoutMs });

  const db = await AuditDatabase.open(options.databaseUrl, options.timeoutMs);
  try {
    const chainId = await reader.getChainId();
    const { contract, source } = await chooseContract(db, options, chainId);
    if (options.brand !== undefined && !(await db.brandExists(options.brand))) {
      throw new CliError('INPUT', `the database has no brand "${options.brand}"`);
    }
    ctx.progress.note(
      `auditing ${redactDatabaseUrl(options.databaseUrl)} against contract ${contract} on chain ${chainId}${options.brand ? `, brand ${options.brand}` : ''}`,
    );

    // Pass 1: records, leaves and hash chains, order by order.
    const estimate = await db.estimatedEventCount();
    const history = new OrderHistoryCheck(report);
    for await (const row of db.events(options.brand)) {
      history.add(row);
      if (history.events % 1000 === 0) {
        const total = estimate > history.events ? ` of ~${estimate.toLocaleString('en')}` : '';
        ctx.progress.update(`events: ${history.events.toLocaleString('en')}${total} checked, ${log.count} discrepancies`);
      }
    }
    history.finish();
    ctx.progress.note(
      `events: ${history.events.toLocaleString('en')} in ${history.orders.toLocaleString('en')} orders checked, ${log.count} discrepancies so far`,
    );

    for (const row of await db.eventsInMissingBatches(options.brand, 1000)) {
      report({
        order: row.order_id,
        seq: row.seq,
        batch: row.batch_seq,
        code: 'BATCH_MISSING',
        message: `the event names batch ${row.batch_seq}, which does not exist`,
      });
    }

    // Pass 2: batch roots from their leaves, and against the contract.
    let unconfirmed = 0;
    let queue: StoredBatch[] = [];
    const flush = async () => {
      const batches = queue;
      queue = [];
      await Promise.all(batches.map((b) => checkOnChain(b, contract, chainId, reader, report)));
    };
    const batches = new BatchCheck(report, (b) => {
      if (b.status !== 'confirmed') unconfirmed++;
      queue.push(b);
    });
    for await (const row of db.batchLeaves(options.brand)) {
      batches.add(row);
      if (queue.length >= CHAIN_CONCURRENCY) {
        await flush();
        ctx.progress.update(`batches: ${batches.batches.toLocaleString('en')} checked, ${log.count} discrepancies`);
      }
    }
    batches.finish();
    await flush();
    ctx.progress.note(`batches: ${batches.batches.toLocaleString('en')} checked (${batches.leavesChecked.toLocaleString('en')} leaves)`);

    if (options.brand === undefined) {
      // Roots on chain beyond the database's last batch: batches the database lost (or never had).
      const last = await db.lastBatchSeq();
      const next = (await reader.getBatchRoot(contract as Hex, last + 1)).toLowerCase();
      if (next !== ZERO32) {
        report({
          batch: last + 1,
          code: 'CHAIN_AHEAD',
          message: `the contract holds a root for batch ${last + 1}, but the database's last batch is ${last}`,
        });
      }
    }

    // Pass 3: the audit trail of privileged actions, entry by entry, and its head.
    let auditTrailEntries: number | null = null;
    const head = await db.auditTrailHead();
    if (head !== null) {
      const trail = new AuditTrailCheck(report);
      for await (const entry of db.auditEntries()) trail.add(entry);
      trail.finish(head);
      auditTrailEntries = trail.entries;
      ctx.progress.note(`audit trail: ${trail.entries.toLocaleString('en')} entries checked`);
    }

    return {
      database: redactDatabaseUrl(options.databaseUrl),
      rpc: options.rpc,
      chainId,
      contract,
      contractSource: source,
      brand: options.brand ?? null,
      orders: history.orders,
      events: history.events,
      unbatchedEvents: await db.unbatchedEventCount(options.brand),
      batches: batches.batches,
      unconfirmedBatches: unconfirmed,
      auditTrailEntries,
      discrepancyCount: log.count,
      truncated: log.truncated,
      discrepancies: log.kept,
      durationMs: Date.now() - started,
    };
  } finally {
    await db.close();
  }
}

async function chooseContract(
  db: AuditDatabase,
  options: AuditOptions,
  chainId: number,
): Promise<{ contract: string; source: 'option' | 'database' }> {
  if (options.contract) return { contract: options.contract.toLowerCase(), source: 'option' };
  const setting = await db.contractSetting();
  if (!setting) {
    throw new CliError('USAGE', "the database records no contract (service_state 'anchoring.chain'); give --contract");
  }
  if (setting.chainId !== null && setting.chainId !== chainId) {
    throw new CliError(
      'USAGE',
      `the database's contract ${setting.address} is on chain ${setting.chainId}, but ${options.rpc} serves chain ${chainId}`,
    );
  }
  return { contract: setting.address.toLowerCase(), source: 'database' };
}

async function checkOnChain(
  batch: StoredBatch,
  contract: string,
  chainId: number,
  reader: JsonRpcChainReader,
  report: (d: Discrepancy) => void,
): Promise<void> {
  const at = { batch: batch.seq };
  const confirmed = batch.status === 'confirmed';
  if (confirmed && batch.contract !== null && batch.contract.toLowerCase() !== contract) {
    report({
      ...at,
      code: 'BATCH_CONTRACT_MISMATCH',
      message: `batch ${batch.seq} is recorded as anchored in contract ${batch.contract}, not ${contract}`,
    });
  }
  if (confirmed && batch.chainId !== null && batch.chainId !== chainId) {
    report({
      ...at,
      code: 'BATCH_CONTRACT_MISMATCH',
      message: `batch ${batch.seq} is recorded as anchored on chain ${batch.chainId}, not ${chainId}`,
    });
  }
  const onChain = (await reader.getBatchRoot(contract as Hex, batch.seq)).toLowerCase();
  if (onChain === ZERO32) {
    if (confirmed)
      report({
        ...at,
        code: 'BATCH_NOT_ON_CHAIN',
        message: `batch ${batch.seq} is recorded as confirmed, but the contract holds no root for it`,
      });
    return;
  }
  if (onChain !== batch.root) {
    report({
      ...at,
      code: 'CHAIN_ROOT_MISMATCH',
      message: `the contract's root for batch ${batch.seq} is ${onChain}, but batches.root is ${batch.root}`,
    });
  }
}

export function auditOutcome(data: AuditData): Outcome {
  return data.discrepancyCount > 0 ? 'invalid' : 'verified';
}
