/**
 * A real webhook receiver on 127.0.0.1 for e2e tests: it keeps every request it gets (headers and
 * body as sent) and verifies signatures with the Standard Webhooks reference library, as a brand's
 * receiver would. `respond` scripts each answer (a status, or 'hang' to never answer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed body: `{"type", "timestamp", "data"}`. */
  message: { type: string; timestamp: string; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order (retries included). */
  requests: ReceivedWebhook[];
  /** How to answer a request: `attempt` counts this message id's requests from 1. */
  respond: (req: ReceivedWebhook, attempt: number) => number | 'hang';
  /** The distinct messages by webhook-id, as a receiver that dedupes keeps them. */
  messages(): ReceivedWebhook[];
  close(): Promise<void>;
}

/** Throws unless the request's signature verifies with `secret` (a `whsec_…` secret). */
export function verifyWithSecret(secret: string, r: ReceivedWebhook): void {
  new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const attempts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string => String(req.headers[name] ?? '');
      let message: ReceivedWebhook['message'];
      try {
        message = JSON.parse(body) as ReceivedWebhook['message'];
      } catch {
        res.statusCode = 400;
        res.end();
        return;
      }
      const received: ReceivedWebhook = {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        body,
        message,
      };
      receiver.requests.push(received);
      const attempt = (attempts.get(received.id) ?? 0) + 1;
      attempts.set(received.id, attempt);
      const answer = receiver.respond(received, attempt);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.statusCode = answer;
      res.end();
    });
  });
  const receiver: WebhookReceiver = {
    url: '',
    requests: [],
    respond: () => 204,
    messages: () => {
      const seen = new Map<string, ReceivedWebhook>();
      for (const r of receiver.requests) if (!seen.has(r.id)) seen.set(r.id, r);
      return [...seen.values()];
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
