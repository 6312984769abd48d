/**
 * Bundle verification, proof spec v1 §Verification. A pipeline of small steps; every failure names
 * the event and the step. The bundle is attacker-controlled: the chain is the only authority for
 * steps 5–6, and nothing the bundle says about blocks or transactions is believed unless the chain
 * confirms it.
 */
import { type Hex, ZERO32 } from './bytes';
import { assertBundle, type Bundle, type BundleEvent } from './bundle';
import { ANCHORED_TOPIC, type ChainReader, type EndpointReport, type TxReceipt, uintWord } from './chain-reader';
import { ChainUnavailableError, ProofError } from './errors';
import { commitment, GENESIS_PREV, leafHash } from './hashes';
import { processProof } from './merkle';
import { assertEventRecord } from './record';
import { matchTrustAnchor, type Pin, type TrustAnchors, trustMismatchMessage } from './trust';

export type Verdict = 'verified' | 'pending' | 'invalid';
export type VerifyStep = 'format' | 'leaf' | 'disclosure' | 'chain-link' | 'inclusion' | 'anchor';

/** Spec step numbers: 1 format and chain, 2 leaf, 3 disclosure, 4 chain link, 5 inclusion, 6 anchor. */
export const STEP_NUMBER: Record<VerifyStep, number> = {
  format: 1,
  leaf: 2,
  disclosure: 3,
  'chain-link': 4,
  inclusion: 5,
  anchor: 6,
};

export type VerifyFailureCode =
  | 'MALFORMED_BUNDLE'
  | 'CHAIN_MISMATCH'
  | 'CONTRACT_MISMATCH'
  | 'INVALID_RECORD'
  | 'LEAF_MISMATCH'
  | 'NOT_SEALED'
  | 'DISCLOSURE_MISMATCH'
  | 'WRONG_BRAND_OR_ORDER'
  | 'SEQ_GAP'
  | 'PREV_MISMATCH'
  | 'PROOF_MISMATCH'
  | 'NOT_ANCHORED'
  | 'ROOT_MISMATCH'
  | 'TX_NOT_FOUND'
  | 'TX_FAILED'
  | 'LOG_MISSING'
  | 'ENDPOINTS_DISAGREE';

/**
 * How far an event's `recorded` time may lie after the time of the block anchoring it before that
 * is warned about: block times have one-second resolution and producers choose them within their
 * chain's bounds, and the recording server's clock may be slightly off (proof spec §6, time sanity).
 */
export const BLOCK_TIME_TOLERANCE_SECONDS = 60;

/** Default for `maxAnchorDelaySeconds`: an anchor later than this after recording is warned about. */
export const DEFAULT_MAX_ANCHOR_DELAY_SECONDS = 24 * 60 * 60;

/**
 * A time that does not add up, shown with the result but never changing the verdict: a drained
 * anchoring wallet or a chain outage delays anchoring honestly.
 * `RECORDED_AFTER_BLOCK`: the record says it was recorded after the block that anchors it (beyond
 * the tolerance). `LATE_ANCHOR`: anchored more than the allowed delay after it was recorded.
 */
export type TimeWarningCode = 'RECORDED_AFTER_BLOCK' | 'LATE_ANCHOR';

export interface TimeWarning {
  /** Index in `events`. */
  index: number;
  seq: number | null;
  code: TimeWarningCode;
  /** The record's `recorded` time. */
  recorded: string;
  /** The anchoring block, as read from the chain, and its time (seconds since 1970). */
  blockNumber: number;
  blockTime: number;
  /** Block time minus recorded time, in whole seconds (negative: recorded after the block). */
  delaySeconds: number;
  message: string;
}

/** An event's anchoring as read from the chain (never as the bundle claims it). */
export interface ObservedAnchor {
  batch: number;
  txHash: Hex;
  blockNumber: number;
  blockHash: Hex;
  confirmations: number;
  blockTime?: number;
}

