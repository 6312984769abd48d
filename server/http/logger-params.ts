import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pretty from 'pino-pretty';
import pino from 'pino';
import { RequestMethod } from '@nestjs/common';
import type { AppConfig, LogLevel } from '../config/app-config';
import { requestPath } from './http-types';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The caller's X-Request-ID when it is a plausible id, else a fresh UUID. Fastify assigns it (the
 * request log takes the id Fastify gave the request), so it must be given to both.
 */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
const UNLOGGED_PATHS = ['/healthz', '/readyz', '/metrics'];
/** Levels at which request lines are written. */
const REQUEST_LEVELS: ReadonlySet<LogLevel> = new Set<LogLevel>(['info', 'debug', 'trace']);
const CENSOR = '[redacted]';

/** Query parameters that carry a credential by their name (`token`, `key`, `api_key`, `accessToken`…). */
const SECRET_QUERY_NAME = /token|key/i;

/** The URL with the value of every credential-named query parameter replaced by the censor. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      let name = eq < 0 ? pair : pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A name that does not decode is judged as sent.
      }
      return eq >= 0 && SECRET_QUERY_NAME.test(name) ? `${pair.slice(0, eq)}=${CENSOR}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, SECRET_QUERY_NAME.test(name) ? CENSOR : (value as unknown)]),
  );
}

/**
 * One line per request and per log call: JSON, or readable text for a terminal (LOG_FORMAT). Credentials are redacted (headers by path, query
 * parameters by name, in the URL and in the parsed query); bodies are never logged, so private
 * field values cannot reach the logs through requests.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    // Request lines are logged at info. Above it the per-request logging middleware would only cost
    // time on every request (a child logger and an async context each) for lines never written.
    ...(REQUEST_LEVELS.has(config.logLevel) ? {} : { exclude: [{ method: RequestMethod.ALL, path: '{*path}' }] }),
    pinoHttp: [
      {
        level: config.logLevel,
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-api-key"]',
            'req.headers["x-order-token"]',
            'res.headers["set-cookie"]',
          ],
          censor: CENSOR,
        },
        serializers: {
          // Receives pino's serialized request (url, query, headers…), not the request itself.
          req: (req: { url?: string; query?: unknown }) => {
            if (typeof req.url === 'string') req.url = redactUrl(req.url);
            if (req.query !== undefined) req.query = redactQuery(req.query);
            return req;
          },
        },
        genReqId: requestId,
        // Middleware sees node's request; Fastify may have rewritten `url` by then, not `originalUrl`.
        autoLogging: { ignore: (req) => UNLOGGED_PATHS.includes(requestPath(req)) },
      },
      // Synchronous stdout: lines keep their order with the start banner and survive a crash.
      config.logFormat === 'pretty'
        ? pretty({ destination: 1, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
        : pino.destination({ dest: 1, sync: true }),
    ],
  };
}
