import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidField } from '../errors/domain-error';
import { sendProblem } from '../errors/problem-details.filter';

const hasLoneSurrogate = (s: string): boolean => !(s as string & { isWellFormed(): boolean }).isWellFormed();

/** Why a decoded path or query value cannot be used, or null. */
function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the character U+0000';
  if (hasLoneSurrogate(value)) return 'must be Unicode text (it holds a lone surrogate)';
  return null;
}

/** The first path segment or query parameter that holds text no column can store, as its field name. */
function firstBadValue(values: unknown): { field: string; problem: string } | null {
  if (typeof values !== 'object' || values === null) return null;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const problem = textProblem(name);
    if (problem !== null) return { field: name.split('\u0000').join('\\u0000'), problem };
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      const found = typeof item === 'string' ? textProblem(item) : null;
      if (found !== null) return { field: name, problem: found };
    }
  }
  return null;
}

/**
 * Path segments and query parameters holding U+0000 (which PostgreSQL refuses mid-query) or lone
 * surrogates are answered 400 naming the parameter, on every route, before guards or handlers see
 * them. Cheap: a route has a few of them at most.
 */
export function registerRequestUrlChecks(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (req, _reply, done) => {
    // Both can only arrive %-escaped: the HTTP parser refuses a raw NUL and reads raw bytes as Latin-1.
    if (!req.url.includes('%')) {
      done();
      return;
    }
    const bad = firstBadValue(req.params) ?? firstBadValue(req.query);
    done(bad === null ? undefined : invalidField(bad.field, bad.problem));
  });
}

/**
 * Fastify's own answers to URLs it cannot route (a %-escape that is not UTF-8, say), as problems
 * like every other error: pass as the `frameworkErrors` option of the adapter.
 */
export function answerFrameworkError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    sendProblem(invalidField('path', 'is not a valid URL: a %-escape does not decode to UTF-8 text'), req, reply);
    return;
  }
  sendProblem(error, req, reply);
}