export interface EventCheck {
  index: number;
  seq: number | null;
  type: string | null;
  status: 'verified' | 'pending' | 'invalid' | 'unchecked';
  step?: VerifyStep;
  code?: VerifyFailureCode;
  message?: string;
  /** As read from the chain, never as claimed by the bundle. */
  anchor?: ObservedAnchor;
}

export interface VerificationFailure {
  /** Index in `events`, or -1 for the bundle as a whole. */
  index: number;
  seq: number | null;
  step: VerifyStep;
  code: VerifyFailureCode;
  message: string;
}

export interface VerificationResult {
  verdict: Verdict;
  format: string;
  chainId: number | null;
  contract: string | null;
  order: string | null;
  brand: string | null;
  /** Chain head when verified; confirmations are counted against it. */
  headBlock: number | null;
  confirmationsRequired: number;
  events: EventCheck[];
  failure?: VerificationFailure;
  /** The chain and contract the bundle was held to, and where that pin came from; absent when unpinned. */
  pin?: Pin;
  /** Which JSON-RPC endpoints answered, failed or disagreed (readers over several endpoints). */
  endpoints?: EndpointReport[];
  /** Times that do not add up (spec §6, time sanity), in event order; they never change the verdict. */
  timeWarnings: TimeWarning[];
  /** The anchor delay beyond which `LATE_ANCHOR` is warned, in seconds. */
  maxAnchorDelaySeconds: number;
}

export interface VerifyBundleOptions {
  /** Confirmations an anchoring transaction needs to count as verified (default 1). */
  confirmations?: number;
  /** The contract the verifier trusts; a bundle naming another one is invalid (step 1). */
  expectedContract?: string;
  /** The chain the verifier trusts, when known independently of the bundle. */
  expectedChainId?: number;
  /** Trust anchors (an ordertrace-trust/1 file): the bundle's chain and contract must be the current or a previous one. */
  trust?: TrustAnchors;
  /** Where the pin came from, shown with the result ("trust file ./trust.json", "built into this page"). */
  pinSource?: string;
  /** An event anchored more than this many seconds after it was recorded is warned about (default 24 h). */
  maxAnchorDelaySeconds?: number;
}

class StepFailure {
  constructor(
    readonly step: VerifyStep,
    readonly code: VerifyFailureCode,
    readonly message: string,
  ) {}
}

function fail(step: VerifyStep, code: VerifyFailureCode, message: string): never {
  // Control flow inside verifyBundle only (caught there and turned into a result): no stack needed.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw new StepFailure(step, code, message);
}

async function readChain<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (cause) {
    // Endpoints that contradict each other are evidence, not an outage: verifyBundle reports it as invalid.
    if (cause instanceof ProofError && cause.code === 'ENDPOINTS_DISAGREE') throw cause;
    throw new ChainUnavailableError(`could not read ${what} from the chain: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** Step 2: the leaf is the hash of the record. Returns the recomputed leaf. */
function checkLeaf(event: BundleEvent, index: number): Hex {
  try {
    assertEventRecord(event.record, `events[${index}].record`);
  } catch (e) {
    fail('leaf', 'INVALID_RECORD', e instanceof Error ? e.message : String(e));
  }
  let leaf: Hex;
  try {
    leaf = leafHash(event.record);
  } catch (e) {
    fail('leaf', 'INVALID_RECORD', e instanceof Error ? e.message : String(e));
  }
  if (leaf !== event.leaf) fail('leaf', 'LEAF_MISMATCH', `the record hashes to ${leaf}, not to the stated leaf ${event.leaf}`);
  return leaf;
}

/** Step 3: every disclosed value and salt open the record's commitment. */
function checkDisclosures(event: BundleEvent): void {
  for (const [name, disclosure] of Object.entries(event.disclosed ?? {})) {
    const sealed = event.record.sealed[name];
    if (sealed === undefined || !Object.prototype.hasOwnProperty.call(event.record.sealed, name)) {
      fail('disclosure', 'NOT_SEALED', `disclosed field "${name}" has no commitment in the record`);
    }
    let opened: Hex;
    try {
      opened = commitment(name, disclosure.value, disclosure.salt);
    } catch (e) {
      fail('disclosure', 'DISCLOSURE_MISMATCH', `disclosed field "${name}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (opened !== sealed) fail('disclosure', 'DISCLOSURE_MISMATCH', `disclosed value of "${name}" does not match its commitment`);
  }
}

