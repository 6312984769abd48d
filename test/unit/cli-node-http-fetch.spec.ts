/** The CLI's node:http fetch, against a real local HTTP server and through the proof core's JSON-RPC reader. */
import { nodeHttpFetch } from '../../cli/node-http-fetch';
import { ProofError } from '../../proof/errors';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { type ScriptedHttpServer, startScriptedHttpServer } from '../support/scripted-http-server';

describe('nodeHttpFetch', () => {
  let server: ScriptedHttpServer;
  let url: string;

  beforeAll(async () => {
    server = await startScriptedHttpServer();
    url = server.url;
  });

  afterAll(() => server.close());

  it('POSTs the body with its headers and reads the JSON answer', async () => {
    let seen: { method?: string; type?: string; body?: string } = {};
    server.handler = (req, body, res) => {
      seen = { method: req.method, type: req.headers['content-type'], body };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x7a69' }));
    };
    const response = await nodeHttpFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 1, result: '0x7a69' });
    expect(seen).toEqual({ method: 'POST', type: 'application/json', body: '{"a":"é"}' });
  });

  it('reports an HTTP error status as not ok', async () => {
    server.handler = (_req, _body, res) => {
      res.statusCode = 503;
      res.end('busy');
    };
    const response = await nodeHttpFetch(url, { method: 'POST', body: '' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(503);
  });

  it('gives up when the signal aborts', async () => {
    const controller = new AbortController();
    server.handler = () => controller.abort(); // never answers; the caller gives up once the request is in
    const pending = nodeHttpFetch(url, { method: 'POST', body: '', signal: controller.signal });
    await expect(pending).rejects.toThrow();
  });

  it("serves the proof core's JSON-RPC reader, whose failures stay CHAIN_UNAVAILABLE", async () => {
    server.handler = (_req, body, res) => {
      const { id } = JSON.parse(body) as { id: number };
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x7a69' }));
    };
    expect(await new JsonRpcChainReader(url, nodeHttpFetch).getChainId()).toBe(31337);
    server.handler = (_req, _body, res) => res.end('not json');
    const failure = await new JsonRpcChainReader(url, nodeHttpFetch).getBlockNumber().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProofError);
    expect((failure as ProofError).code).toBe('CHAIN_UNAVAILABLE');
    const unreachable = await new JsonRpcChainReader('http://127.0.0.1:9/', nodeHttpFetch).getBlockNumber().catch((e: unknown) => e);
    expect((unreachable as ProofError).code).toBe('CHAIN_UNAVAILABLE');
  });
});
