import type { IncomingMessage, ServerResponse } from 'node:http';

/** The parts of Express's request the service uses (the project carries no @types/express). */
export type HttpRequest = IncomingMessage & {
  /** Parsed body, set by JsonBodyMiddleware. */
  body?: unknown;
  /** The URL as received, before any mount-point rewriting. */
  originalUrl?: string;
};

export type HttpResponse = ServerResponse;

/** The request path without its query string. */
export function requestPath(req: HttpRequest): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0];
}