/** Step 4: one order, seq 1..n without gaps, each `prev` the previous leaf. */
function checkChainLink(bundle: Bundle, index: number): void {
  const record = bundle.events[index].record;
  if (record.brand !== bundle.brand || record.order !== bundle.order) {
    fail('chain-link', 'WRONG_BRAND_OR_ORDER', `event belongs to ${record.brand}/${record.order}, not ${bundle.brand}/${bundle.order}`);
  }
  if (record.seq !== index + 1)
    fail('chain-link', 'SEQ_GAP', `expected seq ${index + 1} at position ${index + 1}, found seq ${record.seq}`);
  const expectedPrev = index === 0 ? GENESIS_PREV : bundle.events[index - 1].leaf;
  if (record.prev !== expectedPrev) {
    fail(
      'chain-link',
      'PREV_MISMATCH',
      index === 0 ? 'the first event must have prev = 32 zero bytes' : `prev does not equal the leaf of seq ${index}`,
    );
  }
}

/** Step 5: the proof folds from the leaf to the stated root. */
function checkInclusion(event: BundleEvent): void {
  const anchor = event.anchor!;
  const folded = processProof(event.leaf, anchor.proof);
  if (folded !== anchor.root) fail('inclusion', 'PROOF_MISMATCH', `the proof folds to ${folded}, not to the stated root ${anchor.root}`);
}

interface ChainView {
  head: number;
  roots: Map<number, Hex>;
  receipts: Map<string, TxReceipt | null>;
  blockTimes: Map<number, number>;
}

/** Step 6: the contract holds the root for that batch, and the transaction's log says so. */
function checkAnchor(event: BundleEvent, contract: string, chain: ChainView): ObservedAnchor {
  const anchor = event.anchor!;
  const onChain = chain.roots.get(anchor.batch);
  if (onChain === undefined || onChain === ZERO32)
    fail('anchor', 'NOT_ANCHORED', `batch ${anchor.batch} has no root in contract ${contract}`);
  if (onChain !== anchor.root)
    fail('anchor', 'ROOT_MISMATCH', `the contract's root for batch ${anchor.batch} is ${onChain}, not ${anchor.root}`);
  const receipt = chain.receipts.get(anchor.txHash.toLowerCase());
  if (!receipt) fail('anchor', 'TX_NOT_FOUND', `anchoring transaction ${anchor.txHash} is not on this chain`);
  if (receipt.status !== 1) fail('anchor', 'TX_FAILED', `anchoring transaction ${anchor.txHash} reverted`);
  const seqTopic = uintWord(anchor.batch);
  const log = receipt.logs.find(
    (l) =>
      l.address.toLowerCase() === contract &&
      l.topics[0]?.toLowerCase() === ANCHORED_TOPIC &&
      l.topics[1]?.toLowerCase() === seqTopic &&
      l.topics[2]?.toLowerCase() === anchor.root,
  );
  if (!log)
    fail('anchor', 'LOG_MISSING', `transaction ${anchor.txHash} has no Anchored(${anchor.batch}, root) log of contract ${contract}`);
  return {
    batch: anchor.batch,
    txHash: anchor.txHash,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    confirmations: Math.max(0, chain.head - receipt.blockNumber + 1),
    blockTime: chain.blockTimes.get(receipt.blockNumber),
  };
}

