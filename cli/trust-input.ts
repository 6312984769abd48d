/**
 * Reading the trust file (`--trust`): a local path, or the https:// address where a brand publishes
 * it. Anything wrong with it is a usage error (exit 2) naming the file: an unreadable pin must never
 * fall back to trusting the bundle.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ProofError } from '../proof/errors';
import { parseTrustFile, type TrustAnchors } from '../proof/trust';
import { oneLine } from './bundle-input';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';

/** A trust file lists a few addresses; anything near this size is not one. */
const MAX_TRUST_BYTES = 256 * 1024;

export interface LoadedTrust {
  trust: TrustAnchors;
  /** "trust file <path or URL>", shown with every result pinned by it. */
  source: string;
}

export async function loadTrust(location: string, ctx: Pick<CommandContext, 'cwd'>, timeoutMs: number): Promise<LoadedTrust> {
  const text = /^https?:\/\//i.test(location) ? await download(location, timeoutMs) : await readLocal(resolve(ctx.cwd, location), location);
  try {
    return { trust: parseTrustFile(text), source: `trust file ${location}` };
  } catch (err) {
    if (err instanceof ProofError) {
      const problems = err.problems ?? [err.message];
      throw new CliError('INPUT', `${location} is not an ordertrace-trust/1 file: ${oneLine(problems.slice(0, 3).join('; '))}`);
    }
    throw err;
  }
}

async function readLocal(path: string, label: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError('INPUT', `cannot read the trust file ${label}: not a file`);
    if (info.size > MAX_TRUST_BYTES) throw new CliError('INPUT', `the trust file ${label} is larger than ${MAX_TRUST_BYTES} bytes`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : oneLine(String((err as Error)?.message));
    throw new CliError('INPUT', `cannot read the trust file ${label}: ${why}`, { cause: err });
  }
}

async function download(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new CliError('API_UNREACHABLE', `cannot fetch the trust file ${url}: ${oneLine(String((err as Error)?.message ?? err))}`, {
      cause: err,
    });
  }
  if (!response.ok) throw new CliError('INPUT', `cannot fetch the trust file ${url}: HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_TRUST_BYTES) throw new CliError('INPUT', `the trust file ${url} is larger than ${MAX_TRUST_BYTES} bytes`);
  return text;
}
