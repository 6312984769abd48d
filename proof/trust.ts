/**
 * The `ordertrace-trust/1` file: the chain, contract and JSON-RPC endpoints a brand publishes (on
 * its own website, next to its verifier page) so that verifiers pin them instead of believing the
 * bundle or the ordertrace server. A bundle naming another chain or contract is invalid at step 1.
 * Pure and browser-safe: parsing only, no I/O.
 */
import { type Hex, isAddress } from './bytes';
import { ProofError } from './errors';

export const TRUST_FORMAT = 'ordertrace-trust/1';

/** Bounds for a hostile file: a brand lists a handful of endpoints and a few retired contracts. */
export const MAX_TRUST_RPC_URLS = 16;
export const MAX_TRUST_PREVIOUS = 64;
const MAX_TEXT = 2_000;

/** A contract the brand anchored in before; bundles anchored there stay verifiable. */
export interface PreviousAnchor {
  chainId: number;
  /** Lowercase. */
  contract: Hex;
  /** When the brand stopped anchoring in it (ISO 8601), for people reading the file. */
  until: string;
  /** Endpoints of that chain, when it is not the current one. */
  rpc?: string[];
}

export interface TrustAnchors {
  format: typeof TRUST_FORMAT;
  chainId: number;
  /** Lowercase. */
  contract: Hex;
  /** JSON-RPC endpoints of the chain, at least one; verifiers read through every one. */
  rpc: string[];
  publisher?: { name: string; url?: string };
  previous: PreviousAnchor[];
}

/** The chain and contract a bundle was checked against, and where that pin came from. */
export interface Pin {
  chainId: number;
  contract: Hex;
  /** Human-readable origin of the pin: "trust file ./trust.json", "built into this page", "--contract". */
  source: string;
  /** 'previous' when the bundle's contract is a retired one the trust file still lists. */
  matched: 'current' | 'previous';
  publisher?: { name: string; url?: string };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isChainId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
}

