import type { FastifyReply, FastifyRequest } from 'fastify';

/** The request as guards, decorators and filters see it (Fastify's; `raw` is node's IncomingMessage). */
export type HttpRequest = FastifyRequest;

/** The reply as handlers and filters see it (Fastify's; `raw` is node's ServerResponse). */
export type HttpResponse = FastifyReply;

/** The request path without its query string; takes Fastify's request or node's. */
export function requestPath(req: { originalUrl?: string; url?: string }): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0];
}
