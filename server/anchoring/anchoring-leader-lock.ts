import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';

/** Arbitrary constant naming the "seals and anchors" advisory lock (the migration lock uses another). */
export const ANCHORING_LOCK_KEY = 7_236_110_472;
const LOCK_QUERY_TIMEOUT_MS = 5_000;

/**
 * Exactly one instance seals and anchors at a time: the holder of a PostgreSQL session advisory lock,
 * taken on a dedicated connection kept open for as long as the instance leads. If that connection
 * dies the server releases the lock and a standby, retrying `tryAcquire`, takes over. On PGlite there
 * is one process and it always leads.
 */
@Injectable()
export class AnchoringLeaderLock {
  private readonly logger = new Logger(AnchoringLeaderLock.name);
  private client: Client | null = null;
  private lastAttemptError: string | null = null;
  private held = false;

  constructor(private readonly config: AppConfig) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes the lock if free, or checks that the connection holding it is still alive. */
  async tryAcquire(): Promise<boolean> {
    const database = this.config.database;
    if (database.driver === 'pglite') {
      if (!this.held) this.logger.log(`anchoring leadership acquired (embedded database, pid ${process.pid})`);
      this.held = true;
      return true;
    }
    if (this.held && this.client !== null) {
      try {
        await this.client.query('SELECT 1');
        return true;
      } catch (err) {
        this.lost(`the lock connection failed: ${(err as Error).message}`);
        return false;
      }
    }
    const client = new Client({
      connectionString: database.url,
      application_name: `${database.applicationName ?? 'ordertrace'}-anchoring-lock`,
      keepAlive: true,
      query_timeout: LOCK_QUERY_TIMEOUT_MS,
      connectionTimeoutMillis: LOCK_QUERY_TIMEOUT_MS,
    });
    client.on('error', (err) => {
      if (this.client === client) this.lost(`the lock connection failed: ${err.message}`);
    });
    try {
      await client.connect();
      const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ANCHORING_LOCK_KEY]);
      this.lastAttemptError = null;
      if (rows.rows[0]?.locked === true) {
        this.client = client;
        this.held = true;
        const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        this.logger.log(`anchoring leadership acquired (pid ${process.pid}, database backend ${pid.rows[0].pid})`);
        return true;
      }
    } catch (err) {
      // Tried again every round while the database is away: said once per distinct failure.
      const message = (err as Error).message;
      if (message !== this.lastAttemptError) this.logger.warn(`cannot try the anchoring lock: ${message}`);
      this.lastAttemptError = message;
    }
    await client.end().catch(() => undefined);
    return false;
  }

  private lost(reason: string): void {
    if (!this.held) return;
    this.held = false;
    this.logger.error(`anchoring leadership lost: ${reason}`);
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => undefined);
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    const wasHeld = this.held;
    this.held = false;
    if (client === null) return;
    try {
      if (wasHeld) await client.query('SELECT pg_advisory_unlock($1)', [ANCHORING_LOCK_KEY]);
    } catch {
      // Ending the session releases the lock anyway.
    }
    await client.end().catch(() => undefined);
    if (wasHeld) this.logger.log('anchoring leadership released');
  }
}
