import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './parse-app-config';

export const ADMIN_TOKEN_FILE = 'admin-token';
/** Where earlier versions kept the embedded default's data key: inside the data folder. */
export const LEGACY_DATA_KEY_FILE = 'data-key';

const HEX_KEY_LINE = /^[0-9a-f]{64}$/i;

/**
 * Reads a secret the embedded default keeps in its data folder, creating it (mode 0600) on
 * first start. `wx` makes two processes starting at once agree on one value.
 */
function readOrCreateSecret(file: string, generate: () => string, isValid: (value: string) => boolean): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const value = fs.readFileSync(file, 'utf8').trim();
  if (!isValid(value)) throw new ConfigError([`${file} is not a valid secret; fix or delete it`]);
  return value;
}

export function readOrCreateAdminToken(dataDir: string): { token: string; file: string } {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  const token = readOrCreateSecret(
    file,
    () => `otadm_${randomBytes(32).toString('base64url')}`,
    (v) => v.length >= 16 && !/\s/.test(v),
  );
  return { token, file };
}

/**
 * The embedded default's data key file when ORDERTRACE_DATA_KEY_FILE is not set: in the user's
 * configuration folder, never in the data folder, so that a copy of the data folder alone opens
 * nothing. One file per data folder, named after its absolute path.
 */
export function defaultDataKeyFile(env: Readonly<Record<string, string | undefined>>, dataDir: string): string {
  const base =
    process.platform === 'win32' && env.APPDATA
      ? env.APPDATA
      : env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
        ? env.XDG_CONFIG_HOME
        : path.join(env.HOME ?? os.homedir(), '.config');
  const id = createHash('sha256').update(path.resolve(dataDir), 'utf8').digest('hex').slice(0, 16);
  return path.join(base, 'ordertrace', 'data-keys', `${id}.key`);
}

/** The keys of a data key file: one per line as 64 hex digits, the current first, earlier ones after it; `#` starts a comment. */
export function parseDataKeyFile(file: string, text: string): Buffer[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
  if (lines.length === 0 || !lines.every((l) => HEX_KEY_LINE.test(l))) {
    throw new ConfigError([`${file} must hold data keys of 32 bytes as 64 hex digits, one per line, the current one first`]);
  }
  return lines.map((l) => Buffer.from(l, 'hex'));
}

export interface DataKeyFileResult {
  keys: Buffer[];
  file: string;
  /** What start-up did that the operator must hear about (a key moved out of the data folder). */
  notices: string[];
}

/**
 * Reads the data key file, creating it (mode 0600, folder 0700) with a fresh key on first start.
 * A key an earlier version left in the data folder is moved to `file` (or, when `file` already
 * holds the same key, deleted), so that the data folder stops holding its own key; two different
 * keys refuse to start rather than guess.
 */
export function readOrCreateDataKeyFile(file: string, dataDir: string): DataKeyFileResult {
  const notices: string[] = [];
  const legacy = path.join(dataDir, LEGACY_DATA_KEY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (fs.existsSync(legacy)) {
    const legacyKeys = parseDataKeyFile(legacy, fs.readFileSync(legacy, 'utf8'));
    if (!fs.existsSync(file)) {
      // Written in full and synced before the old copy goes: a crash in between leaves two equal copies.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${legacyKeys.map((k) => k.toString('hex')).join('\n')}\n`, { mode: 0o600 });
      const fd = fs.openSync(tmp, 'r');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, file);
      notices.push(`moved the data key out of the data folder, from ${legacy} to ${file}; back it up apart from the data folder`);
    } else {
      const keys = parseDataKeyFile(file, fs.readFileSync(file, 'utf8'));
      if (!keys[0].equals(legacyKeys[0])) {
        throw new ConfigError([
          `${legacy} and ${file} hold different data keys; keep the one this data folder was encrypted with in ${file} and delete ${legacy}`,
        ]);
      }
      notices.push(`deleted ${legacy}: the same data key is kept in ${file}`);
    }
    fs.rmSync(legacy);
  }
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    notices.push(`created the data key ${file}; back it up apart from the data folder: without it private fields cannot be read`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return { keys: parseDataKeyFile(file, fs.readFileSync(file, 'utf8')), file, notices };
}

/** Reads a data key file that must exist (ORDERTRACE_DATA_KEY_FILE with DATABASE_URL). */
export function readDataKeyFile(file: string): Buffer[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([`ORDERTRACE_DATA_KEY_FILE ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseDataKeyFile(file, text);
}
