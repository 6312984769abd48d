/**
 * The real ordertrace application for e2e tests: the same createApp() as `npm start`, listening
 * on a free port of 127.0.0.1, against a private PostgreSQL database (or PGlite in a temp
 * folder), with anchoring off so no chain is needed.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApp } from '../../server/app.factory';
import type { AppConfig } from '../../server/config/app-config';
import { loadAppConfig } from '../../server/config/load-app-config';
import { deployTestAnchor, startTestChain, type TestChain } from './chain';
import { createTestDatabase, type TestDatabase } from './database';
import { waitFor } from './anchoring-fixture';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  /** supertest bound to the running server. */
  http: request.Agent;
  dataSource: DataSource;
  /** The private PostgreSQL database; null on PGlite. */
  database: TestDatabase | null;
  dataDir: string;
  adminToken: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  driver?: 'postgres' | 'pglite';
  /** Extra environment, e.g. BODY_LIMIT. */
  env?: Record<string, string>;
  /** Keep an existing data folder (PGlite restarts). */
  dataDir?: string;
  /** Start on this existing database (a restart); it is not dropped on close. */
  database?: TestDatabase;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const driver = options.driver ?? 'postgres';
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-test-'));
  const database = options.database ?? (driver === 'postgres' ? await createTestDatabase() : null);
  const ownDatabase = options.database === undefined;
  // The embedded default keeps its data key in the user's configuration folder: a folder beside the data folder here.
  const configHome = `${dataDir}.config`;
  const env: Record<string, string> = {
    XDG_CONFIG_HOME: configHome,
    PORT: '0',
    HOST: '127.0.0.1',
    ORDERTRACE_DATA_DIR: dataDir,
    ORDERTRACE_ANCHORING: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(database
      ? {
          DATABASE_URL: database.url,
          ORDERTRACE_ADMIN_TOKEN: `test-admin-${randomBytes(16).toString('hex')}`,
          ORDERTRACE_DATA_KEY: randomBytes(32).toString('hex'),
        }
      : {}),
    ...options.env,
  };
  let app: NestFastifyApplication | undefined;
  try {
    const config = loadAppConfig(env);
    app = await createApp(config);
    // PORT is 0 (any free port) unless a test fixes it, e.g. to match its PUBLIC_BASE_URL.
    await app.listen(config.http.port, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (typeof address !== 'object' || address === null) throw new Error('server has no address');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    const started = app;
    return {
      app: started,
      config,
      baseUrl,
      http: request(baseUrl),
      dataSource: started.get<DataSource>(getDataSourceToken()),
      database,
      dataDir,
      adminToken: config.admin.adminToken ?? '',
      close: async () => {
        await started.close();
        if (ownDatabase) await database?.drop();
        if (options.dataDir === undefined) {
          fs.rmSync(dataDir, { recursive: true, force: true });
          fs.rmSync(configHome, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    if (ownDatabase) await database?.drop().catch(() => undefined);
    throw e;
  }
}

export interface TestBrand {
  id: string;
  slug: string;
  name: string;
  keyId: string;
  key: string;
  auth: { Authorization: string };
}

/** A brand with one API key, created through the admin API. */
export async function createBrand(t: TestApp, slug = `brand-${randomBytes(4).toString('hex')}`, roles?: string[]): Promise<TestBrand> {
  const admin = { Authorization: `Bearer ${t.adminToken}` };
  const name = `Brand ${slug}`;
  const brand = await t.http.post('/v1/brands').set(admin).send({ slug, name }).expect(201);
  const key = await t.http
    .post(`/v1/brands/${brand.body.id}/keys`)
    .set(admin)
    .send(roles ? { roles } : {})
    .expect(201);
  return { id: brand.body.id, slug, name, keyId: key.body.id, key: key.body.key, auth: { Authorization: `Bearer ${key.body.key}` } };
}

export interface AnchoringTestApp {
  t: TestApp;
  chain: TestChain;
  /** OrderAnchor address (checksummed). */
  contract: string;
  close(): Promise<void>;
}

/**
 * The application with sealing and anchoring on, against its own Hardhat node and a freshly
 * deployed OrderAnchor whose anchorer is dev account #1 (the admin stays account #0).
 */
export async function startAnchoringTestApp(
  env: Record<string, string> = {},
  options: Omit<TestAppOptions, 'env'> = {},
): Promise<AnchoringTestApp> {
  const chain = await startTestChain();
  try {
    const anchorer = chain.wallets[1];
    const contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
    const t = await startTestApp({
      ...options,
      env: {
        ORDERTRACE_ANCHORING: 'on',
        CHAIN_RPC_URL: chain.rpcUrl,
        CONTRACT_ADDRESS: contract,
        ANCHOR_PRIVATE_KEY: anchorer.privateKey,
        CHAIN_CONFIRMATIONS: '1',
        BATCH_MAX_WAIT_MS: '200',
        ...env,
      },
    });
    return {
      t,
      chain,
      contract,
      close: async () => {
        await t.close();
        await chain.stop();
      },
    };
  } catch (e) {
    await chain.stop();
    throw e;
  }
}

/** Waits until the order has `count` events and all of them are anchored, as its brand sees them. */
export async function waitOrderAnchored(t: TestApp, brand: TestBrand, orderId: string, count: number, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    `${count} anchored events of ${orderId}`,
    async () => {
      const res = await t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200);
      const items = (res.body as { items: { status: string }[] }).items;
      return items.length === count && items.every((e) => e.status === 'anchored');
    },
    timeoutMs,
    250,
  );
}

/** Waits until the flag evaluator's cursor has passed every event stored so far. */
export async function waitEventsEvaluated(t: TestApp, timeoutMs = 30_000): Promise<void> {
  const [last] = await t.dataSource.query<{ batch_seq: number; batch_index: number }[]>(
    `SELECT batch_seq, batch_index FROM events ORDER BY batch_seq DESC, batch_index DESC LIMIT 1`,
  );
  await waitFor(
    'the evaluator to pass the last event',
    async () => {
      const [c] = await t.dataSource.query<{ batch_seq: number; batch_index: number }[]>(
        `SELECT batch_seq, batch_index FROM flag_evaluator_cursor`,
      );
      return c.batch_seq > last.batch_seq || (c.batch_seq === last.batch_seq && c.batch_index >= last.batch_index);
    },
    timeoutMs,
    50,
  );
}

/** supertest parser for a binary answer (PDF, PNG): `.buffer(true).parse(binaryBody)` makes `body` a Buffer. */
export function binaryBody(
  res: { on(event: string, cb: (chunk?: Buffer) => void): void },
  done: (err: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
