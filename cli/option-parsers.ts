/**
 * Parsers for option values, run by commander while it reads the command line: a bad value is a
 * usage error (exit 2) naming the option, before any command starts.
 */
import { InvalidArgumentError } from 'commander';

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('not a URL (expected http://… or https://…)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value;
}

/** A repeatable URL option: each occurrence adds one. */
export function httpUrlList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), httpUrl(value)];
}

export function postgresUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('not a URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InvalidArgumentError('must be a postgres:// or postgresql:// URL');
  }
  return value;
}

function integer(value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  return n;
}

export function confirmations(value: string): number {
  return integer(value, 0, 1_000_000);
}

export function chainId(value: string): number {
  return integer(value, 1, Number.MAX_SAFE_INTEGER);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as `90m`, `24h` or `2d` (a bare number is seconds), in seconds. */
export function durationSeconds(value: string): number {
  const m = /^(\d{1,9})([smhd]?)$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * DURATION_UNITS[m[2] || 's'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new InvalidArgumentError('must be a duration such as 3600s, 90m, 24h or 2d');
  }
  return seconds;
}

export function timeoutSeconds(value: string): number {
  return integer(value, 1, 3600);
}

export function address(value: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new InvalidArgumentError('must be a 20-byte 0x-prefixed hex address');
  return value.toLowerCase();
}

export function brandSlug(value: string): string {
  if (!/^[\x21-\x7e]{1,100}$/.test(value)) throw new InvalidArgumentError('must be a brand slug such as "acme"');
  return value;
}

export function orderId(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) throw new InvalidArgumentError('must be an order id such as ord_01JD…');
  return value;
}

/** `--disclose a,b` or `--disclose all`. */
export function disclosure(value: string): string[] | 'all' {
  if (value === 'all') return 'all';
  const names = value.split(',').map((s) => s.trim());
  if (names.length === 0 || names.some((n) => !/^[A-Za-z0-9_.-]{1,100}$/.test(n))) {
    throw new InvalidArgumentError('must be "all" or a comma-separated list of field names');
  }
  return names;
}

/** QR image side in pixels, within what the API renders. */
export function qrSize(value: string): number {
  return integer(value, 128, 2048);
}

export function qrFormat(value: string): 'png' | 'svg' {
  if (value !== 'png' && value !== 'svg') throw new InvalidArgumentError('must be png or svg');
  return value;
}
