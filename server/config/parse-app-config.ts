import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { parseEther } from 'ethers';
import type {
  AnchoringConfig,
  ChainConfig,
  DatabaseConfig,
  HttpConfig,
  IngestConfig,
  LogFormat,
  LogLevel,
  VerifierConfig,
  WebhooksConfig,
  FlagsConfig,
} from './app-config';

/** A configuration the service cannot start with; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Everything read from the environment; secrets the data folder may still provide are left open. */
export interface ParsedEnvironment {
  readonly http: HttpConfig;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly chain: ChainConfig;
  readonly anchoring: AnchoringConfig;
  readonly verifier: VerifierConfig;
  readonly ingest: IngestConfig;
  readonly webhooks: WebhooksConfig;
  readonly flags: FlagsConfig;
  readonly logLevel: LogLevel;
  /** `auto` becomes pretty on a terminal, JSON otherwise (loadAppConfig decides). */
  readonly logFormat: LogFormat | 'auto';
  readonly adminToken: string | null;
  readonly metricsToken: string | null;
  /** ORDERTRACE_DATA_KEY, then ORDERTRACE_DATA_KEY_PREVIOUS: the current key first. */
  readonly dataKeys: Buffer[] | null;
  /** ORDERTRACE_DATA_KEY_FILE, absolute. */
  readonly dataKeyFile: string | null;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const LOG_FORMATS: readonly (LogFormat | 'auto')[] = ['auto', 'json', 'pretty'];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const HEX32_KEY = /^(?:0x)?[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BODY_LIMIT = /^(\d+)\s*(b|kb|mb)?$/i;
const BODY_LIMIT_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/**
 * Reads and validates the environment without side effects. Never echoes secret values in
 * its messages. All defaults live here.
 */
export function parseEnvironment(env: Environment, cwd: string = process.cwd()): ParsedEnvironment {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const url = (name: string, protocols: readonly string[]): string | null => {
    const raw = read(name);
    if (raw === undefined) return null;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '')).join('/')} URL`);
      return null;
    }
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';

  const size = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const m = BODY_LIMIT.exec(raw);
    if (!m || Number(m[1]) < 1) {
      problems.push(`${name} must be a size such as 1048576, 512kb or 1mb (got "${raw}")`);
      return fallback;
    }
    return Number(m[1]) * BODY_LIMIT_UNITS[(m[2] ?? 'b').toLowerCase()];
  };
  const bodyLimitBytes = size('BODY_LIMIT', 1024 * 1024);
  const trustProxy = parseTrustProxy(read('TRUST_PROXY'), problems);

  const publicBaseUrl = url('PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const dataDir = path.resolve(cwd, read('ORDERTRACE_DATA_DIR') ?? '.ordertrace');

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const poolSize = int('DATABASE_POOL_SIZE', 10, 1, 1000);
  const applicationName = read('DATABASE_APPLICATION_NAME') ?? 'ordertrace';
  if (!/^[\x20-\x7e]{1,63}$/.test(applicationName)) problems.push('DATABASE_APPLICATION_NAME must be 1 to 63 printable ASCII characters');
  const database: DatabaseConfig =
    databaseUrl !== null
      ? { driver: 'postgres', url: databaseUrl, poolSize, applicationName }
      : { driver: 'pglite', dataDir: path.join(dataDir, 'pglite') };

  const adminToken = read('ORDERTRACE_ADMIN_TOKEN') ?? null;
  if (adminToken !== null && adminToken.length < 16) problems.push('ORDERTRACE_ADMIN_TOKEN must be at least 16 characters');
  const metricsToken = read('METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');

  let dataKeys: Buffer[] | null = null;
  const dataKeyHex = read('ORDERTRACE_DATA_KEY');
  const dataKeyFileRaw = read('ORDERTRACE_DATA_KEY_FILE');
  const previousHex = read('ORDERTRACE_DATA_KEY_PREVIOUS');
  if (dataKeyHex !== undefined && dataKeyFileRaw !== undefined) {
    problems.push('set one of ORDERTRACE_DATA_KEY and ORDERTRACE_DATA_KEY_FILE, not both');
  }
  if (dataKeyHex !== undefined) {
    const previous = previousHex === undefined ? [] : previousHex.split(',').map((k) => k.trim());
    if (!HEX32_KEY.test(dataKeyHex)) problems.push('ORDERTRACE_DATA_KEY must be 32 bytes as 64 hex digits (e.g. `openssl rand -hex 32`)');
    else if (!previous.every((k) => HEX32_KEY.test(k))) {
      problems.push('ORDERTRACE_DATA_KEY_PREVIOUS must be data keys of 32 bytes as 64 hex digits, separated by commas');
    } else dataKeys = [dataKeyHex, ...previous].map((k) => Buffer.from(k.replace(/^0x/, ''), 'hex'));
  } else if (previousHex !== undefined) {
    problems.push('ORDERTRACE_DATA_KEY_PREVIOUS goes with ORDERTRACE_DATA_KEY (a key file lists earlier keys on its own lines)');
  } else if (dataKeyFileRaw === undefined && database.driver === 'postgres') {
    problems.push(
      'ORDERTRACE_DATA_KEY (or ORDERTRACE_DATA_KEY_FILE) is required when DATABASE_URL is set: private fields are encrypted with it ' +
        '(32 bytes as 64 hex digits, e.g. `openssl rand -hex 32`); keep it safe, it cannot be recovered',
    );
  }
  const dataKeyFile = dataKeyFileRaw === undefined ? null : path.resolve(cwd, dataKeyFileRaw);
  if (dataKeyFile !== null && (dataKeyFile === dataDir || dataKeyFile.startsWith(`${dataDir}${path.sep}`))) {
    problems.push(
      'ORDERTRACE_DATA_KEY_FILE must lie outside the data folder (ORDERTRACE_DATA_DIR): a copy of that folder must not carry its key',
    );
  }

  const contractAddress = read('CONTRACT_ADDRESS') ?? null;
  if (contractAddress !== null && !ADDRESS.test(contractAddress)) problems.push('CONTRACT_ADDRESS must be a 0x-prefixed 20-byte address');
  const anchorPrivateKey = read('ANCHOR_PRIVATE_KEY') ?? null;
  if (anchorPrivateKey !== null && !HEX32_KEY.test(anchorPrivateKey)) {
    problems.push('ANCHOR_PRIVATE_KEY must be a 32-byte private key as 64 hex digits');
  }
  const anchorKeyFile = read('ANCHOR_KEY_FILE');
  const rpcUrl = url('CHAIN_RPC_URL', ['http:', 'https:', 'ws:', 'wss:']);
  const chain: ChainConfig = {
    rpcUrl,
    port: int('CHAIN_PORT', 8545, 1, 65535),
    confirmations: int('CHAIN_CONFIRMATIONS', 1, 0, 1000),
    contractAddress,
    anchorPrivateKey: anchorPrivateKey === null ? null : `0x${anchorPrivateKey.replace(/^0x/, '').toLowerCase()}`,
    anchorKeyFile: anchorKeyFile === undefined ? null : path.resolve(cwd, anchorKeyFile),
    // Not CHAIN_RPC_URL by default: the service's node may hold unlocked accounts or a provider key.
    publicRpcUrl: url('PUBLIC_RPC_URL', ['http:', 'https:']),
  };
  const trustFile = read('ORDERTRACE_TRUST_FILE');
  // Kept exactly as given (url() drops trailing slashes): the page resolves trust.json against it.
  const verifierUrl = url('VERIFIER_URL', ['http:', 'https:']) === null ? null : read('VERIFIER_URL')!;
  const verifier: VerifierConfig = {
    url: verifierUrl ?? `${publicBaseUrl}/v/`,
    trustFile: trustFile === undefined ? null : path.resolve(cwd, trustFile),
  };

  let anchoringEnabled = true;
  const anchoring = read('ORDERTRACE_ANCHORING');
  if (anchoring !== undefined) {
    if (/^(on|true|1|yes)$/i.test(anchoring)) anchoringEnabled = true;
    else if (/^(off|false|0|no)$/i.test(anchoring)) anchoringEnabled = false;
    else problems.push(`ORDERTRACE_ANCHORING must be on or off (got "${anchoring}")`);
  }

  const logLevelRaw = (read('LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (logLevel === undefined) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  const logFormatRaw = (read('LOG_FORMAT') ?? 'auto').toLowerCase();
  const logFormat = LOG_FORMATS.find((f) => f === logFormatRaw);
  if (logFormat === undefined) problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')} (got "${logFormatRaw}")`);

  const batchMaxEvents = int('BATCH_MAX_EVENTS', 10000, 1, 1_000_000);
  const batchMaxWaitMs = int('BATCH_MAX_WAIT_MS', 5000, 1, 86_400_000);
  const stalledAfterMs = int('ANCHORING_STALLED_AFTER_MS', 15 * 60_000, 1, 7 * 86_400_000);
  let lowBalanceWei = parseEther('0.05');
  const lowBalance = read('ANCHOR_LOW_BALANCE');
  if (lowBalance !== undefined) {
    if (!/^\d+(\.\d{1,18})?$/.test(lowBalance))
      problems.push(`ANCHOR_LOW_BALANCE must be an amount of the chain's coin such as 0.05 (got "${lowBalance}")`);
    else lowBalanceWei = parseEther(lowBalance);
  }

  const queueMax = int('INGEST_QUEUE_MAX', 20_000, 1, 10_000_000);
  const brandRatePerSecond = int('BRAND_RATE_LIMIT', 0, 0, 10_000_000);
  const ingest: IngestConfig = {
    queueMax,
    brandQueueMax: int('INGEST_BRAND_QUEUE_MAX', Math.max(1, Math.floor(queueMax / 2)), 1, 10_000_000),
    brandRatePerSecond,
    // A bucket holds a second's worth by default, and at least one full bulk request.
    brandRateBurst: int('BRAND_RATE_BURST', Math.max(brandRatePerSecond, 1_000), 1, 10_000_000),
    maxGroupCommands: int('INGEST_GROUP_MAX', 2_000, 1, 100_000),
    concurrency: int('INGEST_CONCURRENCY', 2, 1, 64),
    bulkBodyLimitBytes: size('BULK_BODY_LIMIT', 8 * 1024 * 1024),
  };

  const flag = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (/^(on|true|1|yes)$/i.test(raw)) return true;
    if (/^(off|false|0|no)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const webhooks: WebhooksConfig = {
    allowPrivate: flag('WEBHOOK_ALLOW_PRIVATE', false),
    // The embedded default is a development set-up; a service on PostgreSQL delivers over https only unless told otherwise.
    allowHttp: flag('WEBHOOK_ALLOW_HTTP', database.driver === 'pglite'),
    retryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 5_000, 1, 3_600_000),
    retryWindowMs: int('WEBHOOK_RETRY_WINDOW_MS', 26 * 3_600_000, 1_000, 30 * 86_400_000),
    disableAfterMs: int('WEBHOOK_DISABLE_AFTER_MS', 5 * 86_400_000, 1_000, 365 * 86_400_000),
    timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    concurrency: int('WEBHOOK_CONCURRENCY', 8, 1, 256),
    pollMs: int('WEBHOOK_POLL_MS', 1_000, 10, 60_000),
  };
  const flags: FlagsConfig = { evaluatorPollMs: int('FLAG_EVALUATOR_POLL_MS', 2_000, 0, 600_000) };

  // Several HTTP processes can share the one port (`auto`: one per core) on PostgreSQL with an
  // external chain (or none); the embedded database and dev chain live inside one process. One is the
  // default: on a machine whose cores also run PostgreSQL, a second process competes with the
  // database for the same cores.
  const clusterable = database.driver === 'postgres' && (rpcUrl !== null || !anchoringEnabled);
  const workersRaw = read('HTTP_WORKERS') ?? '1';
  let workers: number;
  if (workersRaw.toLowerCase() === 'auto') workers = clusterable ? Math.max(1, Math.min(availableParallelism(), 16)) : 1;
  else {
    workers = int('HTTP_WORKERS', 1, 1, 64);
    if (workers > 1 && !clusterable) {
      problems.push('HTTP_WORKERS above 1 needs DATABASE_URL and CHAIN_RPC_URL: the embedded database and dev chain run in one process');
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    http: { host, port, publicBaseUrl, bodyLimitBytes, workers, trustProxy },
    dataDir,
    database,
    chain,
    anchoring: { enabled: anchoringEnabled, batchMaxEvents, batchMaxWaitMs, lowBalanceWei, stalledAfterMs },
    verifier,
    ingest,
    webhooks,
    flags,
    logLevel: logLevel ?? 'info',
    logFormat: logFormat ?? 'auto',
    adminToken,
    metricsToken,
    dataKeys,
    dataKeyFile,
  };
}

/** TRUST_PROXY: unset or `false`, `true`, a hop count, or comma-separated addresses and CIDR ranges (`loopback` too). */
function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim());
  const valid = (e: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(e) || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e);
  if (entries.length === 0 || !entries.every(valid)) {
    problems.push('TRUST_PROXY must be true, false, a number of proxy hops, or comma-separated addresses or CIDR ranges of proxies');
    return false;
  }
  return entries;
}