/**
 * Time sanity of one anchored event against its block's time as read from the chain: a warning,
 * or null. Block times are whole seconds; `recorded` has milliseconds.
 */
export function timeWarningOf(
  check: { index: number; seq: number | null },
  recorded: string,
  blockNumber: number,
  blockTime: number,
  maxAnchorDelaySeconds: number,
): TimeWarning | null {
  const recordedMs = Date.parse(recorded);
  if (Number.isNaN(recordedMs)) return null;
  const delayMs = blockTime * 1000 - recordedMs;
  const delaySeconds = Math.trunc(delayMs / 1000);
  const base = { index: check.index, seq: check.seq, recorded, blockNumber, blockTime, delaySeconds };
  const blockIso = new Date(blockTime * 1000).toISOString();
  if (-delayMs > BLOCK_TIME_TOLERANCE_SECONDS * 1000) {
    return {
      ...base,
      code: 'RECORDED_AFTER_BLOCK',
      message: `recorded at ${recorded}, ${-delaySeconds} s after block ${blockNumber} (${blockIso}) that anchors it; the tolerance is ${BLOCK_TIME_TOLERANCE_SECONDS} s`,
    };
  }
  if (delayMs > maxAnchorDelaySeconds * 1000) {
    return {
      ...base,
      code: 'LATE_ANCHOR',
      message: `anchored in block ${blockNumber} (${blockIso}), ${delaySeconds} s after it was recorded at ${recorded}; more than ${maxAnchorDelaySeconds} s`,
    };
  }
  return null;
}

async function readChainView(bundle: Bundle, events: BundleEvent[], reader: ChainReader, headRead: Promise<number>): Promise<ChainView> {
  const contract = bundle.chain.contract;
  const batches = [...new Set(events.map((e) => e.anchor!.batch))];
  const txs = [...new Set(events.map((e) => e.anchor!.txHash.toLowerCase()))];
  const [head, roots, receipts] = await Promise.all([
    headRead,
    Promise.all(
      batches.map((seq) =>
        readChain(`batch ${seq}`, () => reader.getBatchRoot(contract, seq)).then((r) => [seq, r.toLowerCase() as Hex] as const),
      ),
    ),
    Promise.all(
      txs.map((tx) => readChain(`transaction ${tx}`, () => reader.getTransactionReceipt(tx as Hex)).then((r) => [tx, r] as const)),
    ),
  ]);
  const blockTimes = new Map<number, number>();
  if (reader.getBlockTimestamp) {
    const blocks = [...new Set(receipts.flatMap(([, r]) => (r ? [r.blockNumber] : [])))];
    const times = await Promise.all(
      blocks.map((b) => readChain(`block ${b}`, () => reader.getBlockTimestamp!(b)).then((t) => [b, t] as const)),
    );
    for (const [b, t] of times) blockTimes.set(b, t);
  }
  return { head, roots: new Map(roots), receipts: new Map(receipts), blockTimes };
}

function bundleLevelFailure(
  result: VerificationResult,
  step: VerifyStep,
  code: VerifyFailureCode,
  message: string,
  index = -1,
): VerificationResult {
  result.verdict = 'invalid';
  result.failure = { index, seq: null, step, code, message };
  if (index >= 0 && result.events[index]) Object.assign(result.events[index], { status: 'invalid', step, code, message });
  return result;
}

/**
 * Verifies a bundle per proof spec v1. Returns `verified`, `pending` (valid so far, some events
 * not yet anchored or not yet confirmed) or `invalid` with the first failure (lowest step, then
 * lowest event). Throws `ChainUnavailableError` when the chain cannot be read.
 */
