/**
 * PostgreSQL failing under load: the server (a child process on a Hardhat node and a PostgreSQL
 * cluster of this test's own) takes orders, events and bulk requests while (a) every connection of
 * the service is terminated with pg_terminate_backend, picked by its application_name, and (b) the
 * cluster is crashed and started again. Requests in flight get 503 with Retry-After, never 500;
 * /readyz answers 503 saying why while the database is away; the pool recovers without a restart;
 * afterwards every acknowledged event is stored as acknowledged, nothing is half-written, and
 * everything is anchored exactly once.
 */
import { randomBytes } from 'node:crypto';
import {
  expectAllAnchored,
  seedBrand,
  serverEnv,
  spawnServer,
  type ServerProcess,
  tempDataDir,
  waitFor,
} from '../support/anchoring-fixture';
import { deployTestAnchor, startTestChain, type TestChain } from '../support/chain';
import type { TestDatabase } from '../support/database';
import {
  driveLoad,
  durabilityReport,
  type LoadTally,
  newTally,
  post,
  retryUnansweredBulks,
  waitEverythingAnchored,
} from '../support/kill-under-load';
import { type PrivateCluster, startPrivateCluster } from '../support/private-postgres';

jest.setTimeout(300_000);

const APPLICATION_NAME = `ordertrace-faults-${randomBytes(3).toString('hex')}`;

