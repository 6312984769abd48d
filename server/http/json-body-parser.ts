import { isUtf8 } from 'node:buffer';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { malformed, parseStrictJson } from './strict-json';

/** `application/json` and structured `+json` types, with or without parameters; any other body is answered 415. */
const JSON_TYPE = /^application\/(?:[\w!#$&^.-]+\+)?json(?:;|$)/i;

/** Where BodyLimit() leaves a route's own limit for the onRoute hook below. */
const BODY_LIMIT_CONFIG = 'ordertraceBodyLimit';

/** Body limits of their own, named by routes and set from the configuration at start. */
export type NamedBodyLimit = 'bulk';

/**
 * A route's own largest body instead of BODY_LIMIT: a number of bytes, or the name of a configured
 * limit (`@BodyLimit('bulk')` takes BULK_BODY_LIMIT). Larger bodies are answered 413 like any other.
 */
export const BodyLimit = (limit: number | NamedBodyLimit): MethodDecorator => RouteConfig({ [BODY_LIMIT_CONFIG]: limit });

/**
 * The JSON text of a body as an object or array, refusing what the service cannot store and hash
 * exactly as sent (parseStrictJson). `text` is decoded from valid UTF-8, so lone surrogates can
 * only arrive as `\u` escapes, which the strict parser judges.
 */
export function parseJsonBody(text: string): unknown {
  // An empty body is an empty object, as it always was for JSON requests.
  if (text.length === 0) return {};
  const first = /\S/.exec(text)?.[0];
  // Strict, like the API documents: a body is an object (or array), never a bare string or number.
  if (first !== '{' && first !== '[')
    throw malformed(`a body must be a JSON object, not ${first === undefined ? 'blank' : 'a bare value'}`);
  return parseStrictJson(text);
}

/** A body's bytes as its value: UTF-8 (other bytes would become U+FFFD silently), then parseJsonBody. */
export function readJsonBody(body: Buffer): unknown {
  if (!isUtf8(body)) throw malformed('the body is not UTF-8 text');
  return parseJsonBody(body.toString('utf8'));
}

function refuseUnreadable(req: FastifyRequest): void {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Content-Encoding "${encoding}" is not accepted; send the body uncompressed`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `The charset "${charset}" is not accepted; send UTF-8`);
  }
}

/**
 * Makes JSON the only request body Fastify accepts: bodies are read once up to the route's limit
 * (BODY_LIMIT unless the route sets BodyLimit()) and parsed by parseJsonBody. Fastify answers other
 * media types 415 and larger bodies 413; like the parse errors here, they reach ProblemDetailsFilter.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, namedLimits: Readonly<Record<NamedBodyLimit, number>>): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    try {
      refuseUnreadable(req);
      done(null, readJsonBody(body));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as Record<string, unknown> | undefined)?.[BODY_LIMIT_CONFIG];
    if (typeof limit === 'number') route.bodyLimit = limit;
    else if (typeof limit === 'string') route.bodyLimit = namedLimits[limit as NamedBodyLimit];
  });
}
