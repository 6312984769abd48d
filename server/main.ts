import 'reflect-metadata';
import { ChainConnection } from './anchoring/chain-connection';
import { createApp } from './app.factory';
import { loadAppConfig } from './config/load-app-config';
import { ConfigError } from './config/parse-app-config';
import { DOCS_PATH } from './http/swagger';

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
    chainLine(config.anchoring.enabled, app.get(ChainConnection, { strict: false })),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`ordertrace: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
