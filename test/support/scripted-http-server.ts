/**
 * A real local HTTP server whose answer each test scripts: `server.handler` receives the request,
 * its whole body as text, and the response to write.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedHandler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

export interface ScriptedHttpServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  handler: ScriptedHandler;
  close(): Promise<void>;
}

export async function startScriptedHttpServer(): Promise<ScriptedHttpServer> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => scripted.handler(req, body, res));
  });
  const scripted: ScriptedHttpServer = {
    url: '',
    handler: (_req, _body, res) => res.end(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scripted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return scripted;
}
