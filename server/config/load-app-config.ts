import type { AppConfig } from './app-config';
import { readOrCreateAdminToken, readOrCreateDataKey } from './data-dir-secrets';
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
  if (parsed.dataKey !== null) dataKey = { key: parsed.dataKey, keyFile: null };
  else {
    // parseEnvironment already refused a missing key with DATABASE_URL set.
    const { key, file } = readOrCreateDataKey(parsed.dataDir);
    dataKey = { key, keyFile: file };
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
    logLevel: parsed.logLevel,
    logFormat: parsed.logFormat === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : parsed.logFormat,
  };
}
