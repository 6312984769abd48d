/**
 * `ordertrace qr`: writes the QR code (PNG or SVG) of an order's public verifier link, for printing
 * on the parcel. With --new the API first issues a fresh link, revoking the earlier ones.
 */
import { extname } from 'node:path';
import { requestApi } from '../api-request';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { writeOutputFile } from '../output-file';

export interface QrOptions {
  orderId: string;
  api: string;
  key: string;
  /** Default: from the output file's extension, else png. */
  format?: 'png' | 'svg';
  size?: number;
  output?: string;
  /** Issue a new link first (earlier QR codes stop working). */
  renew: boolean;
  timeoutMs: number;
}

export interface QrData {
  order: string;
  format: 'png' | 'svg';
  output: string;
  bytes: number;
  /** The new public link, when --new issued one (the current link is not readable otherwise). */
  url: string | null;
}

function orderUrl(api: string, orderId: string, path: string): URL {
  return new URL(`v1/orders/${encodeURIComponent(orderId)}/${path}`, api.endsWith('/') ? api : `${api}/`);
}

function chooseFormat(options: QrOptions): 'png' | 'svg' {
  const fromExtension = options.output ? extname(options.output).toLowerCase() : '';
  if (options.format) {
    if (fromExtension && fromExtension !== `.${options.format}`) {
      throw new CliError('USAGE', `--format ${options.format} does not match the output file ${options.output}`);
    }
    return options.format;
  }
  return fromExtension === '.svg' ? 'svg' : 'png';
}

export async function qr(options: QrOptions, ctx: CommandContext): Promise<QrData> {
  const format = chooseFormat(options);
  if (format === 'svg' && options.size !== undefined) throw new CliError('USAGE', '--size applies to PNG only (SVG scales)');
  const request = { key: options.key, timeoutMs: options.timeoutMs, notFound: `order ${options.orderId} not found for this key's brand` };
  let url: string | null = null;
  if (options.renew) {
    ctx.progress.note(`issuing a new public link for ${options.orderId}`);
    const answer = await requestApi(orderUrl(options.api, options.orderId, 'qr').toString(), { ...request, method: 'POST' });
    try {
      url = String((JSON.parse(Buffer.from(answer).toString('utf8')) as { url: unknown }).url);
    } catch {
      throw new CliError('API_REJECTED', 'the API answered the new link with something that is not JSON');
    }
  }
  const image = orderUrl(options.api, options.orderId, `qr.${format}`);
  if (options.size !== undefined) image.searchParams.set('size', String(options.size));
  ctx.progress.note(`fetching the ${format.toUpperCase()} QR code of ${options.orderId}`);
  const body = await requestApi(image.toString(), { ...request, accept: format === 'png' ? 'image/png' : 'image/svg+xml' });
  const output = await writeOutputFile(ctx.cwd, options.output ?? `${options.orderId}.${format}`, body);
  return { order: options.orderId, format, output, bytes: body.length, url };
}

export function qrOutcome(): Outcome {
  return 'done';
}
