/**
 * Reading a bundle file (or stdin) for the CLI. The file is attacker-controlled: it may be huge,
 * truncated, binary, nested a million levels deep or of the wrong shape. Every such case ends in
 * one CliError('INPUT') with a one-line message, before any verification work starts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { assertBundle, type Bundle } from '../proof/bundle';
import { MAX_JSON_DEPTH } from '../proof/canonical';
import { ProofError } from '../proof/errors';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';

/** A 100-event order with disclosures is ~150 KB; 32 MiB leaves room for very long histories. */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
/** The bundle wraps each record in 4 levels (bundle, events, event, record); records may nest to MAX_JSON_DEPTH. */
export const MAX_BUNDLE_DEPTH = MAX_JSON_DEPTH + 8;
/** How many of the bundle's shape problems a message lists before "and N more". */
const PROBLEMS_SHOWN = 3;

export interface LoadedBundle {
  bundle: Bundle;
  /** A label for messages: the path as given, or "stdin". */
  source: string;
  bytes: number;
}

export async function loadBundle(
  source: string,
  ctx: Pick<CommandContext, 'cwd' | 'stdin'>,
  maxBytes = MAX_BUNDLE_BYTES,
): Promise<LoadedBundle> {
  const label = source === '-' ? 'stdin' : source;
  const raw = source === '-' ? await readStdin(ctx.stdin, maxBytes) : await readFile(resolve(ctx.cwd, source), label, maxBytes);
  const bundle = parseBundle(raw, label);
  return { bundle, source: label, bytes: raw.length };
}

async function readFile(path: string, label: string, maxBytes: number): Promise<Buffer> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new CliError('INPUT', `cannot read ${label}: ${describeFsError(err)}`, { cause: err });
  }
  if (info.isDirectory()) throw new CliError('INPUT', `cannot read ${label}: it is a directory`);
  if (info.isFile() && info.size > maxBytes) throw tooLarge(label, maxBytes);
  // Not only regular files: a FIFO or /dev/stdin is fine, hence the capped stream read below.
  return readCapped(createReadStream(path), label, maxBytes);
}

async function readStdin(stdin: Readable & { isTTY?: boolean }, maxBytes: number): Promise<Buffer> {
  if (stdin.isTTY) throw new CliError('USAGE', 'bundle "-" means stdin, but stdin is a terminal: pipe a bundle in or give a file');
  return readCapped(stdin, 'stdin', maxBytes);
}

function readCapped(stream: Readable, label: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buf.length;
      if (total > maxBytes) {
        stream.destroy();
        reject(tooLarge(label, maxBytes));
        return;
      }
      chunks.push(buf);
    });
    stream.on('error', (err) => reject(new CliError('INPUT', `cannot read ${label}: ${describeFsError(err)}`, { cause: err })));
    stream.on('end', () => resolvePromise(Buffer.concat(chunks, total)));
  });
}

function tooLarge(label: string, maxBytes: number): CliError {
  return new CliError('INPUT', `${label} is larger than ${formatBytes(maxBytes)}; not a plausible bundle`);
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return oneLine(String((err as Error)?.message ?? err));
  }
}

/** Bytes → Bundle, or CliError('INPUT') saying what is wrong. Exported for the tests. */
export function parseBundle(raw: Uint8Array, label: string): Bundle {
  if (raw.length === 0) throw new CliError('INPUT', `${label} is empty`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new CliError('INPUT', `${label} is not UTF-8 text (a binary file?)`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new CliError('INPUT', `${label} is empty`);

  // JSON.parse copes with deep nesting, but everything after it recurses: refuse early.
  const depth = nestingDepthExceeds(text, MAX_BUNDLE_DEPTH);
  if (depth !== -1) {
    throw new CliError('INPUT', `${label} nests JSON deeper than ${MAX_BUNDLE_DEPTH} levels (at byte ${depth}); not a bundle`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = String((err as Error).message);
    // V8 words it differently depending on where the text stops; an error at the very end means truncation.
    const position = /at position (\d+)/.exec(message);
    const atEnd = position !== null && Number(position[1]) >= text.trimEnd().length;
    const detail = atEnd || /end of JSON input|Unterminated string/i.test(message) ? 'truncated or incomplete JSON' : oneLine(message);
    throw new CliError('INPUT', `${label} is not valid JSON: ${detail}`);
  }

  try {
    assertBundle(value);
  } catch (err) {
    if (err instanceof ProofError) {
      const problems = err.problems ?? [err.message];
      const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
      const more = problems.length > PROBLEMS_SHOWN ? ` (and ${problems.length - PROBLEMS_SHOWN} more)` : '';
      throw new CliError('INPUT', `${label} is not an ordertrace-bundle/1: ${oneLine(shown)}${more}`);
    }
    throw err;
  }
  return value;
}

/**
 * Position of the first bracket nested deeper than `limit`, or -1. A linear scan that skips string
 * contents, so a hostile `[[[[…` is refused in milliseconds without building anything.
 */
export function nestingDepthExceeds(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return -1;
}

/** Keeps an error message on one short line: no control characters, no megabyte-long echoes of input. */
export function oneLine(message: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : `${n} bytes`;
}
