import type { AppConfig } from './app-config';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  defaultDataKeyFile,
  LEGACY_DATA_KEY_FILE,
  readDataKeyFile,
  readOrCreateAdminToken,
  readOrCreateDataKeyFile,
} from './data-dir-secrets';
import { type Environment, parseEnvironment } from './parse-app-config';

/**
 * The boot-time configuration: the environment, plus on the embedded default (no DATABASE_URL)
 * the admin token and data key the data folder holds or gets on first start. With DATABASE_URL
 * and no ORDERTRACE_ADMIN_TOKEN the admin API stays disabled rather than inventing a token
 * nobody would find on a fleet of servers.
 */
export function loadAppConfig(
  env: Environment = process.env,
  cwd: string = process.cwd(),
  stdoutIsTerminal = process.stdout.isTTY === true,
): AppConfig {
  const parsed = parseEnvironment(env, cwd);
  const embedded = parsed.database.driver === 'pglite';

  let admin: AppConfig['admin'] = { adminToken: parsed.adminToken, adminTokenFile: null, metricsToken: parsed.metricsToken };
  if (parsed.adminToken === null && embedded) {
    const { token, file } = readOrCreateAdminToken(parsed.dataDir);
    admin = { ...admin, adminToken: token, adminTokenFile: file };
  }

  let dataKey: AppConfig['dataKey'];
  if (parsed.dataKeys !== null) {
    const notices: string[] = [];
    const legacy = path.join(parsed.dataDir, LEGACY_DATA_KEY_FILE);
    if (embedded && fs.existsSync(legacy)) {
      notices.push(`${legacy} is no longer read (ORDERTRACE_DATA_KEY is set); delete it, the data folder must not hold its key`);
    }
    dataKey = { key: parsed.dataKeys[0], previousKeys: parsed.dataKeys.slice(1), keyFile: null, notices };
  } else if (parsed.dataKeyFile !== null && !embedded) {
    const keys = readDataKeyFile(parsed.dataKeyFile);
    dataKey = { key: keys[0], previousKeys: keys.slice(1), keyFile: parsed.dataKeyFile, notices: [] };
  } else {
    // parseEnvironment already refused DATABASE_URL without a key; the embedded default makes its own.
    const file = parsed.dataKeyFile ?? defaultDataKeyFile(env, parsed.dataDir);
    const { keys, notices } = readOrCreateDataKeyFile(file, parsed.dataDir);
    dataKey = { key: keys[0], previousKeys: keys.slice(1), keyFile: file, notices };
  }

  return {
    http: parsed.http,
    dataDir: parsed.dataDir,
    database: parsed.database,
    admin,
    dataKey,
    chain: parsed.chain,
    anchoring: parsed.anchoring,
    verifier: parsed.verifier,
    ingest: parsed.ingest,
    webhooks: parsed.webhooks,
    flags: parsed.flags,
    logLevel: parsed.logLevel,
    logFormat: parsed.logFormat === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : parsed.logFormat,
  };
}
