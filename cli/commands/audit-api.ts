/**
 * `ordertrace audit --api`: an audit without database access, from what the ordertrace API publishes
 * for anyone (GET /public/batches): every sealed batch's leaves are folded to a root, which must be
 * the batch's stated root and the root the pinned contract holds, read through every endpoint of the
 * trust file. Batches stream in pages; only one batch's leaves are held at a time per worker.
 * With an auditor's key (--key) also the service's audit trail (GET /v1/audit-log) and the hash
 * chain of every order the key's grants open, each anchored leaf against its checked batch root,
 * and with --flags the anomaly flags of those orders (GET /v1/orders/{id}/flags).
 */
import { type Hex, isHex32, ZERO32 } from '../../proof/bytes';
import { ANCHORED_TOPIC, type EndpointReport, uintWord } from '../../proof/chain-reader';
import { ProofError } from '../../proof/errors';
import { MerkleTree } from '../../proof/merkle';
import type { AuditEntry } from '../../proof/audit-entry';
import { getApiJson } from '../api-request';
import { AuditTrailCheck } from '../audit/audit-trail-check';
import { type Discrepancy, DiscrepancyLog } from '../audit/discrepancy';
import { checkGrantedOrders, type GrantedOrdersSummary, type OrderFlagItem } from '../audit/granted-orders-check';
import { chainReaderFor } from '../chain-endpoints';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import { loadTrust } from '../trust-input';
import type { ConsensusChainReader } from '../../proof/consensus-chain-reader';

export interface AuditApiOptions {
  api: string;
  trust?: string;
  rpc: string[];
  contract?: string;
  /** An auditor's API key: adds the audit trail and the granted orders' hash chains. */
  key?: string;
  /** With `key`: also list the anomaly flags of the orders checked. */
  flags?: boolean;
  timeoutMs: number;
}

export interface AuditApiData {
  api: string;
  rpc: string[];
  chainId: number;
  contract: string;
  /** Where the contract came from: the trust file, or --contract. */
  pinSource: string;
  batches: number;
  /** Batches with an anchor, whose root was compared with the contract. */
  anchoredBatches: number;
  /** Sealed batches not confirmed yet: not a discrepancy, just not anchored yet. */
  unconfirmedBatches: number;
  leaves: number;
  /** With --key: entries of the audit trail checked; null without a key. */
  auditTrailEntries: number | null;
  /** With --key: the orders the key's grants open, checked; null without a key. */
  grantedOrders: GrantedOrdersSummary | null;
  /** With --flags: the anomaly flags of the granted orders (not discrepancies: they do not change the exit code); null without. */
  flags: OrderFlagItem[] | null;
  discrepancyCount: number;
  truncated: boolean;
  discrepancies: Discrepancy[];
  endpoints: EndpointReport[];
  durationMs: number;
}

interface PublicAnchor {
  txHash: string;
  blockNumber: number;
  blockHash: string;
}

interface PublicBatchSummary {
  seq: number;
  root: string;
  leafCount: number;
  anchor: PublicAnchor | null;
}

const BATCH_PAGE = 1000;
const LEAF_PAGE = 10_000;
/** Batches checked at once (leaf downloads and chain reads overlap). */
const CONCURRENCY = 8;

