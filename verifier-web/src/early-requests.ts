/**
 * The requests the page needs first (the order and the trust file), started by its small first
 * script (first-requests.ts, inlined into index.html) while the main script is still downloading
 * and compiling. The main script takes each started answer once, and makes a request itself when
 * none was started for exactly that request.
 */
import type { JsonRpcCall } from '../../proof/rpc-chain-reader';

export interface PageRequest {
  url: string;
  init: RequestInit;
}

/**
 * The first script is inlined into the page and bundled apart from the main script, so each has
 * its own copy of this module: what it started lives on the global object, where both meet.
 */
interface Registry {
  responses: Map<string, Promise<Response>>;
  chainReads: Map<string, Promise<unknown>>;
  /** Set once the first check has begun: answers started later would be stale for any other. */
  chainReadsClosed: boolean;
}
const holder = globalThis as unknown as { ordertraceEarlyRequests?: Registry };
const registry: Registry = (holder.ordertraceEarlyRequests ??= { responses: new Map(), chainReads: new Map(), chainReadsClosed: false });
const started = registry.responses;

function keyOf(request: PageRequest): string {
  return JSON.stringify([request.url, request.init.method ?? 'GET', request.init.headers ?? null]);
}

/** Starts `request` for the main script to take; returns its answer, whose body is the taker's (read a clone). */
export function startEarly(request: PageRequest): Promise<Response> {
  const key = keyOf(request);
  let response = started.get(key);
  if (response === undefined) {
    response = fetch(request.url, request.init);
    // Whoever takes it sees a failure; until then it is not an unhandled rejection.
    response.catch(() => undefined);
    started.set(key, response);
  }
  return response;
}

export function fetchRequest(request: PageRequest): Promise<Response> {
  const key = keyOf(request);
  const early = started.get(key);
  if (early === undefined) return fetch(request.url, request.init);
  started.delete(key);
  return early;
}

function chainReadKey(rpcUrl: string, call: JsonRpcCall): string {
  return JSON.stringify([rpcUrl, call.method, call.params]);
}

/**
 * Sends `calls` to the node at `rpcUrl` as JSON-RPC batches of at most `batchLimit`, for the main
 * script's first check to take: each call's answer object, or undefined when the node gave none.
 * Posted here rather than through JsonRpcChainReader, whose class would all be inlined into the
 * page's HTML; the answers are checked by the main script's reader when it takes them (`early`).
 */
export function startEarlyChainReads(rpcUrl: string, calls: JsonRpcCall[], batchLimit: number, timeoutMs: number): void {
  // The main script was quicker and has checked already: nothing to start.
  if (registry.chainReadsClosed) return;
  for (let i = 0; i < calls.length; i += batchLimit) {
    const batch = calls.slice(i, i + batchLimit);
    const answers = fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.map((c, id) => ({ jsonrpc: '2.0', id, method: c.method, params: c.params }))),
      signal: AbortSignal.timeout(timeoutMs),
    }).then((r) => r.json() as Promise<unknown>);
    batch.forEach((call, id) => {
      const answer = answers.then((all): unknown =>
        Array.isArray(all) ? (all as unknown[]).find((a) => (a as { id?: unknown } | null)?.id === id) : undefined,
      );
      answer.catch(() => undefined);
      registry.chainReads.set(chainReadKey(rpcUrl, call), answer);
    });
  }
}

/** The early answer to `call` on `rpcUrl`, once; undefined when none was started. */
export function takeEarlyChainRead(rpcUrl: string, call: JsonRpcCall): Promise<unknown> | undefined {
  const key = chainReadKey(rpcUrl, call);
  const answer = registry.chainReads.get(key);
  registry.chainReads.delete(key);
  return answer;
}

/**
 * Ends early reads when the first check has asked for what it reads: answers nobody took, or any
 * started later, are not kept for later checks, which must read the chain as it is then.
 */
export function dropEarlyChainReads(): void {
  registry.chainReadsClosed = true;
  registry.chainReads.clear();
}
