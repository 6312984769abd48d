/** The one `eth_chainId` reader, against a real local HTTP server standing in for the node. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChainUnavailableError } from '../../proof/errors';
import { readChainId } from '../../proof/rpc-chain-reader';
import { freePort } from '../support/chain';
import { type ScriptedHttpServer, startScriptedHttpServer } from '../support/scripted-http-server';

describe('readChainId', () => {
  let server: ScriptedHttpServer;
  let url: string;

  beforeAll(async () => {
    server = await startScriptedHttpServer();
    url = server.url;
  });

  afterAll(() => server.close());

  const answer =
    (payload: unknown, status = 200) =>
    (_req: IncomingMessage, _body: string, res: ServerResponse) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(payload));
    };

  it('asks eth_chainId over JSON-RPC and reads the hex quantity', async () => {
    let request: unknown;
    server.handler = (req, body, res) => {
      request = { method: req.method, type: req.headers['content-type'], body: JSON.parse(body) as unknown };
      answer({ jsonrpc: '2.0', id: 1, result: '0x7a69' })(req, body, res);
    };
    expect(await readChainId(url)).toBe(31337);
    expect(request).toMatchObject({
      method: 'POST',
      type: 'application/json',
      body: { jsonrpc: '2.0', method: 'eth_chainId', params: [] },
    });
  });

  it.each([
    [
      'an RPC error, with the node’s message',
      { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'method not found' } },
      200,
      /method not found/,
    ],
    ['a result that is no quantity', { jsonrpc: '2.0', id: 1, result: 'mainnet' }, 200, /malformed chain id/],
    ['an answer without a result', { jsonrpc: '2.0', id: 1 }, 200, /without a result/],
    ['an HTTP error', { error: 'nope' }, 502, /HTTP 502/],
  ])('is ChainUnavailableError on %s', async (_case, payload, status, message) => {
    server.handler = answer(payload, status);
    const failure = readChainId(url);
    await expect(failure).rejects.toBeInstanceOf(ChainUnavailableError);
    await expect(failure).rejects.toThrow(message);
  });

  it('is ChainUnavailableError naming the reason when nothing listens', async () => {
    const port = await freePort();
    const failure = readChainId(`http://127.0.0.1:${port}`);
    await expect(failure).rejects.toBeInstanceOf(ChainUnavailableError);
    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is ChainUnavailableError when the node does not answer within the limit', async () => {
    let held: ServerResponse | undefined;
    server.handler = (_req, _body, res) => (held = res);
    await expect(readChainId(url, { timeoutMs: 100 })).rejects.toThrow(
      /eth_chainId: cannot reach the RPC node at .* \(no answer within 100 ms\)/,
    );
    held?.destroy();
  });
});