export async function auditApi(options: AuditApiOptions, ctx: CommandContext): Promise<AuditApiData> {
  const started = Date.now();
  const api = options.api.replace(/\/+$/, '');
  const trust = options.trust === undefined ? null : await loadTrust(options.trust, ctx, options.timeoutMs);
  const contract = (options.contract ?? trust?.trust.contract)?.toLowerCase();
  if (contract === undefined)
    throw new CliError('USAGE', 'audit --api needs the contract to compare with: give --trust <file> (or --contract)');
  const rpc = options.rpc.length > 0 ? options.rpc : (trust?.trust.rpc ?? []);
  if (rpc.length === 0) throw new CliError('USAGE', 'no JSON-RPC endpoint: give --rpc <url> (or a trust file that lists "rpc")');
  const reader = chainReaderFor(rpc, options.timeoutMs);
  const chainId = await reader.getChainId();
  const pinnedChain = trust?.trust.chainId;
  if (pinnedChain !== undefined && pinnedChain !== chainId) {
    throw new CliError('USAGE', `the trust file pins chain ${pinnedChain}, but ${rpc.join(', ')} serve chain ${chainId}`);
  }
  ctx.progress.note(`auditing the batches published by ${api} against contract ${contract} on chain ${chainId} via ${rpc.join(', ')}`);

  const log = new DiscrepancyLog();
  const counts = { batches: 0, anchored: 0, unconfirmed: 0, leaves: 0 };
  const checkedRoots = new Map<number, Hex>();
  let lastSeq = 0;
  let after = 0;
  for (;;) {
    const page = await getJson<{ items: PublicBatchSummary[]; nextAfter: number | null }>(
      `${api}/public/batches?after=${after}&limit=${BATCH_PAGE}`,
      options.timeoutMs,
    );
    for (let i = 0; i < page.items.length; i += CONCURRENCY) {
      await Promise.all(
        page.items
          .slice(i, i + CONCURRENCY)
          .map((batch) => checkBatch(batch, api, contract as Hex, reader, options.timeoutMs, log, counts, checkedRoots)),
      );
      ctx.progress.update(
        `batches: ${counts.batches.toLocaleString('en')} checked (${counts.leaves.toLocaleString('en')} leaves), ${log.count} discrepancies`,
      );
    }
    if (page.items.length > 0) lastSeq = page.items[page.items.length - 1].seq;
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  ctx.progress.note(`batches: ${counts.batches.toLocaleString('en')} checked (${counts.leaves.toLocaleString('en')} leaves)`);

  // A root on chain past the last published batch: a batch the API does not show.
  const next = await chainRead(log, lastSeq + 1, () => reader.getBatchRoot(contract as Hex, lastSeq + 1));
  if (next !== undefined && next !== ZERO32) {
    log.add({
      batch: lastSeq + 1,
      code: 'CHAIN_AHEAD',
      message: `the contract holds a root for batch ${lastSeq + 1}, but the API's last batch is ${lastSeq}`,
    });
  }

  let auditTrailEntries: number | null = null;
  let grantedOrders: GrantedOrdersSummary | null = null;
  const flags: OrderFlagItem[] | null = options.flags === true ? [] : null;
  if (options.key !== undefined) {
    auditTrailEntries = await checkAuditTrail(api, options.key, options.timeoutMs, log, ctx);
    grantedOrders = await checkGrantedOrders(api, options.key, options.timeoutMs, checkedRoots, log, ctx, flags);
  }

  return {
    api,
    rpc,
    chainId,
    contract,
    pinSource: trust?.source ?? '--contract',
    batches: counts.batches,
    anchoredBatches: counts.anchored,
    unconfirmedBatches: counts.unconfirmed,
    leaves: counts.leaves,
    auditTrailEntries,
    grantedOrders,
    flags,
    discrepancyCount: log.count,
    truncated: log.truncated,
    discrepancies: log.kept,
    endpoints: reader.endpointReport(),
    durationMs: Date.now() - started,
  };
}

async function checkBatch(
  batch: PublicBatchSummary,
  api: string,
  contract: Hex,
  reader: ConsensusChainReader,
  timeoutMs: number,
  log: DiscrepancyLog,
  counts: { batches: number; anchored: number; unconfirmed: number; leaves: number },
  checkedRoots: Map<number, Hex>,
): Promise<void> {
  const at = { batch: batch.seq };
  const leaves: string[] = [];
  while (leaves.length < batch.leafCount) {
    const page = await getJson<{ leaves: string[] }>(
      `${api}/public/batches/${batch.seq}?offset=${leaves.length}&limit=${LEAF_PAGE}`,
      timeoutMs,
    );
    if (page.leaves.length === 0) break;
    leaves.push(...page.leaves);
  }
  counts.batches++;
  counts.leaves += leaves.length;
  if (leaves.length !== batch.leafCount) {
    log.add({
      ...at,
      code: 'BATCH_POSITIONS',
      message: `batch ${batch.seq} states ${batch.leafCount} leaves, the API lists ${leaves.length}`,
    });
  }
  if (leaves.length === 0 || !leaves.every(isHex32)) {
    log.add({
      ...at,
      code: 'BATCH_ROOT_MISMATCH',
      message: `batch ${batch.seq}'s leaves are missing or not 32-byte hex; its root cannot be recomputed`,
    });
  } else {
    const computed = MerkleTree.build(leaves).root;
    if (computed === batch.root.toLowerCase() && leaves.length === batch.leafCount) checkedRoots.set(batch.seq, computed);
    if (computed !== batch.root.toLowerCase()) {
      log.add({
        ...at,
        code: 'BATCH_ROOT_MISMATCH',
        message: `the root of batch ${batch.seq}'s ${leaves.length} public leaves is ${computed}, but the API states ${batch.root}`,
      });
    }
  }
  if (batch.anchor === null) {
    counts.unconfirmed++;
    return;
  }
  counts.anchored++;
  const onChain = await chainRead(log, batch.seq, () => reader.getBatchRoot(contract, batch.seq));
  if (onChain === undefined) return;
  if (onChain === ZERO32) {
    log.add({
      ...at,
      code: 'BATCH_NOT_ON_CHAIN',
      message: `the API shows batch ${batch.seq} anchored, but contract ${contract} holds no root for it`,
    });
    return;
  }
  if (onChain !== batch.root.toLowerCase()) {
    log.add({
      ...at,
      code: 'CHAIN_ROOT_MISMATCH',
      message: `the contract's root for batch ${batch.seq} is ${onChain}, but the API states ${batch.root}`,
    });
    return;
  }
  const receipt = await chainRead(log, batch.seq, () => reader.getTransactionReceipt(batch.anchor!.txHash.toLowerCase() as Hex));
  if (receipt === undefined) return;
  const logged = receipt?.logs.some(
    (l) =>
      l.address.toLowerCase() === contract &&
      l.topics[0]?.toLowerCase() === ANCHORED_TOPIC &&
      l.topics[1]?.toLowerCase() === uintWord(batch.seq) &&
      l.topics[2]?.toLowerCase() === onChain,
  );
  if (receipt === null || receipt.status !== 1 || !logged || receipt.blockHash.toLowerCase() !== batch.anchor.blockHash.toLowerCase()) {
    log.add({
      ...at,
      code: 'ANCHOR_TX_MISMATCH',
      message: `transaction ${batch.anchor.txHash} ${receipt === null ? 'is not on this chain' : receipt.status !== 1 ? 'reverted' : !logged ? `has no Anchored(${batch.seq}, root) log of ${contract}` : `is in block ${receipt.blockHash}, not ${batch.anchor.blockHash}`}`,
    });
  }
}

/** A chain read whose endpoints' disagreement is a discrepancy of that batch (undefined then), not a crash. */
async function chainRead<T>(log: DiscrepancyLog, seq: number, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ProofError && err.code === 'ENDPOINTS_DISAGREE') {
      log.add({ batch: seq, code: 'ENDPOINTS_DISAGREE', message: err.message });
      return undefined;
    }
    throw err;
  }
}

const AUDIT_LOG_PAGE = 1000;

/** The whole audit trail, page by page, each entry against the previous one. */
async function checkAuditTrail(api: string, key: string, timeoutMs: number, log: DiscrepancyLog, ctx: CommandContext): Promise<number> {
  const trail = new AuditTrailCheck((d) => log.add(d));
  let after = 0;
  for (;;) {
    const page = await getApiJson<{ items: AuditEntry[]; nextAfter: number | null }>(
      `${api}/v1/audit-log?after=${after}&limit=${AUDIT_LOG_PAGE}`,
      { key, timeoutMs, notFound: `${api}/v1/audit-log not found: does this ordertrace API keep an audit trail?` },
    );
    for (const entry of page.items) trail.add(entry);
    ctx.progress.update(`audit trail: ${trail.entries.toLocaleString('en')} entries checked, ${log.count} discrepancies`);
    if (page.nextAfter === null || page.items.length === 0) break;
    after = page.nextAfter;
  }
  trail.finish();
  ctx.progress.note(`audit trail: ${trail.entries.toLocaleString('en')} entries checked`);
  return trail.entries;
}

function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  return getApiJson<T>(url, { timeoutMs, notFound: `${url} not found: is this an ordertrace API with public batches?` });
}