export async function verifyBundle(input: unknown, reader: ChainReader, options: VerifyBundleOptions = {}): Promise<VerificationResult> {
  const confirmations = options.confirmations ?? 1;
  const maxAnchorDelaySeconds = options.maxAnchorDelaySeconds ?? DEFAULT_MAX_ANCHOR_DELAY_SECONDS;
  if (!Number.isFinite(maxAnchorDelaySeconds) || maxAnchorDelaySeconds < 0) {
    throw new ProofError(
      'INVALID_ARGUMENT',
      `maxAnchorDelaySeconds must be a number of seconds >= 0, not ${String(maxAnchorDelaySeconds)}`,
    );
  }
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<Bundle>;
  const result: VerificationResult = {
    verdict: 'invalid',
    format: typeof raw.format === 'string' ? raw.format : '',
    chainId: typeof raw.chain?.chainId === 'number' ? raw.chain.chainId : null,
    contract: typeof raw.chain?.contract === 'string' ? raw.chain.contract.toLowerCase() : null,
    order: typeof raw.order === 'string' ? raw.order : null,
    brand: typeof raw.brand === 'string' ? raw.brand : null,
    headBlock: null,
    confirmationsRequired: confirmations,
    events: Array.isArray(raw.events)
      ? raw.events.slice(0, 100_000).map((e, index) => ({
          index,
          seq: typeof e?.record?.seq === 'number' ? e.record.seq : null,
          type: typeof e?.record?.type === 'string' ? e.record.type : null,
          status: 'unchecked' as const,
        }))
      : [],
    timeWarnings: [],
    maxAnchorDelaySeconds,
  };

  // Step 1: format and chain known.
  try {
    assertBundle(input);
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    const m = /^events\[(\d+)\]/.exec(e.problems?.[0] ?? '');
    return bundleLevelFailure(result, 'format', 'MALFORMED_BUNDLE', e.message, m ? Number(m[1]) : -1);
  }
  const bundle = input;
  const contract = bundle.chain.contract.toLowerCase();
  if (options.trust) {
    const match = matchTrustAnchor(options.trust, bundle.chain.chainId, contract);
    if (match === null) {
      const code =
        options.trust.chainId === bundle.chain.chainId || options.trust.previous.some((p) => p.chainId === bundle.chain.chainId)
          ? 'CONTRACT_MISMATCH'
          : 'CHAIN_MISMATCH';
      return bundleLevelFailure(result, 'format', code, trustMismatchMessage(options.trust, bundle.chain.chainId, contract));
    }
    result.pin = {
      chainId: match.chainId,
      contract: match.contract,
      source: options.pinSource ?? 'trust file',
      matched: match.matched,
      ...(options.trust.publisher ? { publisher: options.trust.publisher } : {}),
    };
  } else if (options.expectedContract) {
    result.pin = {
      chainId: options.expectedChainId ?? bundle.chain.chainId,
      contract: options.expectedContract.toLowerCase() as Hex,
      source: options.pinSource ?? 'expected contract',
      matched: 'current',
    };
  }
  if (options.expectedContract && options.expectedContract.toLowerCase() !== contract) {
    return bundleLevelFailure(
      result,
      'format',
      'CONTRACT_MISMATCH',
      `bundle names contract ${contract}, expected ${options.expectedContract.toLowerCase()}`,
    );
  }
  if (options.expectedChainId !== undefined && options.expectedChainId !== bundle.chain.chainId) {
    return bundleLevelFailure(
      result,
      'format',
      'CHAIN_MISMATCH',
      `bundle names chain ${bundle.chain.chainId}, expected ${options.expectedChainId}`,
    );
  }
  try {
    return await verifyAgainstChain(bundle, contract, reader, result, confirmations);
  } catch (e) {
    if (!(e instanceof ProofError && e.code === 'ENDPOINTS_DISAGREE')) throw e;
    // Which step the endpoints contradicted each other in: the chain id is step 1, anything later step 6.
    return bundleLevelFailure(result, e.field === 'chainId' ? 'format' : 'anchor', 'ENDPOINTS_DISAGREE', e.message);
  } finally {
    if (reader.endpointReport) result.endpoints = reader.endpointReport();
  }
}

