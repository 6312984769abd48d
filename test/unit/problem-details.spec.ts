/**
 * How failures become RFC 9457 problems: domain codes keep their status, the database going away
 * is a 503 with Retry-After (never a 500), and anything else is a bare 500 that names nothing
 * internal. The database errors are built as `pg` raises them, since a lost connection cannot be
 * caused here without a server to lose.
 */
import { createServer, type Server } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { ChainUnavailableError } from '../../proof/errors';
import { DomainError, ErrorCode } from '../../server/errors/domain-error';
import { sendProblem, toProblem } from '../../server/errors/problem-details.filter';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('toProblem', () => {
  it('keeps a domain error its status, code and extensions', () => {
    const problem = toProblem(new DomainError(ErrorCode.ILLEGAL_TRANSITION, 'no', { currentState: 'paid' }));
    expect(problem).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION', detail: 'no', currentState: 'paid' });
  });

  it.each([
    ['a session terminated by the administrator (57P01)', new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection'))],
    ['the server shutting down (57P03)', pgError('57P03', 'the database system is shutting down')],
    ['a connection exception (08006)', pgError('08006', 'connection failure')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection ended mid-query', new Error('Connection terminated unexpectedly')],
  ])('answers 503 with Retry-After for %s', (_, error) => {
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: 1 });
  });

  it('answers an unreadable chain 503 CHAIN_UNAVAILABLE, from wherever it was raised', () => {
    const problem = toProblem(new ChainUnavailableError('eth_chainId: no answer from the chain within 10 ms'));
    expect(problem).toMatchObject({ status: 503, code: 'CHAIN_UNAVAILABLE', detail: 'eth_chainId: no answer from the chain within 10 ms' });
  });

  it('answers the throttler 429 RATE_LIMITED without its class name', () => {
    const problem = toProblem(new ThrottlerException());
    expect(problem).toMatchObject({ status: 429, code: 'RATE_LIMITED', type: 'urn:ordertrace:problem:rate-limited' });
    expect(JSON.stringify(problem)).not.toMatch(/Exception/);
  });

  it('keeps class names of library errors out of the detail', () => {
    expect(toProblem(new BadRequestException('SomeLibraryError: the thing was off')).detail).toBe('the thing was off');
  });

  it('answers any other failure 500 without naming what failed', () => {
    const problem = toProblem(new QueryFailedError('INSERT INTO secrets', ['Jane Doe'], pgError('23514', 'check constraint')));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/secrets|Jane|QueryFailedError|23514/);
  });
});

describe('DomainError', () => {
  it('carries no stack frames and leaves the stack limit of other errors as it was', () => {
    const limit = Error.stackTraceLimit;
    const e = new DomainError(ErrorCode.VALIDATION_FAILED, 'slug: slug must be a string');
    expect(e.stack).toBe('DomainError: slug: slug must be a string');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('other').stack).toMatch(/\n\s+at /);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('sendProblem', () => {
  let server: Server;
  let url: string;
  let next: unknown;

  beforeAll(async () => {
    server = createServer((req, res) => sendProblem(next, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/v1/orders`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends Retry-After with a 503 of the database and a 429 of a brand, as the standard header', async () => {
    next = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    let res = await fetch(url);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    next = new DomainError(ErrorCode.RATE_LIMITED, 'slow down', { retryAfter: 3 });
    res = await fetch(url);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({ code: 'RATE_LIMITED', instance: '/v1/orders' });
  });

  it('sends no Retry-After where there is nothing to wait for', async () => {
    next = new DomainError(ErrorCode.ORDER_NOT_FOUND, 'No order');
    const res = await fetch(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('retry-after')).toBeNull();
  });
});
