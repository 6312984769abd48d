import { type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type HttpRequest, type HttpResponse, requestPath } from '../http/http-types';
import { ChainUnavailableError } from '../../proof/errors';
import { isDatabaseUnavailable } from '../database/postgres-errors';
import { databaseUnavailable, DomainError, ErrorCode } from './domain-error';
import { describeErrorCode, PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType } from './problem-details';

function fromCode(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = describeErrorCode(code);
  return { type: problemType(code), title, status, detail, code, ...extensions };
}

function fromStatus(status: number, detail?: string): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  const code = title.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return { type: 'about:blank', title, status, ...(detail ? { detail } : {}), code };
}

/** Statuses Fastify answers on its own (body too large, media type it has no parser for) as domain codes. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  // The throttler of /public: it has already set Retry-After on the reply.
  429: ErrorCode.RATE_LIMITED,
};

const DETAIL_OF_CODE: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The request body exceeds the size limit',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Send the body as application/json',
  [ErrorCode.RATE_LIMITED]: 'Too many requests from this client; retry after the seconds in Retry-After',
};

/** Library messages start with their class name (`ThrottlerException: …`), which is no business of a client's. */
function withoutClassName(message: string | undefined): string | undefined {
  return message?.replace(/^[A-Z][A-Za-z]*(?:Exception|Error): /, '');
}

/** A Fastify error (`FST_ERR_…`) that reached the filter unwrapped; Nest wraps most in HttpException. */
function fastifyErrorStatus(e: unknown): number | null {
  if (!(e instanceof Error) || e.name !== 'FastifyError') return null;
  const status = (e as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : null;
}

function fromClientStatus(status: number, detail: string | undefined): ProblemDetails {
  const code = CODE_OF_STATUS[status];
  return code !== undefined ? fromCode(code, DETAIL_OF_CODE[code] ?? detail ?? '') : fromStatus(status, detail);
}

/** The problem for an error: domain codes, an unreachable chain, Nest HTTP errors, Fastify's request errors, else a bare 500. */
export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) return fromCode(error.code, error.message, error.extensions);
  if (error instanceof ChainUnavailableError) return fromCode(ErrorCode.CHAIN_UNAVAILABLE, error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return fromClientStatus(status, withoutClassName(typeof message === 'string' ? message : undefined));
  }
  const status = fastifyErrorStatus(error);
  if (status !== null && status >= 400 && status < 500) return fromClientStatus(status, withoutClassName((error as Error).message));
  // The database going away is no bug of ours: the client may retry, and nothing half-written remains.
  if (isDatabaseUnavailable(error)) return toProblem(databaseUnavailable());
  return fromStatus(500, 'An unexpected error occurred');
}

const logger = new Logger('ProblemDetails');

/** Fastify's reply, or node's response where no reply exists yet (errors of Nest middleware). */
function isFastifyReply(res: HttpResponse | ServerResponse): res is HttpResponse {
  return 'raw' in res;
}

/** Writes `error` as an RFC 9457 response; the one place where errors become HTTP responses. */
export function sendProblem(error: unknown, req: HttpRequest | IncomingMessage, res: HttpResponse | ServerResponse): void {
  const problem = toProblem(error);
  // A database away is an outage the access log and /readyz show, not a bug: no error line per request.
  if (
    problem.status >= 500 &&
    !(error instanceof DomainError) &&
    !(error instanceof ChainUnavailableError) &&
    !isDatabaseUnavailable(error)
  ) {
    // Message and stack only: database errors carry query parameters, which may hold customer data.
    const e = error instanceof Error ? error : new Error(String(error));
    logger.error({ err: { type: e.name, message: e.message, stack: e.stack }, path: requestPath(req) }, 'request failed');
  }
  // toProblem builds a new object per error, so `instance` goes onto it in place: a spread copy
  // would cost a copy and a slower serialization, on every refused request.
  problem.instance = requestPath(req);
  const body = JSON.stringify(problem);
  // Problems may echo what was sent (a reference, a field): never kept by caches.
  const headers: Record<string, string> = { 'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, 'Cache-Control': 'no-store' };
  if (problem.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  // Errors that say when to come back (503 overload or outage, 429) carry it as the standard header too.
  if (typeof problem.retryAfter === 'number') headers['Retry-After'] = String(problem.retryAfter);
  if (isFastifyReply(res)) {
    // Through the reply, so that headers set on it before the error (Retry-After of the throttler) are sent.
    if (res.sent) return;
    void res.code(problem.status).headers(headers).send(body);
    return;
  }
  if (res.headersSent) return;
  res.statusCode = problem.status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The one place where errors become HTTP responses. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<HttpRequest | IncomingMessage>(), http.getResponse<HttpResponse | ServerResponse>());
  }
}
