/**
 * An HTTP load client in a process of its own, outside the server's and the bench's event loops:
 * autocannon, keep-alive connections, loopback only, bounded in time. (A worker thread will not do:
 * inside one, autocannon takes itself for one of its own workers and reports differently.)
 */
import { spawn } from 'node:child_process';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number;
  /**
   * Paths and bodies, sent round-robin: `{i}` in a template is replaced by a counter that grows with
   * every request, so that each request can be unique (references, scan numbers).
   */
  paths: string[];
  bodies?: string[];
}

export interface LoadResult {
  perSecond: number;
  total: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

const CLIENT = `
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const autocannon = require(input.autocannon);
const spec = input.spec;
const reply = (m) => process.stdout.write(JSON.stringify(m));
let i = 0;
const fill = (t) => t.split('{i}').join(String(i));
autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  overallRate: spec.overallRate,
  requests: [{
    method: spec.method,
    headers: spec.headers,
    setupRequest: (req) => {
      i += 1;
      const path = fill(spec.paths[i % spec.paths.length]);
      const body = spec.bodies ? fill(spec.bodies[i % spec.bodies.length]) : undefined;
      return { ...req, path, body };
    },
  }],
}).then(
  (r) => reply({ ok: true, result: {
    perSecond: r.requests.total / r.duration,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats || {}).map(([k, v]) => [k, v.count])),
  } }),
  (e) => reply({ ok: false, error: String(e && e.message || e) }),
);
`;

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        const m = JSON.parse(out) as { ok: true; result: LoadResult } | { ok: false; error: string };
        if (m.ok) resolve(m.result);
        else reject(new Error(`load client failed: ${m.error}`));
      } catch {
        reject(new Error(`load client exited with ${code} without a result`));
      }
    });
    child.stdin.end(JSON.stringify({ spec, autocannon: require.resolve('autocannon') }));
  });
}
