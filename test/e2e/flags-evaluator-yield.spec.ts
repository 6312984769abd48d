/**
 * The flag evaluator yields to saturated ingest, on real PostgreSQL: while every write-group slot has
 * been taken of late (here one slot, its group held on a locked order row) it evaluates one page a
 * poll and leaves the rest; once ingest eases it evaluates everything.
 */
import { FlagEvaluatorService } from '../../server/flags/flag-evaluator.service';
import { OrdersService } from '../../server/orders/orders.service';
import { waitFor } from '../support/anchoring-fixture';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

jest.setTimeout(120_000);

/** Events a page of the evaluator holds (server/flags/flag-evaluator.service.ts). */
const PAGE = 200;

let t: TestApp;
let brand: TestBrand;

beforeAll(async () => {
  t = await startTestApp({ env: { FLAG_EVALUATOR_POLL_MS: '0', INGEST_CONCURRENCY: '1' } });
  brand = await createBrand(t, 'yield-acme', ['brand:write', 'brand:read']);
});

afterAll(async () => {
  await t?.close();
});

/** How many stored events the evaluator's cursor has passed, and how many there are. */
async function progress(): Promise<{ evaluated: number; stored: number }> {
  const [row] = await t.dataSource.query<{ evaluated: number; stored: number }[]>(
    `SELECT count(*) FILTER (WHERE (e.batch_seq, e.batch_index) <= (c.batch_seq, c.batch_index))::int AS evaluated,
            count(*)::int AS stored
       FROM events e, flag_evaluator_cursor c`,
  );
  return row;
}

it('evaluates one page a poll while ingest is saturated, and the rest once it eases', async () => {
  const items = Array.from({ length: 2 * PAGE + 50 }, (_, i) => ({ order: { reference: `Y-${i}` } }));
  const created = await t.http.post('/v1/bulk').set(brand.auth).send({ items }).expect(200);
  const held = created.body.items[0].order.id as string;
  const evaluator = t.app.get(FlagEvaluatorService);
  const orders = t.app.get(OrdersService);
  expect(orders.ingestLoad()).toBeLessThan(0.8);
  expect(await progress()).toMatchObject({ evaluated: 0, stored: 2 * PAGE + 50 });

  // Another transaction locks an order row: the write group appending to it waits for the lock,
  // holding the only write-group slot.
  const blocker = t.dataSource.createQueryRunner();
  await blocker.startTransaction();
  await blocker.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [held]);
  const append = t.http
    .post(`/v1/orders/${held}/events`)
    .set(brand.auth)
    .send({ type: 'paid' })
    .then((r) => r);
  try {
    // The load rises towards 1 as the slot stays taken; past 0.8 ingest counts as saturated.
    await waitFor('ingest to count as saturated', () => Promise.resolve(orders.ingestLoad() >= 0.8), 10_000, 10);
    await evaluator.evaluatePending();
    expect((await progress()).evaluated).toBe(PAGE);
    await evaluator.evaluatePending();
    expect((await progress()).evaluated).toBe(2 * PAGE);
  } finally {
    await blocker.rollbackTransaction();
    await blocker.release();
  }
  expect((await append).status).toBe(201);
  await waitFor('ingest to ease', () => Promise.resolve(orders.ingestLoad() < 0.8), 10_000, 10);

  await evaluator.evaluatePending();
  expect(await progress()).toEqual({ evaluated: 2 * PAGE + 51, stored: 2 * PAGE + 51 });
});
