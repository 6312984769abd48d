import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';
import type { HttpRequest } from './http-types';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const UNLOGGED_PATHS = ['/healthz', '/readyz'];

/**
 * One JSON line per request and per log call. Credentials are redacted; bodies are never
 * logged, so private field values cannot reach the logs through requests.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        redact: {
          paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
          censor: '[redacted]',
        },
        genReqId: (req) => {
          const given = req.headers['x-request-id'];
          return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        },
        autoLogging: { ignore: (req) => UNLOGGED_PATHS.includes(((req as HttpRequest).url ?? '').split('?')[0]) },
      },
      // Synchronous stdout: lines keep their order with the start banner and survive a crash.
      pino.destination({ dest: 1, sync: true }),
    ],
  };
}
