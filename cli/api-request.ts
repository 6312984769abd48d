/** HTTP calls from the CLI to the ordertrace API (export, qr). */
import { MAX_BUNDLE_BYTES, oneLine } from './bundle-input';
import { CliError } from './cli-error';

export interface ApiRequest {
  /** The API key; absent for the public endpoints. */
  key?: string;
  timeoutMs: number;
  method?: 'GET' | 'POST';
  accept?: string;
  /** What a 404 means for this request, e.g. "order ord_… not found for this key's brand". */
  notFound: string;
}

/**
 * One authenticated call to the ordertrace API: the answer's body (capped in size) on 2xx, a
 * CliError that maps to the right exit code otherwise (3 unreachable or failing, 2 refused).
 */
export async function requestApi(url: string, request: ApiRequest): Promise<Uint8Array> {
  const { key, timeoutMs } = request;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method ?? 'GET',
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), accept: request.accept ?? 'application/json' },
        signal: controller.signal,
      });
    } catch (err) {
      const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describeFetchError(err);
      throw new CliError('API_UNREACHABLE', `cannot reach the ordertrace API at ${new URL(url).origin}: ${reason}`, { cause: err });
    }
    const body = await readCapped(response, url);
    if (response.ok) return body;
    const detail = problemDetail(body);
    const status = `HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 401 || response.status === 403) throw new CliError('API_REJECTED', `the API refused the key (${status})`);
    if (response.status === 404) throw new CliError('API_REJECTED', `${request.notFound} (${status})`);
    if (response.status >= 500) throw new CliError('API_UNREACHABLE', `the ordertrace API failed (${status})`);
    throw new CliError('API_REJECTED', `the API rejected the request (${status})`);
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof CliError)) {
      throw new CliError('API_UNREACHABLE', `the ordertrace API sent no complete answer within ${timeoutMs} ms`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BUNDLE_BYTES) throw new CliError('API_REJECTED', `the answer from ${url} is larger than the bundle size limit`);
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_BUNDLE_BYTES) throw new CliError('API_REJECTED', `the answer from ${url} is larger than the bundle size limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** The RFC 9457 problem body's detail (or title), if the API sent one. */
function problemDetail(body: Uint8Array): string {
  try {
    const problem = JSON.parse(Buffer.from(body).toString('utf8')) as { detail?: unknown; title?: unknown };
    const text = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
    return oneLine(text, 300);
  } catch {
    return '';
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  return oneLine(String((err as Error)?.message ?? err), 200);
}

/** A JSON answer of the API (parsed, not validated: callers check what they use). */
export async function getApiJson<T>(url: string, request: ApiRequest): Promise<T> {
  const body = await requestApi(url, request);
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as T;
  } catch {
    throw new CliError('API_REJECTED', `${url} answered something other than JSON`);
  }
}
