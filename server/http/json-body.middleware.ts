import { Injectable, type NestMiddleware } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { sendProblem } from '../errors/problem-details.filter';
import { type HttpRequest, type HttpResponse, requestPath } from './http-types';

/** Routes with a body limit of their own (BULK_BODY_LIMIT) instead of BODY_LIMIT. */
const BULK_PATHS = new Set(['/v1/bulk']);

type Handler = (req: HttpRequest, res: HttpResponse, next: (err?: unknown) => void) => void;

/** Express's own parsers; the project carries no @types/express, hence the local signature. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express') as {
  json(options: { limit: number; strict: boolean; type: string[]; reviver: (key: string, value: unknown) => unknown }): Handler;
  urlencoded(options: { limit: number; extended: boolean }): Handler;
};

/**
 * Nest's ValidationPipe silently deletes `__proto__` keys; what is hashed must be what was sent,
 * so such a body is refused instead (as malformed JSON, naming the key).
 */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not accepted');
  return value;
}

/**
 * Parses JSON (and form) bodies up to BODY_LIMIT. Runs as Nest middleware, after the request
 * logger, so that malformed and oversized bodies are logged and answered as problem details
 * like every other error.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly json: Handler;
  private readonly bulkJson: Handler;
  private readonly form: Handler;

  constructor(config: AppConfig) {
    const limit = config.http.bodyLimitBytes;
    const json = (bytes: number) =>
      express.json({ limit: bytes, strict: true, type: ['application/json', 'application/*+json'], reviver: refuseProtoKeys });
    this.json = json(limit);
    this.bulkJson = json(config.ingest.bulkBodyLimitBytes);
    this.form = express.urlencoded({ limit, extended: false });
  }

  use(req: HttpRequest, res: HttpResponse, next: (err?: unknown) => void): void {
    const json = BULK_PATHS.has(requestPath(req)) ? this.bulkJson : this.json;
    json(req, res, (jsonError) => {
      if (jsonError) return sendProblem(jsonError, req, res);
      this.form(req, res, (formError) => (formError ? sendProblem(formError, req, res) : next()));
    });
  }
}
