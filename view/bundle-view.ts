/**
 * What a verified bundle shows, in one place: the verifier page, the evidence PDF and the CLI
 * printers all render this model and derive nothing of their own from the bundle. Pure and free of
 * Node and DOM APIs (the page bundles it), and free of language: renderers word every code here.
 *
 * The bundle is untrusted and may not even have the bundle's shape (the CLI reports on any file),
 * so every field is read defensively. What the bundle claims and what was read from the chain are
 * kept apart: a block number is "confirmed" only when the verification read it from the chain.
 */
import { commitment } from '../proof/hashes';
import { type ExpectedStep, expectedNext, type OrderStatus, statusAfter } from '../proof/order-lifecycle';
import {
  CHANGE_REQUEST_KINDS,
  type ChangeRequestKind,
  isReservedDataKey,
  type RecordSource,
  recordSource,
  REQUEST_DATA_KEY,
  SOURCE_DATA_KEY,
} from '../proof/record';
import {
  BLOCK_TIME_TOLERANCE_SECONDS,
  STEP_NUMBER,
  type EventCheck,
  type TimeWarningCode,
  type VerificationResult,
  type VerifyFailureCode,
  type VerifyStep,
} from '../proof/verify';

export type { RecordSource } from '../proof/record';
export type { ExpectedStep, OrderStatus } from '../proof/order-lifecycle';

export type RowStatus = EventCheck['status'];
export const ROW_STATUSES: readonly RowStatus[] = ['verified', 'pending', 'invalid', 'unchecked'];

/** The order's proof as a whole. `not-checked`: no verification was run (no chain given or reachable). */
export type VerdictView =
  | { kind: 'verified'; events: number; confirmationsRequired: number }
  | { kind: 'pending'; events: number; pending: number }
  | { kind: 'invalid'; events: number; failure: FailureView | null }
  | { kind: 'not-checked'; events: number };

export interface FailureView {
  /** Index in the bundle's events, or -1 for the bundle as a whole. */
  index: number;
  seq: number | null;
  /** The failing event's type, when the failure is an event's. */
  type: string | null;
  step: VerifyStep;
  stepNumber: number;
  code: VerifyFailureCode;
  message: string;
}

export interface OrderSummary {
  order: string | null;
  brand: string | null;
  format: string | null;
  chainId: number | null;
  contract: string | null;
  eventCount: number;
  /** Chain head the verification counted confirmations against; null when not read. */
  headBlock: number | null;
  confirmationsRequired: number | null;
  /** The anchor delay beyond which an event is warned about as anchored late; null when not verified. */
  maxAnchorDelaySeconds: number | null;
}

/** A displayable name/value pair: strings as they are, any other JSON value as JSON text. */
export interface FieldView {
  name: string;
  value: string;
  /** The same value laid out for reading: a list of objects (line items, say) as a table, an object as pairs. */
  readable: ReadableValue;
}

/**
 * A JSON value as a reader takes it in. Cells and texts are display text: strings as they are,
 * amounts (`{"amount": "59.90", "currency": "EUR"}`) as "59.90 EUR", anything deeper as JSON.
 */
export type ReadableValue =
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'pairs'; pairs: { name: string; text: string }[] };

/**
 * The order's progress as its events tell it, for the top of a tracking page. Invalid events do
 * not count: what a broken proof claims is no status.
 */
export interface TrackingView {
  /** The newest event that is not invalid. */
  latest: { index: number; seq: number | null; type: string | null; at: string | null; status: RowStatus } | null;
  /** The state the lifecycle puts the order in after those events; null before any known state. */
  state: OrderStatus | null;
  /** The step the lifecycle expects next; null when the order is done or its state unknown. */
  expectedNext: ExpectedStep | null;
  /** The newest carrier and place any of those events names. */
  carrier: string | null;
  place: string | null;
}

/**
 * A private field of a record. `sealed`: only its commitment is published. `disclosed`: the bundle
 * gives value and salt and they open the commitment. `mismatch`: they are given but do not.
 */
