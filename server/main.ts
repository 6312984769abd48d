import 'reflect-metadata';
import cluster from 'node:cluster';
import { ChainConnection } from './anchoring/chain-connection';
import { createApp } from './app.factory';
import { loadAppConfig } from './config/load-app-config';
import { ConfigError } from './config/parse-app-config';
import { DOCS_PATH } from './http/swagger';
import { clusterMetrics } from './metrics/cluster-metrics';
import { CLUSTER_METRICS_TOPIC } from './metrics/metrics.service';
import { superviseWorkers, workerIdentity, workerShare } from './http/worker-cluster';

/** Where a browser on this machine reaches the server. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function chainLine(anchoring: boolean, chain: ChainConnection): string {
  if (!anchoring) return '  chain:       anchoring off (ORDERTRACE_ANCHORING=off)';
  const where = chain.mode === 'embedded' ? 'embedded dev chain' : 'CHAIN_RPC_URL';
  return `  chain:       ${chain.rpcUrl ?? '(not running)'} (${where}), OrderAnchor ${chain.contractAddress ?? '(not deployed yet)'}`;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ordertrace: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  if (cluster.isPrimary && config.http.workers > 1) {
    superviseWorkers(config.http.workers, (line) => process.stderr.write(`${line}\n`), { [CLUSTER_METRICS_TOPIC]: clusterMetrics() });
    return;
  }
  const worker = workerIdentity();
  if (worker !== null) config = workerShare(config, worker.count);
  const app = await createApp(config);
  try {
    await app.listen(config.http.port, config.http.host);
  } catch (e) {
    // Release the database and background work, or the process would linger without a port.
    await app.close().catch(() => undefined);
    throw e;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const url = `http://${displayHost(config.http.host)}:${port}`;
  const lines = [
    `ordertrace listening on ${url}`,
    `  API docs:    ${url}/${DOCS_PATH}`,
    `  verifier:    ${url}/v/ (links ${config.verifier.url}#o=<orderId>&t=<token>&api=… come from POST /v1/orders/<id>/qr)`,
    `  trust file:  ${url}/public/trust.json`,
    `  database:    ${config.database.driver === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    config.admin.adminTokenFile !== null
      ? `  admin token: ${config.admin.adminTokenFile}`
      : config.admin.adminToken !== null
        ? '  admin token: from ORDERTRACE_ADMIN_TOKEN'
        : '  admin token: none (admin API disabled; set ORDERTRACE_ADMIN_TOKEN)',
    `  data key:    ${config.dataKey.keyFile ?? 'from ORDERTRACE_DATA_KEY'}${config.dataKey.previousKeys.length > 0 ? ` (+${config.dataKey.previousKeys.length} earlier, until POST /v1/admin/data-key/rotate)` : ''}`,
    ...config.dataKey.notices.map((n) => `  note:        ${n}`),
    chainLine(config.anchoring.enabled, app.get(ChainConnection, { strict: false })),
    `  processes:   ${worker === null ? '1 HTTP worker (HTTP_WORKERS)' : `${worker.count} HTTP workers on one port (HTTP_WORKERS)`}`,
  ];
  // The first worker speaks for all; the others only say that they are up.
  if (worker !== null && worker.index > 0) {
    process.stdout.write(`ordertrace worker ${worker.index} listening (pid ${process.pid})\n`);
    return;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`ordertrace: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
