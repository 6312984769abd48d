/**
 * /metrics: Prometheus text exposition of requests, events, sealing and anchoring, the anchoring
 * account and the process, readable with METRICS_TOKEN or the admin token and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '../support/anchoring-fixture';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestBrand, waitOrderAnchored } from '../support/app';
import { parseExposition, type Sample, sampleValue } from '../support/prometheus';

describe('GET /metrics', () => {
  jest.setTimeout(120_000);
  const metricsToken = `metrics-${randomBytes(12).toString('hex')}`;
  let fx: AnchoringTestApp;
  let brand: TestBrand;

  beforeAll(async () => {
    fx = await startAnchoringTestApp({ METRICS_TOKEN: metricsToken });
    brand = await createBrand(fx.t);
  });
  afterAll(async () => {
    await fx?.close();
  });

  const scrape = async (token = metricsToken): Promise<Sample[]> => {
    const res = await fx.t.http
      .get('/metrics')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    return parseExposition(res.text);
  };

  it('is refused without the metrics or admin token, and the metrics token opens nothing else', async () => {
    await fx.t.http.get('/metrics').expect(401);
    await fx.t.http
      .get('/metrics')
      .set({ Authorization: `Bearer ${brand.key}` })
      .expect(403);
    await fx.t.http
      .post('/v1/brands')
      .set({ Authorization: `Bearer ${metricsToken}` })
      .send({ slug: 'metrics-only', name: 'No' })
      .expect(401);
    await scrape(fx.t.adminToken);
  });

  it('counts requests by route pattern, events accepted, batches sealed and anchored, and reads the anchoring state', async () => {
    const before = await scrape();
    const accepted0 = sampleValue(before, 'ordertrace_events_accepted_total') ?? 0;
    const created0 = sampleValue(before, 'ordertrace_http_requests_total', { route: '/v1/orders', method: 'POST', status: '201' }) ?? 0;
    const anchored0 = sampleValue(before, 'ordertrace_batches_anchored_total') ?? 0;

    const order = await fx.t.http.post('/v1/orders').set(brand.auth).send({ reference: 'M-1' }).expect(201);
    const orderId = (order.body as { id: string }).id;
    for (const type of ['paid', 'packed']) {
      await fx.t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send({ type }).expect(201);
    }
    await fx.t.http.get(`/v1/orders/${orderId}`).set(brand.auth).expect(200);
    await waitOrderAnchored(fx.t, brand, orderId, 3);

    const after = await waitFor('the anchored batch counted', async () => {
      const samples = await scrape();
      return (sampleValue(samples, 'ordertrace_batches_anchored_total') ?? 0) > anchored0 ? samples : false;
    });
    expect(sampleValue(after, 'ordertrace_events_accepted_total')).toBe(accepted0 + 3);
    expect(sampleValue(after, 'ordertrace_http_requests_total', { route: '/v1/orders', method: 'POST', status: '201' })).toBe(created0 + 1);
    expect(sampleValue(after, 'ordertrace_http_requests_total', { route: '/v1/orders/:id/events', method: 'POST', status: '201' })).toBe(2);
    // Raw paths hold order ids: never a label.
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes(orderId)))).toBe(false);
    expect(sampleValue(after, 'ordertrace_http_request_duration_seconds_count', { route: '/v1/orders/:id/events', method: 'POST' })).toBe(
      2,
    );
    expect(sampleValue(after, 'ordertrace_events_sealed_total')).toBeGreaterThanOrEqual(3);
    expect(sampleValue(after, 'ordertrace_batches_sealed_total')).toBeGreaterThanOrEqual(1);

    expect(sampleValue(after, 'ordertrace_database_up')).toBe(1);
    expect(sampleValue(after, 'ordertrace_anchoring_leader')).toBe(1);
    expect(sampleValue(after, 'ordertrace_anchoring_oldest_unanchored_seconds')).toBe(0);
    expect(sampleValue(after, 'ordertrace_anchoring_stalled')).toBe(0);
    expect(sampleValue(after, 'ordertrace_anchor_account_balance_wei')).toBeGreaterThan(0);
    expect(sampleValue(after, 'ordertrace_anchoring_round_failures_total') ?? 0).toBe(0);
    // Process figures, and the event loop's delay.
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('shows the anchoring lag while events wait, and counts failing rounds when the chain is gone', async () => {
    await fx.chain.stop();
    const order = await fx.t.http.post('/v1/orders').set(brand.auth).send({ reference: 'M-2' }).expect(201);
    expect((order.body as { id: string }).id).toBeDefined();
    const samples = await waitFor('a failed round counted', async () => {
      const s = await scrape();
      return (sampleValue(s, 'ordertrace_anchoring_round_failures_total', { cause: 'rpc' }) ?? 0) > 0 ? s : false;
    });
    expect(sampleValue(samples, 'ordertrace_anchoring_oldest_unanchored_seconds')).toBeGreaterThan(0);
  });
});