export interface SealedFieldView {
  name: string;
  commitment: string;
  state: 'sealed' | 'disclosed' | 'mismatch';
  value?: string;
  salt?: string;
  /** Not disclosed because the issuer erased value and salt (the bundle's `erased`); the commitment stays. */
  erased?: boolean;
}

/** One anchoring transaction's batch, shown once however many of the order's events it holds. */
export interface BatchView {
  /** Distinct per claimed (batch, root, transaction): a tampered bundle may claim one batch twice. */
  key: string;
  batch: number | null;
  root: string | null;
  txHash: string | null;
  /** As the bundle claims them. */
  claimedBlockNumber: number | null;
  claimedBlockHash: string | null;
  /** As read from the chain by the verification; null when not confirmed against a chain. */
  onChain: { blockNumber: number; blockHash: string; confirmations: number; blockTime: string | null } | null;
  /** Seqs (or, lacking one, 1-based positions) of the events in this batch, in bundle order. */
  events: (number | null)[];
}

export interface EventRow {
  index: number;
  seq: number | null;
  type: string | null;
  /** When it happened, as the brand says. */
  at: string | null;
  /** When ordertrace recorded it. */
  recorded: string | null;
  status: RowStatus;
  /** Why an invalid event is invalid. */
  failure?: { step: VerifyStep; stepNumber: number; code?: VerifyFailureCode; message?: string };
  /** Why a pending event is pending, as the proof core says it (e.g. confirmations so far). */
  pendingReason?: string;
  leaf: string | null;
  prev: string | null;
  /** The row's batch in `batches`; null when the bundle says the event is not yet anchored. */
  batchKey: string | null;
  /** The Merkle proof from the leaf to its batch root. */
  proof: string[] | null;
  /** Who recorded the event, as its record states (`data["ordertrace:source"]`). */
  recordedBy: RecordSource;
  /** Public fields the brand sent (without the `ordertrace:` keys). */
  data: FieldView[];
  /** The carrier and the place the public fields name (CARRIER_KEYS, PLACE_KEYS), as display text. */
  carrier: { key: string; text: string } | null;
  place: { key: string; text: string } | null;
  /** `ordertrace:` keys of `data` this verifier does not know: shown, never a failure. */
  reservedData: FieldView[];
  /** The event's time against its anchoring block's, when that does not add up (never a failure). */
  timeWarning?: { code: TimeWarningCode; delaySeconds: number; blockNumber: number; blockTime: string; message: string };
  sealed: SealedFieldView[];
  /** Names disclosed by the bundle that the record has no commitment for. */
  disclosedWithoutCommitment: string[];
}

/** The spec's six verification steps and how each came out for this bundle. */
export interface CheckStepView {
  step: VerifyStep;
  number: number;
  outcome: 'passed' | 'failed' | 'pending' | 'not-run';
}

export type WarningView =
  /** No verification was run: every status and block number is the bundle's own claim. */
  | { code: 'not-checked' }
  /** Events anchored in blocks the verification did not confirm (their numbers are claims). */
  | { code: 'unconfirmed-blocks'; seqs: (number | null)[] }
  /** Events waiting for anchoring or confirmations: their existence is not yet proven by the chain. */
  | { code: 'pending-events'; seqs: (number | null)[] }
  /** Events whose record says they were recorded after the block anchoring them, beyond the tolerance. */
  | { code: 'recorded-after-block'; seqs: (number | null)[]; toleranceSeconds: number }
  /** Events anchored more than the allowed delay after they were recorded. */
  | { code: 'late-anchor'; seqs: (number | null)[]; maxDelaySeconds: number };

/**
 * A consumer's change request (`change_requested`) and how the brand answered it, read from the
 * records: `approved` by `address_changed` or `hold_confirmed`, `declined` by `change_declined`,
 * each naming the request's seq in `data.request`. Only as true as the rows' statuses say.
 */
export interface ChangeRequestView {
  seq: number | null;
  /** `unknown`: the record names a kind this verifier does not know. */
  request: ChangeRequestKind | 'unknown';
  state: 'pending' | 'approved' | 'declined';
  /** The seq of the brand's answer; null while pending. */
  answeredBy: number | null;
  /** The verification status of the request's row, and of the answer's row (null while pending). */
  status: RowStatus;
  answerStatus: RowStatus | null;
}

