/**
 * A private PostgreSQL database per test file, created from the CI server's `test` database
 * (postgres://postgres@127.0.0.1:5432/test, overridable with TEST_DATABASE_URL) and dropped after.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL on the test database with a short-lived connection (for inspecting raw rows). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A client of its own for `work`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ordertrace_t_${randomBytes(6).toString('hex')}`;
  await withClient(ADMIN_DATABASE_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  return {
    name,
    url: dbUrl,
    query: (sql, params) => withClient(dbUrl, async (c) => (await c.query(sql, params)).rows),
    drop: () =>
      // FORCE ends sessions a failed test may have left open.
      withClient(ADMIN_DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Every stored event is in a sealed batch and every batch is confirmed on the chain. */
export async function everythingAnchored(db: Pick<TestDatabase, 'query'>): Promise<boolean> {
  const [row] = await db.query<{ open: number }>(
    `SELECT (SELECT count(*)::int FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq))
          + (SELECT count(*)::int FROM batches WHERE status <> 'confirmed') AS open`,
  );
  return row.open === 0;
}
