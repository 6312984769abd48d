import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './parse-app-config';

export const ADMIN_TOKEN_FILE = 'admin-token';
export const DATA_KEY_FILE = 'data-key';

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

export function readOrCreateDataKey(dataDir: string): { key: Buffer; file: string } {
  const file = path.join(dataDir, DATA_KEY_FILE);
  const hex = readOrCreateSecret(
    file,
    () => randomBytes(32).toString('hex'),
    (v) => /^[0-9a-f]{64}$/i.test(v),
  );
  return { key: Buffer.from(hex, 'hex'), file };
}