export interface BundleView {
  verdict: VerdictView;
  order: OrderSummary;
  counts: Record<RowStatus, number>;
  events: EventRow[];
  /** The consumer's change requests in seq order, with their answers. */
  requests: ChangeRequestView[];
  batches: BatchView[];
  checks: CheckStepView[];
  warnings: WarningView[];
  tracking: TrackingView;
}

const STEPS = Object.keys(STEP_NUMBER) as VerifyStep[];

function asObject(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function int(x: unknown): number | null {
  return typeof x === 'number' && Number.isSafeInteger(x) ? x : null;
}

/**
 * Characters that would act instead of being read: controls, line and paragraph separators and
 * bidirectional formatting (`U+202E` makes what follows read backwards).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const ACTING_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Text as it can be shown: every acting character written as its `\uXXXX` escape, the rest as it is. */
export function displayText(text: string): string {
  return text.replace(ACTING_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Any JSON value as text: strings as they are, everything else as JSON, acting characters escaped. Never throws. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return displayText(value);
  if (value === undefined) return '(missing)';
  try {
    // Functions and symbols have no JSON; JSON.parse never makes them.
    const json = JSON.stringify(value);
    return json === undefined ? `(${typeof value})` : displayText(json);
  } catch {
    // BigInt or a cycle: nothing parsed from JSON holds them, but never throw while rendering.
    return typeof value === 'bigint' ? value.toString() : Object.prototype.toString.call(value);
  }
}

const CURRENCY_RE = /^[A-Z]{3}$/;
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** `{"amount": "59.90", "currency": "EUR"}` (or `value` for `amount`) as "59.90 EUR"; null for anything else. */
function amountText(x: unknown): string | null {
  const o = asObject(x);
  if (o === null || Object.keys(o).length !== 2 || typeof o.currency !== 'string' || !CURRENCY_RE.test(o.currency)) return null;
  const amount = 'amount' in o ? o.amount : o.value;
  if (typeof amount === 'string' && DECIMAL_RE.test(amount)) return `${amount} ${o.currency}`;
  if (typeof amount === 'number' && Number.isFinite(amount)) return `${String(amount)} ${o.currency}`;
  return null;
}

function cellText(x: unknown): string {
  return amountText(x) ?? displayValue(x);
}

/** A value laid out for reading (ReadableValue). */
export function readableValue(x: unknown): ReadableValue {
  if (amountText(x) !== null || typeof x !== 'object' || x === null) return { kind: 'text', text: cellText(x) };
  if (Array.isArray(x)) {
    if (x.length > 0 && x.every((item) => asObject(item) !== null && amountText(item) === null)) {
      const columns = [...new Set(x.flatMap((item) => Object.keys(item as object)))];
      const rows = x.map((item: Record<string, unknown>) => columns.map((c) => (Object.hasOwn(item, c) ? cellText(item[c]) : '')));
      return { kind: 'table', columns: columns.map(displayText), rows };
    }
    if (x.length > 0 && x.every((item) => typeof item !== 'object' || item === null || amountText(item) !== null)) {
      return { kind: 'list', items: x.map(cellText) };
    }
    return { kind: 'text', text: displayValue(x) };
  }
  const o = x as Record<string, unknown>;
  const names = Object.keys(o);
  if (names.length === 0) return { kind: 'text', text: displayValue(x) };
  return { kind: 'pairs', pairs: names.map((name) => ({ name: displayText(name), text: cellText(o[name]) })) };
}

function fieldView(name: string, value: unknown): FieldView {
  return { name, value: displayValue(value), readable: readableValue(value) };
}

/** The brand's public fields, and the `ordertrace:` keys other than the source, which this verifier does not know. */
function fields(x: unknown): { data: FieldView[]; reserved: FieldView[] } {
  const o = asObject(x);
  const data: FieldView[] = [];
  const reserved: FieldView[] = [];
  for (const name of o === null ? [] : Object.keys(o)) {
    if (name === SOURCE_DATA_KEY) continue;
    (isReservedDataKey(name) ? reserved : data).push(fieldView(name, o![name]));
  }
  return { data, reserved };
}

/**
 * Public data keys that name who carries the parcel and where it is, first match wins. The
 * places include the read point and business location of EPCIS imports (docs/epcis.md).
 */
export const CARRIER_KEYS = ['carrier', 'courier', 'carrierName'] as const;
export const PLACE_KEYS = ['location', 'place', 'city', 'hub', 'facility', 'warehouse', 'bizLocation', 'readPoint'] as const;

/** The first of `keys` that `data` holds as text, or as an object with a `name`. */
function namedBy(data: Record<string, unknown> | null, keys: readonly string[]): { key: string; text: string } | null {
  for (const key of keys) {
    if (data === null || !Object.hasOwn(data, key)) continue;
    const value = data[key];
    const name = typeof value === 'string' ? value : str(asObject(value)?.name);
    if (name !== null && name.trim() !== '') return { key, text: displayText(name) };
  }
  return null;
}

function trackingView(rows: readonly EventRow[]): TrackingView {
  const counted = rows.filter((r) => r.status !== 'invalid');
  const newest = counted.at(-1);
  const newestFirst = [...counted].reverse();
  const types = counted.map((r) => r.type);
  return {
    latest: newest === undefined ? null : { index: newest.index, seq: newest.seq, type: newest.type, at: newest.at, status: newest.status },
    state: statusAfter(types),
    expectedNext: expectedNext(types),
    carrier: newestFirst.find((r) => r.carrier !== null)?.carrier?.text ?? null,
    place: newestFirst.find((r) => r.place !== null)?.place?.text ?? null,
  };
}

function opens(name: string, value: unknown, salt: unknown, sealed: unknown): boolean {
  try {
    return commitment(name, value as never, salt as never) === sealed;
  } catch {
    return false;
  }
}

function sealedFields(
  record: Record<string, unknown> | null,
  disclosed: Record<string, unknown> | null,
  erased: readonly unknown[],
): SealedFieldView[] {
  const sealed = asObject(record?.sealed) ?? {};
  return Object.keys(sealed).map((name) => {
    const view: SealedFieldView = { name, commitment: displayValue(sealed[name]), state: 'sealed' };
    if (erased.includes(name)) view.erased = true;
    if (disclosed === null || !Object.prototype.hasOwnProperty.call(disclosed, name)) return view;
    const d = asObject(disclosed[name]) ?? {};
    view.state = opens(name, d.value, d.salt, sealed[name]) ? 'disclosed' : 'mismatch';
    view.value = displayValue(d.value);
    view.salt = displayValue(d.salt);
    return view;
  });
}

function failureView(result: VerificationResult, rows: readonly EventRow[]): FailureView | null {
  const f = result.failure;
  if (f) {
    const row = f.index >= 0 ? rows[f.index] : undefined;
    return {
      index: f.index,
      seq: f.seq ?? row?.seq ?? null,
      type: row?.type ?? null,
      step: f.step,
      stepNumber: STEP_NUMBER[f.step],
      code: f.code,
      message: f.message,
    };
  }
  const row = rows.find((r) => r.status === 'invalid');
  if (!row?.failure) return null;
  return {
    index: row.index,
    seq: row.seq,
    type: row.type,
    ...row.failure,
    code: row.failure.code ?? 'MALFORMED_BUNDLE',
    message: row.failure.message ?? '',
  };
}

function verdictView(result: VerificationResult | null, rows: readonly EventRow[], counts: Record<RowStatus, number>): VerdictView {
  const events = rows.length;
  if (result === null) return { kind: 'not-checked', events };
  switch (result.verdict) {
    case 'verified':
      return { kind: 'verified', events, confirmationsRequired: result.confirmationsRequired };
    case 'pending':
      return { kind: 'pending', events, pending: counts.pending };
    case 'invalid':
      return { kind: 'invalid', events, failure: failureView(result, rows) };
  }
}

function checkSteps(result: VerificationResult | null, rows: readonly EventRow[]): CheckStepView[] {
  const failedSteps = new Set<VerifyStep>(rows.flatMap((r) => (r.failure ? [r.failure.step] : [])));
  if (result?.failure) failedSteps.add(result.failure.step);
  const wholeBundleFailed = result?.failure !== undefined && (result.failure.index < 0 || result.failure.step === 'format');
  const pending = rows.some((r) => r.status === 'pending');
  return STEPS.map((step) => {
    const number = STEP_NUMBER[step];
    let outcome: CheckStepView['outcome'];
    if (result === null) outcome = 'not-run';
    else if (failedSteps.has(step)) outcome = 'failed';
    else if (wholeBundleFailed) outcome = 'not-run';
    else if (pending && (step === 'inclusion' || step === 'anchor')) outcome = 'pending';
    else outcome = 'passed';
    return { step, number, outcome };
  });
}

const APPROVALS: ReadonlySet<string> = new Set(['address_changed', 'hold_confirmed']);

function changeRequests(list: readonly unknown[], rows: readonly EventRow[]): ChangeRequestView[] {
  const requests: ChangeRequestView[] = [];
  rows.forEach((row, index) => {
    const data = asObject(asObject(asObject(list[index])?.record)?.data);
    if (row.type === 'change_requested') {
      const kind = str(data?.[REQUEST_DATA_KEY]);
      requests.push({
        seq: row.seq,
        request: kind !== null && (CHANGE_REQUEST_KINDS as readonly string[]).includes(kind) ? (kind as ChangeRequestKind) : 'unknown',
        state: 'pending',
        answeredBy: null,
        status: row.status,
        answerStatus: null,
      });
      return;
    }
    const answers = int(data?.[REQUEST_DATA_KEY]);
    if (answers === null || (row.type !== 'change_declined' && !APPROVALS.has(row.type ?? ''))) return;
    const request = requests.find((r) => r.seq === answers && r.state === 'pending');
    if (request === undefined) return;
    request.state = row.type === 'change_declined' ? 'declined' : 'approved';
    request.answeredBy = row.seq;
    request.answerStatus = row.status;
  });
  return requests;
}

/**
 * The view of `bundle` as `verification` found it; `verification` null when none was run. The
 * verification must be of this bundle (its events are matched by index).
 */
export function buildBundleView(bundle: unknown, verification: VerificationResult | null): BundleView {
  const b = asObject(bundle);
  const chain = asObject(b?.chain);
  const list = Array.isArray(b?.events) ? (b.events as unknown[]) : [];
  const checks: (EventCheck | undefined)[] = verification ? verification.events : list.map(() => undefined);

  const batches = new Map<string, BatchView>();
  const events = checks.map((check, index): EventRow => {
    const event = asObject(list[index]);
    const record = asObject(event?.record);
    const seq = check?.seq ?? int(record?.seq);
    const { data, reserved } = fields(record?.data);
    const publicData = asObject(record?.data);
    const row: EventRow = {
      index,
      seq,
      type: check?.type ?? str(record?.type),
      at: str(record?.at),
      recorded: str(record?.recorded),
      status: check?.status ?? 'unchecked',
      leaf: str(event?.leaf),
      prev: str(record?.prev),
      batchKey: null,
      proof: null,
      recordedBy: recordSource(asObject(record?.data)),
      data,
      carrier: namedBy(publicData, CARRIER_KEYS),
      place: namedBy(publicData, PLACE_KEYS),
      reservedData: reserved,
      sealed: sealedFields(record, asObject(event?.disclosed), Array.isArray(event?.erased) ? (event.erased as unknown[]) : []),
      disclosedWithoutCommitment: Object.keys(asObject(event?.disclosed) ?? {}).filter(
        (name) => !Object.prototype.hasOwnProperty.call(asObject(record?.sealed) ?? {}, name),
      ),
    };
    if (check?.status === 'invalid' && check.step) {
      row.failure = { step: check.step, stepNumber: STEP_NUMBER[check.step], code: check.code, message: check.message };
    }
    if (check?.status === 'pending') row.pendingReason = check.message;

    const anchor = asObject(event?.anchor);
    if (anchor !== null) {
      const claimed = { batch: int(anchor.batch), root: str(anchor.root), txHash: str(anchor.txHash) };
      const key = `${claimed.batch ?? '?'}:${claimed.root ?? '?'}:${claimed.txHash ?? '?'}`;
      let batch = batches.get(key);
      if (batch === undefined) {
        batch = {
          key,
          ...claimed,
          claimedBlockNumber: int(anchor.blockNumber),
          claimedBlockHash: str(anchor.blockHash),
          onChain: null,
          events: [],
        };
        batches.set(key, batch);
      }
      batch.events.push(seq ?? index + 1);
      const read = check?.anchor;
      if (read && batch.onChain === null) {
        batch.onChain = {
          blockNumber: read.blockNumber,
          blockHash: read.blockHash,
          confirmations: read.confirmations,
          blockTime: read.blockTime === undefined ? null : new Date(read.blockTime * 1000).toISOString(),
        };
      }
      row.batchKey = key;
      row.proof = Array.isArray(anchor.proof) ? anchor.proof.map(displayValue) : null;
    }
    return row;
  });

  for (const w of verification?.timeWarnings ?? []) {
    const row = events[w.index];
    if (row === undefined) continue;
    row.timeWarning = {
      code: w.code,
      delaySeconds: w.delaySeconds,
      blockNumber: w.blockNumber,
      blockTime: new Date(w.blockTime * 1000).toISOString(),
      message: w.message,
    };
  }

  const counts: Record<RowStatus, number> = { verified: 0, pending: 0, invalid: 0, unchecked: 0 };
  for (const row of events) counts[row.status]++;

  const warnings: WarningView[] = [];
  if (verification === null) warnings.push({ code: 'not-checked' });
  const unconfirmed = events.filter((r) => r.batchKey !== null && batches.get(r.batchKey)?.onChain === null).map((r) => r.seq);
  if (unconfirmed.length > 0) warnings.push({ code: 'unconfirmed-blocks', seqs: unconfirmed });
  if (counts.pending > 0) warnings.push({ code: 'pending-events', seqs: events.filter((r) => r.status === 'pending').map((r) => r.seq) });
  const timeSeqs = (code: TimeWarningCode) => events.filter((r) => r.timeWarning?.code === code).map((r) => r.seq);
  const recordedAfter = timeSeqs('RECORDED_AFTER_BLOCK');
  if (recordedAfter.length > 0) {
    warnings.push({ code: 'recorded-after-block', seqs: recordedAfter, toleranceSeconds: BLOCK_TIME_TOLERANCE_SECONDS });
  }
  const late = timeSeqs('LATE_ANCHOR');
  if (late.length > 0) {
    warnings.push({ code: 'late-anchor', seqs: late, maxDelaySeconds: verification?.maxAnchorDelaySeconds ?? 0 });
  }

  return {
    verdict: verdictView(verification, events, counts),
    order: {
      order: verification?.order ?? str(b?.order),
      brand: verification?.brand ?? str(b?.brand),
      format: str(b?.format),
      chainId: verification?.chainId ?? int(chain?.chainId),
      contract: verification?.contract ?? str(chain?.contract),
      eventCount: events.length,
      headBlock: verification?.headBlock ?? null,
      confirmationsRequired: verification?.confirmationsRequired ?? null,
      maxAnchorDelaySeconds: verification?.maxAnchorDelaySeconds ?? null,
    },
    counts,
    events,
    requests: changeRequests(list, events),
    batches: [...batches.values()],
    checks: checkSteps(verification, events),
    warnings,
    tracking: trackingView(events),
  };
}

/** The batch a row was anchored in, if any. */
export function batchOf(view: BundleView, row: EventRow): BatchView | undefined {
  return row.batchKey === null ? undefined : view.batches.find((b) => b.key === row.batchKey);
}
