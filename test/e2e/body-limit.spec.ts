/**
 * A route may carry its own body limit (BodyLimit), larger or smaller than the application's;
 * the JSON parser of the service enforces it and answers 413 as a problem. A real Fastify
 * application with the service's parser and problem filter, and two routes of its own.
 */
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Module } from '@nestjs/common';
import request from 'supertest';
import { ProblemDetailsFilter } from '../../server/errors/problem-details.filter';
import { BodyLimit, registerJsonBodyParser } from '../../server/http/json-body-parser';

const APP_LIMIT = 1024;
const BULK_LIMIT = 4 * 1024;
const NAMED_LIMIT = 2 * 1024;

@Controller()
class SizesController {
  @Post('single')
  @HttpCode(201)
  single(@Body() body: { blob: string }): { length: number } {
    return { length: body.blob.length };
  }

  @Post('bulk')
  @HttpCode(201)
  @BodyLimit(BULK_LIMIT)
  bulk(@Body() body: { blob: string }): { length: number } {
    return { length: body.blob.length };
  }

  @Post('named')
  @HttpCode(201)
  @BodyLimit('bulk')
  named(@Body() body: { blob: string }): { length: number } {
    return { length: body.blob.length };
  }
}

@Module({ controllers: [SizesController] })
class SizesModule {}

let app: NestFastifyApplication;

beforeAll(async () => {
  app = await NestFactory.create<NestFastifyApplication>(SizesModule, new FastifyAdapter({ bodyLimit: APP_LIMIT }), {
    bodyParser: false,
    logger: false,
  });
  registerJsonBodyParser(app.getHttpAdapter().getInstance(), { bulk: NAMED_LIMIT });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
});

/** A JSON body of exactly `size` bytes. */
function bodyOf(size: number): string {
  return JSON.stringify({ blob: 'x'.repeat(size - '{"blob":""}'.length) });
}

const post = (path: string, size: number) =>
  request(app.getHttpServer()).post(path).set('Content-Type', 'application/json').send(bodyOf(size));

it('answers a body over the application limit with a 413 problem on an ordinary route', async () => {
  await post('/single', APP_LIMIT).expect(201);
  const res = await post('/single', APP_LIMIT + 1).expect(413);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', instance: '/single' });
});

it('lets a route with its own limit take bodies up to that limit, and no more', async () => {
  const ok = await post('/bulk', BULK_LIMIT).expect(201);
  expect(ok.body).toEqual({ length: BULK_LIMIT - '{"blob":""}'.length });
  const res = await post('/bulk', BULK_LIMIT + 1).expect(413);
  expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', instance: '/bulk' });
});

it('takes a named limit from the configuration given at start (BULK_BODY_LIMIT for POST /v1/bulk)', async () => {
  await post('/named', NAMED_LIMIT).expect(201);
  const res = await post('/named', NAMED_LIMIT + 1).expect(413);
  expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', instance: '/named' });
});
