import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type HttpRequest, type HttpResponse, requestPath } from '../http/http-types';
import { DomainError, ErrorCode } from './domain-error';
import { describeErrorCode, PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType } from './problem-details';

/** Errors of Express's body parser (body-parser / raw-body) carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(e: unknown): e is BodyParserError & Error {
  return (
    e instanceof Error &&
    typeof (e as Partial<BodyParserError>).type === 'string' &&
    typeof (e as Partial<BodyParserError>).status === 'number'
  );
}

function fromCode(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = describeErrorCode(code);
  return { type: problemType(code), title, status, detail, code, ...extensions };
}

function fromStatus(status: number, detail?: string): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  const code = title.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return { type: 'about:blank', title, status, ...(detail ? { detail } : {}), code };
}

/** The problem for an error: domain codes, Nest HTTP errors, body-parser errors, else a bare 500. */
export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) return fromCode(error.code, error.message, error.extensions);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return fromStatus(status, typeof message === 'string' ? message : undefined);
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return fromCode(ErrorCode.MALFORMED_JSON, `The body is not valid JSON: ${error.message}`);
      case 'entity.too.large':
        return fromCode(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body exceeds the size limit');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return fromCode(ErrorCode.UNSUPPORTED_MEDIA_TYPE, error.message);
      default:
        if (error.status >= 400 && error.status < 500) return fromStatus(error.status, error.message);
    }
  }
  return fromStatus(500, 'An unexpected error occurred');
}

const logger = new Logger('ProblemDetails');

/** Writes `error` as an RFC 9457 response; shared by the Nest filter and the body parser. */
export function sendProblem(error: unknown, req: HttpRequest, res: HttpResponse): void {
  const problem = toProblem(error);
  if (problem.status >= 500 && !(error instanceof DomainError)) {
    // Message and stack only: database errors carry query parameters, which may hold customer data.
    const e = error instanceof Error ? error : new Error(String(error));
    logger.error({ err: { type: e.name, message: e.message, stack: e.stack }, path: requestPath(req) }, 'request failed');
  }
  if (res.headersSent) return;
  const body = JSON.stringify({ ...problem, instance: requestPath(req) });
  res.statusCode = problem.status;
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  // Errors that say when to come back (503 overload or outage, 429) carry it as the standard header too.
  if (typeof problem.retryAfter === 'number') res.setHeader('Retry-After', String(problem.retryAfter));
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The one place where errors become HTTP responses. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<HttpRequest>(), http.getResponse<HttpResponse>());
  }
}
