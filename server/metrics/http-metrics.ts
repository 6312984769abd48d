import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Counts every answered request and its latency, labelled by the route pattern (never the raw path, which holds ids). */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  // Label lookups hash their values; a request's children are found by one string instead.
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(seconds: number): void }>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const timerKey = `${request.method} ${route}`;
    const counterKey = `${timerKey} ${status}`;
    let counter = counters.get(counterKey);
    if (counter === undefined) counters.set(counterKey, (counter = metrics.httpRequests.labels(request.method, route, status)));
    let timer = timers.get(timerKey);
    if (timer === undefined) timers.set(timerKey, (timer = metrics.httpDuration.labels(request.method, route)));
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });
}
