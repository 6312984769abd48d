/** `ordertrace export`: downloads an order's proof bundle from the ordertrace API. */
import type { Bundle } from '../../proof/bundle';
import { MAX_BUNDLE_BYTES, oneLine, parseBundle } from '../bundle-input';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { writeOutputFile } from '../output-file';

export interface ExportOptions {
  orderId: string;
  /** Base URL of the API, e.g. http://127.0.0.1:3000. */
  api: string;
  key: string;
  disclose?: string[] | 'all';
  /** Without it the bundle goes to stdout. */
  output?: string;
  timeoutMs: number;
}

export interface ExportData {
  order: string;
  brand: string;
  events: number;
  anchored: number;
  pending: number;
  disclosed: string[];
  /** Absolute path written, or null when the bundle is part of this data (stdout). */
  output: string | null;
  bundle?: Bundle;
}

export function bundleUrl(api: string, orderId: string, disclose?: string[] | 'all'): string {
  const url = new URL(`v1/orders/${encodeURIComponent(orderId)}/bundle`, api.endsWith('/') ? api : `${api}/`);
  if (disclose) url.searchParams.set('disclose', disclose === 'all' ? 'all' : disclose.join(','));
  return url.toString();
}

export async function exportBundle(options: ExportOptions, ctx: CommandContext): Promise<ExportData> {
  const url = bundleUrl(options.api, options.orderId, options.disclose);
  ctx.progress.note(`fetching the bundle of ${options.orderId} from ${options.api}`);
  const body = await fetchCapped(url, options.key, options.timeoutMs, options.orderId);
  const bundle = parseBundle(body, "the API's answer");
  if (bundle.order !== options.orderId) {
    throw new CliError('API_REJECTED', `the API answered with the bundle of ${bundle.order}, not ${options.orderId}`);
  }
  const anchored = bundle.events.filter((e) => e.anchor !== null).length;
  const disclosed = [...new Set(bundle.events.flatMap((e) => Object.keys(e.disclosed ?? {})))].sort();
  const summary = { order: bundle.order, brand: bundle.brand, events: bundle.events.length, anchored, pending: bundle.events.length - anchored, disclosed };
  if (!options.output) return { ...summary, output: null, bundle };
  const output = await writeOutputFile(ctx.cwd, options.output, `${JSON.stringify(bundle, null, 2)}\n`);
  return { ...summary, output };
}

async function fetchCapped(url: string, key: string, timeoutMs: number, orderId: string): Promise<Uint8Array> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, signal: controller.signal });
    } catch (err) {
      const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describeFetchError(err);
      throw new CliError('API_UNREACHABLE', `cannot reach the ordertrace API at ${new URL(url).origin}: ${reason}`, { cause: err });
    }
    const body = await readCapped(response, url);
    if (response.ok) return body;
    const detail = problemDetail(body);
    const status = `HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 401 || response.status === 403) throw new CliError('API_REJECTED', `the API refused the key (${status})`);
    if (response.status === 404) throw new CliError('API_REJECTED', `order ${orderId} not found for this key's brand (${status})`);
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

export function exportOutcome(): Outcome {
  return 'done';
}
