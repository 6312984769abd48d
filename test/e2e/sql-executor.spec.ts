/**
 * SqlExecutor's transactions on both drivers: statements issued without waiting (SqlSession.send,
 * pipelined on PostgreSQL) commit with the transaction or not at all, and a failure among them,
 * on the server or before it reached it, is the transaction's answer with nothing stored.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../server/database/data-source-options';
import { type PreparedSql, SqlExecutor } from '../../server/database/sql-executor';
import { createTestDatabase, type TestDatabase } from '../support/database';

interface Driver {
  name: string;
  /** Whether a PreparedSql stays prepared on the connection (pg), or runs as text (PGlite). */
  keepsPrepared: boolean;
  open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>;
}

const drivers: Driver[] = [
  {
    name: 'PostgreSQL (pg, pipelined)',
    keepsPrepared: true,
    open: async () => {
      const db: TestDatabase = await createTestDatabase();
      const dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 1 });
      return {
        dataSource,
        close: async () => {
          await dataSource.destroy();
          await db.drop();
        },
      };
    },
  },
  {
    name: 'PGlite',
    keepsPrepared: false,
    open: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-sql-executor-'));
      const dataSource = await openDataSource({ driver: 'pglite', dataDir });
      return {
        dataSource,
        close: async () => {
          await dataSource.destroy();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(drivers)('SqlExecutor on $name', (driver) => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  let sql: SqlExecutor;

  const stored = async (): Promise<number[]> =>
    (await dataSource.query<{ id: number }[]>(`SELECT id FROM executor_probe ORDER BY id`)).map((r) => Number(r.id));

  beforeAll(async () => {
    ({ dataSource, close } = await driver.open());
    sql = new SqlExecutor(dataSource);
    await dataSource.query(`CREATE TABLE executor_probe (id int PRIMARY KEY, note text)`);
  });

  afterAll(async () => {
    await close();
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM executor_probe`);
  });

  it('commits the statements sent without waiting, in the order sent, and reads see those before them', async () => {
    const seen = await sql.transaction(async (session) => {
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      session.send(`UPDATE executor_probe SET id = 2 WHERE id = 1`);
      session.send(`INSERT INTO executor_probe (id) VALUES ($1)`, [1]);
      const { rows } = await session.query<{ n: string }>(`SELECT count(*)::text AS n FROM executor_probe`);
      session.send(`INSERT INTO executor_probe (id) VALUES ($1)`, [3]);
      return Number(rows[0].n);
    });
    expect(seen).toBe(2);
    expect(await stored()).toEqual([1, 2, 3]);
  });

  it('runs a prepared statement again and again, kept by name where the driver can', async () => {
    const count: PreparedSql = { name: 'executor_probe_count', text: `SELECT count(*)::int AS n FROM executor_probe WHERE id > $1` };
    for (const id of [4, 5]) {
      const { n, kept } = await sql.transaction(async (session) => {
        session.send(`INSERT INTO executor_probe (id) VALUES ($1)`, [id]);
        const counted = await session.query<{ n: number }>(count, [0]);
        const prepared = await session.query<{ name: string }>(`SELECT name FROM pg_prepared_statements`);
        return { n: counted.rows[0].n, kept: prepared.rows.map((r) => r.name) };
      });
      expect(n).toBe(id - 3);
      expect(kept.includes('executor_probe_count')).toBe(driver.keepsPrepared);
    }
  });

  it('a sent statement the server refuses fails the transaction with its error, and nothing is stored', async () => {
    const failing = sql.transaction(async (session) => {
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      session.send(`INSERT INTO executor_probe (id) VALUES (2)`);
      return 'committed';
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(await stored()).toEqual([]);
    // The session is fit for the next transaction.
    await sql.transaction(async (session) => session.send(`INSERT INTO executor_probe (id) VALUES (7)`));
    expect(await stored()).toEqual([7]);
  });

  it('a statement whose parameters cannot be sent is never committed with the others', async () => {
    const failing = sql.transaction(async (session) => {
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      // A value that cannot be turned into text fails on the client, before the server sees it.
      const refuse = (): never => {
        throw new Error('not text');
      };
      const unsendable = { toJSON: refuse, toString: refuse, valueOf: refuse };
      session.send(`INSERT INTO executor_probe (id, note) VALUES (2, $1)`, [unsendable]);
      return 'committed';
    });
    await expect(failing).rejects.toThrow('not text');
    expect(await stored()).toEqual([]);
    await sql.transaction(async (session) => session.send(`INSERT INTO executor_probe (id) VALUES (8)`));
    expect(await stored()).toEqual([8]);
  });

  it('work that throws after sending statements rolls them back and its error is the answer', async () => {
    const failing = sql.transaction(async (session) => {
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      await session.query(`SELECT 1`);
      throw new Error('planning failed');
    });
    await expect(failing).rejects.toThrow('planning failed');
    expect(await stored()).toEqual([]);
  });

  it('an awaited query that fails is the answer even when the work goes on without it', async () => {
    const failing = sql.transaction(async (session) => {
      await session.query(`SELECT no_such_column FROM executor_probe`).catch(() => undefined);
      session.send(`INSERT INTO executor_probe (id) VALUES (1)`);
      return 'committed';
    });
    await expect(failing).rejects.toMatchObject({ code: '42703' });
    expect(await stored()).toEqual([]);
  });
});

describe('SqlExecutor on PostgreSQL: the pooled connection', () => {
  it('goes back to the pool out of pipeline mode', async () => {
    const db = await createTestDatabase();
    const dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 1 });
    try {
      await new SqlExecutor(dataSource).transaction(async (session) => {
        session.send(`SELECT 1`);
      });
      const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<[{ pipeline?: boolean }, () => void]> };
      const [client, release] = await driver.obtainMasterConnection();
      try {
        expect(client.pipeline).toBe(false);
      } finally {
        release();
      }
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });
});