function isHttpUrl(x: unknown): x is string {
  if (typeof x !== 'string' || x.length > MAX_TEXT) return false;
  try {
    const url = new URL(x);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function rpcList(x: unknown, at: string, add: (p: string) => void): string[] {
  const list = typeof x === 'string' ? [x] : x;
  if (!Array.isArray(list) || list.length === 0) {
    add(`${at} must be a JSON-RPC URL or a non-empty array of them`);
    return [];
  }
  if (list.length > MAX_TRUST_RPC_URLS) add(`${at} lists more than ${MAX_TRUST_RPC_URLS} URLs`);
  list.forEach((u: unknown, i) => {
    if (!isHttpUrl(u)) add(`${at}[${i}] must be an http:// or https:// URL`);
  });
  return [...new Set(list.filter(isHttpUrl))];
}

/**
 * Validates a parsed trust file (collecting every problem) and returns it normalised: lowercase
 * contracts, `rpc` always an array, `previous` always present. Throws ProofError('INVALID_TRUST').
 */
export function parseTrustAnchors(x: unknown): TrustAnchors {
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  if (!isObject(x))
    throw new ProofError('INVALID_TRUST', 'a trust file must be a JSON object', { field: '$', problems: ['$ must be an object'] });
  if (x.format !== TRUST_FORMAT) add(`format must be "${TRUST_FORMAT}"`);
  if (!isChainId(x.chainId)) add('chainId must be a positive integer');
  if (!isAddress(typeof x.contract === 'string' ? x.contract.toLowerCase() : x.contract)) add('contract must be a 20-byte 0x address');
  const rpc = rpcList(x.rpc, 'rpc', add);
  let publisher: TrustAnchors['publisher'];
  if (x.publisher !== undefined) {
    if (!isObject(x.publisher) || typeof x.publisher.name !== 'string' || x.publisher.name.trim() === '' || x.publisher.name.length > 200) {
      add('publisher must be {"name": "…", "url": "https://…"} with a non-empty name');
    } else if (x.publisher.url !== undefined && !isHttpUrl(x.publisher.url)) {
      add('publisher.url must be an http:// or https:// URL');
    } else {
      publisher = { name: x.publisher.name, ...(typeof x.publisher.url === 'string' ? { url: x.publisher.url } : {}) };
    }
  }
  const previous: PreviousAnchor[] = [];
  if (x.previous !== undefined) {
    if (!Array.isArray(x.previous)) add('previous must be an array');
    else if (x.previous.length > MAX_TRUST_PREVIOUS) add(`previous lists more than ${MAX_TRUST_PREVIOUS} contracts`);
    else {
      x.previous.forEach((p: unknown, i) => {
        const at = `previous[${i}]`;
        if (!isObject(p)) return add(`${at} must be {"chainId", "contract", "until"}`);
        const contract = typeof p.contract === 'string' ? p.contract.toLowerCase() : p.contract;
        let ok = true;
        const problem = (m: string) => {
          ok = false;
          add(m);
        };
        if (!isChainId(p.chainId)) problem(`${at}.chainId must be a positive integer`);
        if (!isAddress(contract)) problem(`${at}.contract must be a 20-byte 0x address`);
        if (typeof p.until !== 'string' || !ISO_DATE_RE.test(p.until) || Number.isNaN(Date.parse(p.until))) {
          problem(`${at}.until must be an ISO 8601 date or date-time`);
        }
        const endpoints = p.rpc === undefined ? undefined : rpcList(p.rpc, `${at}.rpc`, problem);
        if (ok) {
          previous.push({
            chainId: p.chainId as number,
            contract: contract as Hex,
            until: p.until as string,
            ...(endpoints ? { rpc: endpoints } : {}),
          });
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new ProofError('INVALID_TRUST', `not a valid ${TRUST_FORMAT} file: ${problems.join('; ')}`, {
      field: problems[0].split(' ')[0],
      problems,
    });
  }
  return {
    format: TRUST_FORMAT,
    chainId: x.chainId as number,
    contract: (x.contract as string).toLowerCase() as Hex,
    rpc,
    ...(publisher ? { publisher } : {}),
    previous,
  };
}

/** Text → TrustAnchors; a file that is not JSON is INVALID_TRUST too. */
export function parseTrustFile(text: string): TrustAnchors {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ProofError('INVALID_TRUST', `a trust file must be JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseTrustAnchors(value);
}

/**
 * Which of the trusted anchors a bundle's chain and contract are, or null when neither the current
 * nor any previous one. The endpoints to read are the current ones, or the previous entry's own.
 */
export function matchTrustAnchor(
  trust: TrustAnchors,
  chainId: number,
  contract: string,
): { matched: 'current' | 'previous'; chainId: number; contract: Hex; rpc: string[] } | null {
  const c = contract.toLowerCase();
  if (trust.chainId === chainId && trust.contract === c) return { matched: 'current', chainId, contract: trust.contract, rpc: trust.rpc };
  const previous = trust.previous.find((p) => p.chainId === chainId && p.contract === c);
  if (previous === undefined) return null;
  return {
    matched: 'previous',
    chainId,
    contract: previous.contract,
    rpc: previous.rpc ?? (previous.chainId === trust.chainId ? trust.rpc : []),
  };
}

/** The step-1 message for a bundle that names an untrusted chain or contract. */
export function trustMismatchMessage(trust: TrustAnchors, chainId: number, contract: string): string {
  const alsoPrevious = trust.previous.length > 0 ? ` (or one of its ${trust.previous.length} previous contract(s))` : '';
  return `bundle names contract ${contract.toLowerCase()} on chain ${chainId}, but the trust anchors expect contract ${trust.contract} on chain ${trust.chainId}${alsoPrevious}`;
}

/**
 * The endpoints to read a bundle's chain through: those of the anchor it names (current, or a
 * previous one with its own), else the current ones (verification then fails at step 1 anyway).
 * Reads only the bundle's `chain`; the bundle is not validated here.
 */
export function trustedEndpoints(trust: TrustAnchors, bundle: unknown): string[] {
  const chain = (bundle as { chain?: { chainId?: unknown; contract?: unknown } } | null)?.chain;
  if (typeof chain?.chainId === 'number' && typeof chain.contract === 'string') {
    const match = matchTrustAnchor(trust, chain.chainId, chain.contract);
    if (match !== null && match.rpc.length > 0) return match.rpc;
  }
  return trust.rpc;
}
