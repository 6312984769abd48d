/**
 * The HTTP layer alone, against a bare `node:http` server in the same process: requests that never
 * reach the database, so the figure is what the framework stack (routing, logging middleware, body
 * parsing, guards, validation, problem details) costs per request. Ingest cannot be faster than
 * this, so the no-database routes are held to the ingest target. The load client (autocannon) runs
 * in its own process: 50 connections, keep-alive, a few seconds per case, loopback only.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { startTestApp } from '../../test/support/app';
import { readJsonBody } from '../../server/http/json-body-parser';
import { atLeast, type BenchRow, benchRow } from './bench-row';
import { rates } from './proof.bench';

const CONNECTIONS = 50;
const SECONDS = 5;
/** Durable ingest must reach this many events per second, so the HTTP stack must at least answer as many. */
const INGEST_TARGET_PER_SECOND = 5_000;

/** About the size of an event append (type, time, public data, a sealed field). */
const EVENT_SIZED_BODY = JSON.stringify({
  type: 'shipped',
  at: '2026-11-25T10:00:00.000Z',
  data: { carrier: 'DHL Express', tracking: 'JD014600006281234567', warehouse: 'FRA-2', parcels: 2, weightKg: 3.25 },
  sealed: { recipient: { name: 'Ada Lovelace', phone: '+44 20 7946 0000' }, note: 'leave with the neighbour at number 12' },
});

interface LoadCase {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status every answer must have; anything else counts as an error. */
  status: number;
}

interface LoadFigures {
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers with another status than expected, plus connection errors and timeouts. */
  errors: number;
}

// autocannon treats a worker thread as one of its own workers, so the client runs as a child process.
const LOAD_CLIENT = `
const input = JSON.parse(process.argv[1]);
const autocannon = require(input.autocannon);
const c = input.loadCase;
autocannon({
  url: c.url, method: c.method, headers: c.headers, body: c.body,
  connections: input.connections, duration: input.seconds, pipelining: 1,
}, (err, result) => {
  if (err) { process.stdout.write(JSON.stringify({ error: String(err) })); return; }
  const expected = result.statusCodeStats[String(c.status)]?.count ?? 0;
  const answered = Object.values(result.statusCodeStats).reduce((n, s) => n + s.count, 0);
  process.stdout.write(JSON.stringify({
    perSecond: expected / (result.duration || input.seconds),
    p50: result.latency.p50, p99: result.latency.p99,
    errors: answered - expected + result.errors + result.timeouts,
  }));
});
`;

/** Drives `loadCase` from a child process, so the client's work does not share the server's event loop. */
async function load(loadCase: LoadCase): Promise<LoadFigures> {
  const input = JSON.stringify({ autocannon: require.resolve('autocannon'), loadCase, connections: CONNECTIONS, seconds: SECONDS });
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LOAD_CLIENT, input], { timeout: (SECONDS + 30) * 1000 });
  const m = JSON.parse(stdout) as LoadFigures | { error: string };
  if ('error' in m) throw new Error(m.error);
  return m;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** The floor: node's own server parsing the JSON body and answering 201 with a small JSON document. */
async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  let seq = 0;
  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (text) => {
        const body = JSON.parse(text) as { type?: string };
        const answer = JSON.stringify({ id: `evt_${++seq}`, type: body.type ?? null, seq });
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function note(f: LoadFigures): string {
  return `p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.errors} unexpected answers`;
}

export async function runHttpBenchmarks(progress: (line: string) => void): Promise<BenchRow[]> {
  progress(`http: bare node:http, POST with a ${Buffer.byteLength(EVENT_SIZED_BODY)}-byte JSON body…`);
  const bare = await startBareServer();
  let bareFigures: LoadFigures;
  try {
    bareFigures = await load({
      url: `${bare.url}/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: EVENT_SIZED_BODY,
      status: 201,
    });
  } finally {
    await bare.close();
  }
  const baseline = { name: 'bare node:http, JSON body parsed, 201', value: bareFigures.perSecond, unit: 'req/s' };
  const rows: BenchRow[] = [
    benchRow({
      group: 'http',
      name: baseline.name,
      value: bareFigures.perSecond,
      unit: 'req/s',
      better: 'higher',
      note: note(bareFigures),
    }),
  ];

  // The real application on PostgreSQL; neither case below reaches the database. Request logs
  // are off (LOG_LEVEL silent), as in the tests, so that stdout stays the bench's own.
  const t = await startTestApp();
  try {
    const cases: { name: string; loadCase: LoadCase }[] = [
      { name: 'ordertrace GET /healthz', loadCase: { url: `${t.baseUrl}/healthz`, method: 'GET', status: 200 } },
      {
        // The admin guard checks the token against the configuration and the body fails
        // validation (an event is not a brand), so the answer is a 400 problem without any query.
        name: `ordertrace POST /v1/brands, ${Buffer.byteLength(EVENT_SIZED_BODY)}-byte body refused by validation`,
        loadCase: {
          url: `${t.baseUrl}/v1/brands`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
          body: EVENT_SIZED_BODY,
          status: 400,
        },
      },
    ];
    for (const c of cases) {
      progress(`http: ${c.name}…`);
      const f = await load(c.loadCase);
      rows.push(
        benchRow({
          group: 'http',
          name: c.name,
          value: f.perSecond,
          unit: 'req/s',
          better: 'higher',
          baseline,
          target: atLeast(
            f.perSecond,
            INGEST_TARGET_PER_SECOND,
            `≥ ${INGEST_TARGET_PER_SECOND.toLocaleString('en')} req/s (the ingest target)`,
          ),
          note: note(f),
        }),
      );
    }
  } finally {
    await t.close();
  }
  rows.push(...bodyParserRows(progress));
  return rows;
}

/** A bulk body of about 4 KB: orders and events as a brand's batch job sends them. */
function bulkSizedBody(): string {
  const items: unknown[] = [];
  for (let i = 0; JSON.stringify({ items }).length < 4000; i++) {
    items.push({
      order: {
        reference: `SO-${100000 + i}`,
        data: { channel: 'web' },
        lineItems: [{ sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: '19.90', currency: 'EUR' }],
      },
    });
    items.push({ event: { order: 'ord_01JD3ZK7Q9T4W8X2B5N6M0P1RS', type: 'paid', data: { method: 'card', amount: '39.80' } } });
  }
  return JSON.stringify({ items });
}

/**
 * The strict body parser (duplicate keys, inexact numbers, U+0000, lone surrogates, depth) against
 * bare JSON.parse of the same bytes, in process: what the ingest path pays per body for refusing them.
 */
function bodyParserRows(progress: (line: string) => void): BenchRow[] {
  return [EVENT_SIZED_BODY, bulkSizedBody()].map((text) => {
    const bytes = Buffer.from(text);
    progress(`http: body parser, ${bytes.length}-byte body…`);
    const [bare, ours] = rates([() => JSON.parse(bytes.toString('utf8')) as unknown, () => readJsonBody(bytes)]);
    return benchRow({
      group: 'http',
      name: `readJsonBody, ${bytes.length}-byte body (in process)`,
      value: ours,
      unit: 'bodies/s',
      better: 'higher',
      baseline: { name: 'JSON.parse of the same bytes', value: bare, unit: 'bodies/s' },
      target: atLeast(ours / bare, 0.5, '≥ 0.5× JSON.parse (ours also refuses what it cannot store exactly)'),
    });
  });
}
