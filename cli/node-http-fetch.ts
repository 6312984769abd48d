/**
 * A `fetch` for the proof core's JSON-RPC reader built on node:http(s). Node's global fetch loads
 * and compiles its bundled HTTP client on first use, which costs a short command like `verify` more
 * than the rest of its start-up; node:http is already part of the runtime. Supports what the reader
 * uses: POST with string body and headers, an abort signal, and `ok`, `status`, `json()`.
 */
import type * as http from 'node:http';
import type { FetchFn } from '../proof/rpc-chain-reader';

/** Answers larger than this are refused rather than buffered (JSON-RPC answers are small). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

interface Transport {
  request(url: URL, options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest;
  agent: http.Agent;
}

const transports = new Map<string, Transport>();

function transportFor(protocol: string): Transport {
  let transport = transports.get(protocol);
  if (transport === undefined) {
    // Loaded on demand: https pulls in TLS, which an http:// node never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (protocol === 'https:' ? require('node:https') : require('node:http')) as typeof http;
    // Keep-alive: the reader sends its calls in parallel bursts to one node.
    transport = { request: mod.request, agent: new mod.Agent({ keepAlive: true }) };
    transports.set(protocol, transport);
  }
  return transport;
}

export const nodeHttpFetch: FetchFn = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new Error(`unsupported URL scheme ${url.protocol}`));
      return;
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const transport = transportFor(url.protocol);
    const body = typeof init.body === 'string' ? init.body : '';
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    headers['content-length'] = String(Buffer.byteLength(body));
    const req = transport.request(url, { method: init.method ?? 'GET', headers, agent: transport.agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.destroy(new Error(`answer larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          ok: status >= 200 && status < 300,
          status,
          json: () => Promise.resolve(JSON.parse(text) as unknown),
          text: () => Promise.resolve(text),
        } as unknown as Response);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