async function verifyAgainstChain(
  bundle: Bundle,
  contract: string,
  reader: ChainReader,
  result: VerificationResult,
  confirmations: number,
): Promise<VerificationResult> {
  // Step 1's and step 6's reads depend only on what the bundle claims, so they are asked first and
  // travel while steps 2–5 hash; only the events that pass steps 2–5 are judged on their answers.
  const chainIdRead = readChain('the chain id', () => reader.getChainId());
  const headRead = readChain('the block number', () => reader.getBlockNumber());
  const claimed = bundle.events.filter((e) => e.anchor !== null);
  const chainRead = claimed.length > 0 ? readChainView(bundle, claimed, reader, headRead) : null;
  for (const read of [chainIdRead, headRead, chainRead]) read?.catch(() => undefined);
  // Readers that gather the calls of one turn into a single request send it before the hashing.
  await Promise.resolve();

  // Steps 2–5 need no chain; run them for every event so each gets its own status. The statuses
  // count only once the chain is known to be the bundle's, so they are applied after step 1.
  const failures: VerificationFailure[] = [];
  const reached = new Set<number>();
  const offChain: [EventCheck, Partial<EventCheck>][] = [];
  bundle.events.forEach((event, index) => {
    const check = result.events[index];
    try {
      checkLeaf(event, index);
      checkDisclosures(event);
      checkChainLink(bundle, index);
      if (event.anchor === null) {
        offChain.push([check, { status: 'pending', message: 'not yet anchored' }]);
        return;
      }
      checkInclusion(event);
      reached.add(index);
    } catch (e) {
      if (!(e instanceof StepFailure)) throw e;
      offChain.push([check, { status: 'invalid', step: e.step, code: e.code, message: e.message }]);
      failures.push({ index, seq: check.seq, step: e.step, code: e.code, message: e.message });
    }
  });

  // The chain id is judged first: on another chain, nothing read there counts.
  const chainId = await chainIdRead;
  if (chainId !== bundle.chain.chainId) {
    return bundleLevelFailure(
      result,
      'format',
      'CHAIN_MISMATCH',
      `bundle is for chain ${bundle.chain.chainId}, the RPC serves chain ${chainId}`,
    );
  }
  for (const [check, outcome] of offChain) Object.assign(check, outcome);

  // Step 6 against the chain, reading each batch root and receipt once.
  if (reached.size > 0) {
    const chain = await chainRead!;
    result.headBlock = chain.head;
    for (const index of reached) {
      const check = result.events[index];
      try {
        const anchor = checkAnchor(bundle.events[index], contract, chain);
        check.anchor = anchor;
        if (anchor.blockTime !== undefined) {
          const warning = timeWarningOf(
            check,
            bundle.events[index].record.recorded,
            anchor.blockNumber,
            anchor.blockTime,
            result.maxAnchorDelaySeconds,
          );
          if (warning !== null) result.timeWarnings.push(warning);
        }
        if (anchor.confirmations < confirmations) {
          Object.assign(check, { status: 'pending', message: `${anchor.confirmations} of ${confirmations} confirmations` });
        } else {
          check.status = 'verified';
        }
      } catch (e) {
        if (!(e instanceof StepFailure)) throw e;
        Object.assign(check, { status: 'invalid', step: e.step, code: e.code, message: e.message });
        failures.push({ index, seq: check.seq, step: e.step, code: e.code, message: e.message });
      }
    }
  } else {
    result.headBlock = await headRead;
  }

  if (failures.length > 0) {
    failures.sort((a, b) => STEP_NUMBER[a.step] - STEP_NUMBER[b.step] || a.index - b.index);
    result.failure = failures[0];
    result.verdict = 'invalid';
  } else {
    result.verdict = result.events.every((e) => e.status === 'verified') ? 'verified' : 'pending';
  }
  return result;
}
