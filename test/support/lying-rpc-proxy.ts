/**
 * A real HTTP JSON-RPC endpoint in front of a real node that lies: it forwards every call and
 * rewrites the answer to `OrderAnchor.batch(seq)` so the root it reports is another one. The
 * fault a compromised or captured RPC provider would inject. CORS is open, as public RPC
 * providers' is, so a page from any origin can read through it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BATCH_SELECTOR } from '../../proof/rpc-chain-reader';

export interface LyingRpcProxy {
  url: string;
  /** eth_call batch(seq) answers rewritten so far. */
  lies: number;
  stop(): Promise<void>;
}

function flipRoot(result: string): string {
  // The first word of batch(seq) is the root; change its last byte (a zero root stays zero: "not anchored" is no lie to catch).
  if (result.length < 66 || /^0x0{64}/.test(result)) return result;
  const last = Number.parseInt(result.slice(64, 66), 16) ^ 0xff;
  return `${result.slice(0, 64)}${last.toString(16).padStart(2, '0')}${result.slice(66)}`;
}

interface Call {
  id?: unknown;
  method: string;
  params: { data?: string }[];
}

interface Answer {
  id?: unknown;
  result?: unknown;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLyingRpcProxy(upstream: string): Promise<LyingRpcProxy> {
  const proxy: LyingRpcProxy = { url: '', lies: 0, stop: () => Promise.resolve() };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    void (async () => {
      const text = await body(req);
      const sent = JSON.parse(text) as Call | Call[];
      const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const json = (await answer.json()) as Answer | Answer[];
      // Batches are answered call by call, with the same lie inside.
      const calls = Array.isArray(sent) ? sent : [sent];
      const answers = Array.isArray(json) ? json : [json];
      for (const a of answers) {
        const call = calls.find((c) => c.id === a.id);
        if (call?.method === 'eth_call' && call.params[0]?.data?.startsWith(BATCH_SELECTOR) && typeof a.result === 'string') {
          const rewritten = flipRoot(a.result);
          if (rewritten !== a.result) proxy.lies++;
          a.result = rewritten;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    })().catch((err: unknown) => res.writeHead(502).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}
