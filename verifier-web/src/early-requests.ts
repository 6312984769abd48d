/**
 * The requests the page needs first (the order and the trust file), started by its small first
 * script (first-requests.ts) while the main script is still downloading and compiling. The main
 * script takes each started answer once, and makes a request itself when none was started for
 * exactly that request.
 */
export interface PageRequest {
  url: string;
  init: RequestInit;
}

const started = new Map<string, Promise<Response>>();

function keyOf(request: PageRequest): string {
  return JSON.stringify([request.url, request.init.method ?? 'GET', request.init.headers ?? null]);
}

export function startEarly(request: PageRequest): void {
  const key = keyOf(request);
  if (started.has(key)) return;
  const response = fetch(request.url, request.init);
  // Whoever takes it sees a failure; until then it is not an unhandled rejection.
  response.catch(() => undefined);
  started.set(key, response);
}

export function fetchRequest(request: PageRequest): Promise<Response> {
  const key = keyOf(request);
  const early = started.get(key);
  if (early === undefined) return fetch(request.url, request.init);
  started.delete(key);
  return early;
}