describe('PostgreSQL faults under load', () => {
  let cluster: PrivateCluster;
  let chain: TestChain;
  let contract: string;
  let db: TestDatabase;
  let data: { dir: string; remove(): void };
  let server: ServerProcess;
  let baseUrl: string;
  let key: string;
  const tally: LoadTally = newTally();

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    chain = await startTestChain();
    const anchorer = chain.wallets[1];
    contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
    await chain.provider.send('evm_setIntervalMining', [200]);
    db = await cluster.createDatabase(`ordertrace_faults_${randomBytes(4).toString('hex')}`);
    data = tempDataDir();
    const env = serverEnv({
      databaseUrl: db.url,
      rpcUrl: chain.rpcUrl,
      contract,
      privateKey: anchorer.privateKey,
      dataDir: data.dir,
      extra: { BATCH_MAX_EVENTS: '200', BATCH_MAX_WAIT_MS: '300', LOG_LEVEL: 'warn', DATABASE_APPLICATION_NAME: APPLICATION_NAME },
    });
    server = spawnServer(env, 'pg-faults');
    baseUrl = await server.baseUrl;
    key = await seedBrand(baseUrl);
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await chain?.stop();
    await cluster?.destroy();
    data?.remove();
  });

  /** Runs the load until `fault` has been injected and `after` more events were acknowledged past it. */
  async function underLoad(tag: string, fault: () => Promise<void>, after = 200): Promise<void> {
    let stop = false;
    const load = driveLoad(baseUrl, key, tally, { workers: 16, maxRequests: tally.requests + 30_000, stop: () => stop, tag });
    try {
      const before = tally.acknowledged.size;
      await waitFor('load under way', async () => tally.acknowledged.size >= before + 200, 60_000, 20);
      await fault();
      const recovered = tally.acknowledged.size;
      await waitFor('writes acknowledged again after the fault', async () => tally.acknowledged.size >= recovered + after, 90_000, 50);
    } finally {
      stop = true;
      await load;
    }
  }

  async function readiness(): Promise<{ status: number; body: { status?: string; code?: string; detail?: string } }> {
    const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as { status?: string; code?: string; detail?: string } };
  }

  it('terminating every session of the service: in-flight requests get 503, the pool reconnects', async () => {
    let terminated = 0;
    let others = 0;
    await underLoad('term', async () => {
      for (let round = 0; round < 3; round++) {
        // Only the service's own sessions: its pool, and its anchoring lock connection.
        const rows = await cluster.query<{ pid: number; ended: boolean }>(
          `SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity
            WHERE application_name = $1 OR application_name = $1 || '-anchoring-lock'`,
          [APPLICATION_NAME],
        );
        terminated += rows.filter((r) => r.ended).length;
        const [{ count }] = await cluster.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        );
        others = Math.max(others, count);
        await waitFor('the service connected again', async () => {
          const [{ n }] = await cluster.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
            [APPLICATION_NAME],
          );
          return n > 0;
        });
      }
    });
    process.stdout.write(
      `pg_terminate_backend under load: 3 rounds, ${terminated} sessions named ${APPLICATION_NAME} terminated; ` +
        `${tally.acknowledged.size} events acknowledged so far; statuses ${statuses(tally)}\n`,
    );
    expect(terminated).toBeGreaterThanOrEqual(3);
    expect(fiveHundreds(tally)).toEqual([]);
    expect(tally.withoutRetryAfter).toBe(0);
    expect((await readiness()).status).toBe(200);
  });

  it('restarting PostgreSQL: 503 with Retry-After and a /readyz that says why, then recovery without restarting the service', async () => {
    const seen: {
      readyWhileDown?: { status: number; body: { status?: string; code?: string; detail?: string } };
      writeWhileDown?: Awaited<ReturnType<typeof post>>;
      downMs?: number;
    } = {};
    await underLoad('restart', async () => {
      const stoppedAt = Date.now();
      await cluster.stop('immediate');
      seen.readyWhileDown = await readiness();
      seen.writeWhileDown = await post(baseUrl, '/v1/orders', key, { reference: `down-${randomBytes(3).toString('hex')}` });
      await cluster.start();
      seen.downMs = Date.now() - stoppedAt;
      await waitFor('/readyz 200 again', async () => (await readiness()).status === 200, 60_000, 100);
    });
    const { readyWhileDown, writeWhileDown, downMs } = seen;
    process.stdout.write(
      `PostgreSQL crashed (pg_ctl stop -m immediate) and started again under load, down ${downMs} ms; /readyz while down: ` +
        `${readyWhileDown!.status} ${readyWhileDown!.body.detail}; a write while down: ${writeWhileDown?.status} Retry-After ` +
        `${writeWhileDown?.retryAfter}; statuses ${statuses(tally)}\n`,
    );
    expect(readyWhileDown!.status).toBe(503);
    expect(readyWhileDown!.body).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      detail: expect.stringMatching(/database does not answer: .+/),
    });
    expect(writeWhileDown).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE' }, retryAfter: '1' });
    expect(fiveHundreds(tally)).toEqual([]);
    expect(tally.withoutRetryAfter).toBe(0);
    expect(tally.statuses.get(503) ?? 0).toBeGreaterThan(0);
    // Every request was answered: none hung on the lost connections.
    expect(tally.statuses.get(0) ?? 0).toBe(0);
  });

  it('afterwards: every acknowledged event stored as acknowledged, nothing half-written, all anchored once', async () => {
    // Bulk requests that got no clear answer are retried with their keys: answered once, applied once.
    await retryUnansweredBulks(baseUrl, key, tally);
    await waitEverythingAnchored(db);
    const report = await durabilityReport(db, tally, chain.provider, contract);
    process.stdout.write(
      `PostgreSQL faults: ${tally.requests} requests (${statuses(tally)}); acknowledged ${report.acknowledged}, stored ${report.stored}, ` +
        `anchored ${report.anchored}, lost ${report.lost}, changed ${report.changed}, broken chains ${report.brokenChains}, ` +
        `double-anchored ${report.doubleAnchored}; ${tally.unansweredBulks.length} unanswered bulk requests retried with their keys, ` +
        `items stored twice ${report.appendedTwice}\n`,
    );
    expect(report.acknowledged).toBeGreaterThan(400);
    expect(report.lost).toBe(0);
    expect(report.changed).toBe(0);
    expect(report.brokenChains).toBe(0);
    expect(report.appendedTwice).toBe(0);
    expect(report.doubleAnchored).toBe(0);
    expect(report.anchored).toBe(report.stored);
    const summary = await expectAllAnchored(db, chain.provider, contract);
    expect(summary.lastSeq).toBe(summary.batches);
    // The service itself ran throughout: one process, never restarted.
    expect(server.process.exitCode).toBeNull();
    expect(server.lines.filter((l) => /"statusCode":500|request failed/.test(l))).toEqual([]);
  });
});

function statuses(tally: LoadTally): string {
  return [...tally.statuses].map(([s, n]) => `${s === 0 ? 'no answer' : s}×${n}`).join(', ');
}

function fiveHundreds(tally: LoadTally): number[] {
  return [...tally.statuses.keys()].filter((s) => s >= 500 && s !== 503);
}
