/**
 * The `ordertrace-bundle/1` format: what arbitrators export and the verifier page reads.
 * Everything in a bundle is attacker-controlled until verified; `assertBundle` checks its shape
 * (collecting every bad field) so that verification never trips over a wrong type.
 */
import { type Hex, isAddress, isHex32 } from './bytes';
import type { JsonValue } from './canonical';
import { ProofError } from './errors';
import type { EventRecord } from './record';

export const BUNDLE_FORMAT = 'ordertrace-bundle/1';

/** Bounds for hostile input: a real order has tens of events and proofs of ~20 hashes. */
export const MAX_BUNDLE_EVENTS = 100_000;
export const MAX_PROOF_LENGTH = 64;

export interface AnchorProof {
  batch: number;
  root: Hex;
  proof: Hex[];
  txHash: Hex;
  blockNumber: number;
  blockHash: Hex;
}

/** A sealed field opened: its value and salt, which hash to the record's commitment. */
export interface DisclosedField {
  value: JsonValue;
  salt: Hex;
}

export interface BundleEvent {
  record: EventRecord;
  leaf: Hex;
  disclosed?: { [name: string]: DisclosedField };
  /**
   * Sealed fields whose value and salt the service erased (crypto-shredding): they can no longer
   * be disclosed; their commitments stay in the record. Informative, not verified. Optional.
   */
  erased?: string[];
  anchor: AnchorProof | null;
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  chain: { chainId: number; contract: Hex };
  order: string;
  brand: string;
  events: BundleEvent[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
}

const MAX_PROBLEMS = 20;

/**
 * Asserts the bundle's shape. Record contents are checked during verification (step 2), so that
 * a tampered record is reported as that event's failure rather than as a malformed file.
 */
export function assertBundle(x: unknown): asserts x is Bundle {
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  if (!isObject(x))
    throw new ProofError('MALFORMED_BUNDLE', 'bundle must be a JSON object', { field: '$', problems: ['$ must be an object'] });
  if (x.format !== BUNDLE_FORMAT) add(`format must be "${BUNDLE_FORMAT}"`);
  if (!isObject(x.chain)) add('chain must be an object');
  else {
    if (!isPositiveInt(x.chain.chainId)) add('chain.chainId must be a positive integer');
    if (!isAddress(x.chain.contract)) add('chain.contract must be a 20-byte 0x address');
  }
  if (typeof x.order !== 'string' || x.order.length === 0) add('order must be a non-empty string');
  if (typeof x.brand !== 'string' || x.brand.length === 0) add('brand must be a non-empty string');
  if (!Array.isArray(x.events)) add('events must be an array');
  else if (x.events.length === 0) add('events must not be empty');
  else if (x.events.length > MAX_BUNDLE_EVENTS) add(`events has more than ${MAX_BUNDLE_EVENTS} entries`);
  else {
    x.events.forEach((e: unknown, i: number) => {
      const at = `events[${i}]`;
      if (!isObject(e)) return add(`${at} must be an object`);
      if (!isObject(e.record)) add(`${at}.record must be an object`);
      if (!isHex32(e.leaf)) add(`${at}.leaf must be 32 bytes of lowercase hex`);
      if (e.disclosed !== undefined) {
        if (!isObject(e.disclosed)) add(`${at}.disclosed must be an object`);
        else {
          for (const [name, d] of Object.entries(e.disclosed)) {
            if (!isObject(d) || !('value' in d)) add(`${at}.disclosed.${name} must be {value, salt}`);
            else if (!isHex32(d.salt)) add(`${at}.disclosed.${name}.salt must be 32 bytes of lowercase hex`);
          }
        }
      }
      if (e.erased !== undefined && (!Array.isArray(e.erased) || !e.erased.every((n) => typeof n === 'string'))) {
        add(`${at}.erased must be an array of field names`);
      }
      if (!('anchor' in e)) add(`${at}.anchor is missing (null when not yet anchored)`);
      else if (e.anchor !== null) {
        const a = e.anchor;
        if (!isObject(a)) return add(`${at}.anchor must be an object or null`);
        if (!isPositiveInt(a.batch)) add(`${at}.anchor.batch must be a positive integer`);
        if (!isHex32(a.root)) add(`${at}.anchor.root must be 32 bytes of lowercase hex`);
        if (!Array.isArray(a.proof) || a.proof.length > MAX_PROOF_LENGTH || !a.proof.every(isHex32)) {
          add(`${at}.anchor.proof must be an array of at most ${MAX_PROOF_LENGTH} 32-byte hex hashes`);
        }
        if (!isHex32(a.txHash)) add(`${at}.anchor.txHash must be 32 bytes of lowercase hex`);
        if (!isPositiveInt(a.blockNumber) && a.blockNumber !== 0) add(`${at}.anchor.blockNumber must be an integer`);
        if (!isHex32(a.blockHash)) add(`${at}.anchor.blockHash must be 32 bytes of lowercase hex`);
      }
    });
  }
  if (problems.length > 0) {
    throw new ProofError('MALFORMED_BUNDLE', `not a valid ${BUNDLE_FORMAT} bundle: ${problems.join('; ')}`, {
      field: problems[0].split(' ')[0],
      problems,
    });
  }
}
