/** `ordertrace export`: downloads an order's proof bundle from the ordertrace API. */
import type { Bundle } from '../../proof/bundle';
import { requestApi } from '../api-request';
import { parseBundle } from '../bundle-input';
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
  /** Private fields the issuer erased (not disclosable any more; their commitments stay). */
  erased: string[];
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
  const body = await requestApi(url, {
    key: options.key,
    timeoutMs: options.timeoutMs,
    notFound: `order ${options.orderId} not found for this key's brand`,
  });
  const bundle = parseBundle(body, "the API's answer");
  if (bundle.order !== options.orderId) {
    throw new CliError('API_REJECTED', `the API answered with the bundle of ${bundle.order}, not ${options.orderId}`);
  }
  const anchored = bundle.events.filter((e) => e.anchor !== null).length;
  const disclosed = [...new Set(bundle.events.flatMap((e) => Object.keys(e.disclosed ?? {})))].sort();
  const erased = [...new Set(bundle.events.flatMap((e) => e.erased ?? []))].sort();
  const summary = {
    order: bundle.order,
    brand: bundle.brand,
    events: bundle.events.length,
    anchored,
    pending: bundle.events.length - anchored,
    disclosed,
    erased,
  };
  if (!options.output) return { ...summary, output: null, bundle };
  const output = await writeOutputFile(ctx.cwd, options.output, `${JSON.stringify(bundle, null, 2)}\n`);
  return { ...summary, output };
}

export function exportOutcome(): Outcome {
  return 'done';
}
