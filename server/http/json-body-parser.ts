import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../errors/domain-error';

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

/** Keys the rest of the pipeline would drop silently (ValidationPipe, class-transformer). */
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Text worth a reviver pass: it could hold a refused key, or spell one with `\u` escapes. */
const SUSPECT_TEXT = /__proto__|constructor|prototype|\\u/;

function malformed(message: string): DomainError {
  return new DomainError(ErrorCode.MALFORMED_JSON, `The body is not valid JSON: ${message}`);
}

/**
 * What is hashed must be exactly what was sent, and Nest's pipeline silently deletes these keys
 * wherever they are (they are also the prototype-poisoning shapes), so such a body is refused
 * instead, as malformed JSON naming the key.
 */
function refuseDroppedKeys(key: string, value: unknown): unknown {
  if (REFUSED_KEYS.has(key)) throw malformed(`the key "${key}" is not accepted`);
  return value;
}

/** The JSON text of a body as an object or array, refusing what the service cannot hash faithfully. */
export function parseJsonBody(text: string): unknown {
  // An empty body is an empty object, as it always was for JSON requests.
  if (text.length === 0) return {};
  const first = /\S/.exec(text)?.[0];
  // Strict, like the API documents: a body is an object (or array), never a bare string or number.
  if (first !== '{' && first !== '[')
    throw malformed(`a body must be a JSON object, not ${first === undefined ? 'blank' : 'a bare value'}`);
  try {
    return SUSPECT_TEXT.test(text) ? (JSON.parse(text, refuseDroppedKeys) as unknown) : (JSON.parse(text) as unknown);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw malformed(e instanceof Error ? e.message : String(e));
  }
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
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (req, body: string, done) => {
    try {
      refuseUnreadable(req);
      done(null, parseJsonBody(body));
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
