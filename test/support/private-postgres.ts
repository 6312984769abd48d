/**
 * A PostgreSQL cluster of a test's own, for faults that would disturb everyone else on the shared
 * server (a restart): initdb in a temporary folder, run as the `postgres` OS user on a free port,
 * stopped and removed at the end. Needs the PostgreSQL 15 server binaries (PG_BIN to override).
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './chain';
import { type TestDatabase, withClient } from './database';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'postgres';

export interface PrivateCluster {
  port: number;
  dir: string;
  /** A database on this cluster, in the shape the shared-server helpers use. */
  createDatabase(name: string): Promise<TestDatabase>;
  /** Runs SQL as the superuser on the `postgres` database. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the server: `immediate` is a crash (no shutdown checkpoint, recovery on start), `fast` a clean stop. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  // Tests run as root, and PostgreSQL refuses to run as root.
  const wrapped: [string, string[]] =
    process.getuid?.() === 0 ? ['runuser', ['-u', PG_USER, '--', join(PG_BIN, command), ...args]] : [join(PG_BIN, command), args];
  const { stdout } = await run(wrapped[0], wrapped[1], { timeout: 120_000 });
  return stdout;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ordertrace-pg-'));
  const pwent = await run('id', ['-u', PG_USER]).catch(() => null);
  if (process.getuid?.() === 0) {
    if (pwent === null) throw new Error(`no ${PG_USER} OS user to run a private PostgreSQL as`);
    const gid = Number((await run('id', ['-g', PG_USER])).stdout.trim());
    chownSync(dir, Number(pwent.stdout.trim()), gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-U', PG_USER, '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = [`-p ${port}`, `-k ${dir}`, `-c listen_addresses=127.0.0.1`, `-c fsync=off`, `-c max_connections=100`].join(' ');
  const adminUrl = `postgres://${PG_USER}@127.0.0.1:${port}/postgres`;
  const start = async (): Promise<void> => {
    await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  await start();
  return {
    port,
    dir,
    query: (sql, params) => withClient(adminUrl, async (c) => (await c.query(sql, params)).rows),
    createDatabase: async (name) => {
      await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = `postgres://${PG_USER}@127.0.0.1:${port}/${name}`;
      return {
        name,
        url,
        query: (sql, params) => withClient(url, async (c) => (await c.query(sql, params)).rows),
        drop: () => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
      };
    },
    stop,
    start,
    destroy: async () => {
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
