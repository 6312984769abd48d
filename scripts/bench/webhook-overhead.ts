/**
 * What webhooks add to the ingest path, in CPU time of the service process per event: the same
 * writes for a brand without webhooks and for a brand whose endpoint takes every message type,
 * alternated round by round, through OrdersService in process (no HTTP client competing for the CPU).
 * Deliveries do not run meanwhile (WEBHOOK_POLL_MS is long): this is the cost of the outbox alone.
 * Needs PostgreSQL at 127.0.0.1:5432. `npx ts-node --transpile-only scripts/bench/webhook-overhead.ts`
 */
import { randomUUID } from 'node:crypto';
import type { BrandPrincipal } from '../../server/auth/brand-principal';
import { OrdersService } from '../../server/orders/orders.service';
import { createBrand, startTestApp } from '../../test/support/app';
import { median } from '../stats';

const ROUNDS = Number(process.env.ROUNDS ?? 8);
const ORDERS_PER_ROUND = Number(process.env.ORDERS ?? 1000);
const IN_FLIGHT = 50;

async function main(): Promise<void> {
  const t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_POLL_MS: '60000' } });
  try {
    const orders = t.app.get(OrdersService);
    const roles = ['brand:admin', 'brand:write', 'brand:read'];
    const plain = await createBrand(t, undefined, roles);
    const hooked = await createBrand(t, undefined, roles);
    // SAME=1 compares a brand without webhooks with another without: the noise of the measurement.
    if (process.env.SAME !== '1') await t.http.post('/v1/webhooks').set(hooked.auth).send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
    const principal = (b: typeof plain): BrandPrincipal => ({ brandId: b.id, brandSlug: b.slug, keyId: b.keyId, roles: ['brand:write'] });

    const round = async (b: typeof plain, mode: 'single' | 'bulk'): Promise<number> => {
      const p = principal(b);
      const start = process.cpuUsage();
      if (mode === 'single') {
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < ORDERS_PER_ROUND) {
              next += 1;
              await orders.create(p, { reference: randomUUID(), data: { channel: 'web' }, sealed: { email: 'a@example.com' } }, null);
            }
          }),
        );
      } else {
        const items = Array.from({ length: ORDERS_PER_ROUND }, () => ({ order: { reference: randomUUID(), data: { channel: 'web' } } }));
        await orders.bulk(p, { items }, null);
      }
      const used = process.cpuUsage(start);
      return (used.user + used.system) / ORDERS_PER_ROUND;
    };

    for (const mode of ['single', 'bulk'] as const) {
      await round(plain, mode);
      await round(hooked, mode);
      const without: number[] = [];
      const withHook: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        without.push(await round(plain, mode));
        withHook.push(await round(hooked, mode));
      }
      const ratio = median(withHook.map((w, i) => w / without[i]));
      process.stdout.write(
        `${mode}: CPU µs per event without webhooks ${median(without).toFixed(1)}, with ${median(withHook).toFixed(1)}, ` +
          `median ratio of paired rounds ${ratio.toFixed(3)}\n`,
      );
    }
    const messages = await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM webhook_messages`);
    process.stdout.write(`outbox rows written: ${messages[0].n}\n`);
  } finally {
    await t.close();
  }
}

void main();
