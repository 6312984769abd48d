/**
 * The one typed configuration object of the service, parsed and validated once at boot
 * (parse-app-config.ts) and injected by its class: `constructor(private readonly config: AppConfig)`.
 * A class only so that it can serve as the injection token; it has no behaviour.
 */
export type DatabaseConfig =
  | {
      readonly driver: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      /** Names every session of the service in pg_stat_activity (and lets an operator end just those). */
      readonly applicationName?: string;
    }
  | { readonly driver: 'pglite'; readonly dataDir: string };

/** How log lines are written (LOG_FORMAT; `auto` is resolved at start from whether stdout is a terminal). */
export type LogFormat = 'json' | 'pretty';

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** Base of links handed out to consumers (QR codes, receipt pages). No trailing slash. */
  readonly publicBaseUrl: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /**
   * Processes serving HTTP on the one port (node:cluster). More than one only on PostgreSQL with an
   * external chain: the embedded database and dev chain belong to a single process.
   */
  readonly workers: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (TRUST_PROXY): false (the
   * peer itself), true (any), a number of hops, or addresses and CIDR ranges. The address is kept
   * in the audit trail.
   */
  readonly trustProxy: boolean | number | readonly string[];
}

export interface AdminAuthConfig {
  /** Operator token for /v1/brands; null disables the admin API (production without a token). */
  readonly adminToken: string | null;
  /** Where the embedded default keeps the generated token, when it does. */
  readonly adminTokenFile: string | null;
  /** A token that may read /metrics and nothing else (METRICS_TOKEN); the admin token may too. */
  readonly metricsToken: string | null;
}

export interface DataKeyConfig {
  /** The current data key (32 bytes): wraps the per-order keys of private fields and the service's own keys. */
  readonly key: Buffer;
  /** Earlier data keys, still able to unwrap keys not yet re-wrapped by a rotation. */
  readonly previousKeys: readonly Buffer[];
  /** The key file the keys come from (ORDERTRACE_DATA_KEY_FILE or the embedded default's); null: the environment. */
  readonly keyFile: string | null;
  /** What start-up did with the key that the log must say (a key moved out of the data folder). */
  readonly notices: readonly string[];
}

export interface ChainConfig {
  /** EVM JSON-RPC endpoint; null on the embedded default, which starts a local chain on `port`. */
  readonly rpcUrl: string | null;
  readonly port: number;
  readonly confirmations: number;
  readonly contractAddress: string | null;
  readonly anchorPrivateKey: string | null;
  readonly anchorKeyFile: string | null;
  /** RPC endpoint the public verifier page uses; null: the service's read-only proxy at /public/rpc. */
  readonly publicRpcUrl: string | null;
}

export interface VerifierConfig {
  /** Where consumer links open the verifier page (VERIFIER_URL); default `<PUBLIC_BASE_URL>/v/`. */
  readonly url: string;
  /** The operator's ordertrace-trust/1 file served at /public/trust.json; null: generated from the service's own chain. */
  readonly trustFile: string | null;
}

export interface AnchoringConfig {
  /** Off: events are stored and hashed but never sealed into batches nor anchored. */
  readonly enabled: boolean;
  readonly batchMaxEvents: number;
  readonly batchMaxWaitMs: number;
  /** Below this balance of the anchoring account (in wei) a warning is logged and /readyz says so. */
  readonly lowBalanceWei: bigint;
  /** Events not anchored this long past BATCH_MAX_WAIT_MS count as anchoring stalled (/readyz degraded). */
  readonly stalledAfterMs: number;
}

export interface IngestConfig {
  /** Commands (orders and events) that may wait for a write group; past it requests get 503. */
  readonly queueMax: number;
  /** Of those, how many one brand may hold; past it its requests get 429. */
  readonly brandQueueMax: number;
  /** Commands per second one brand may send (token bucket); 0 = no limit. */
  readonly brandRatePerSecond: number;
  readonly brandRateBurst: number;
  /** Largest write group, in commands. */
  readonly maxGroupCommands: number;
  /** Write groups in their transactions at once. */
  readonly concurrency: number;
  /** Largest body of POST /v1/bulk, in bytes. */
  readonly bulkBodyLimitBytes: number;
}

export interface WebhooksConfig {
  /** Endpoints on loopback, private, link-local, unique-local or multicast addresses are allowed (tests, development). */
  readonly allowPrivate: boolean;
  /** Plain http endpoints are allowed (the embedded default, or WEBHOOK_ALLOW_HTTP); otherwise https only. */
  readonly allowHttp: boolean;
  /** First retry delay; each later one is four times longer (with jitter), up to six hours. */
  readonly retryBaseMs: number;
  /** How long a message is retried before it counts as failed. */
  readonly retryWindowMs: number;
  /** An endpoint whose deliveries all fail for this long (no success in between) is disabled. */
  readonly disableAfterMs: number;
  /** One delivery attempt's limit, from connecting to the response's status. */
  readonly timeoutMs: number;
  /** Deliveries in flight at once per process. */
  readonly concurrency: number;
  /** How often each process looks for due deliveries. */
  readonly pollMs: number;
}

export interface FlagsConfig {
  /**
   * How often each process looks for newly stored events to evaluate for anomaly flags; 0: this
   * process never evaluates (another instance does, or flags are not wanted).
   */
  readonly evaluatorPollMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class AppConfig {
  readonly http!: HttpConfig;
  /** Absolute path of the data folder (PGlite files, generated secrets, chain state). */
  readonly dataDir!: string;
  readonly database!: DatabaseConfig;
  readonly admin!: AdminAuthConfig;
  readonly dataKey!: DataKeyConfig;
  readonly chain!: ChainConfig;
  readonly anchoring!: AnchoringConfig;
  readonly verifier!: VerifierConfig;
  readonly ingest!: IngestConfig;
  readonly webhooks!: WebhooksConfig;
  readonly flags!: FlagsConfig;
  readonly logLevel!: LogLevel;
  /** `pretty`: coloured lines for a person at a terminal; `json`: one JSON object per line, for collectors. */
  readonly logFormat!: LogFormat;
}
