/**
 * `npm run demo`: two shops — a Chinese tea house and an English outfitter — with orders along every
 * lifecycle path (delivered and confirmed by the consumer, cancelled and refunded, returned and
 * refunded, an address change, one still open), recorded through the typed client against the
 * embedded default (or a running service with --api). Waits until every event is anchored, then
 * writes each order's QR code, a proof bundle and an evidence PDF to a folder and prints the
 * verifier links. Progress on stderr; the summary on stdout (JSON with --json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Client, createOrdertraceClient, type paths } from '../../client';
import { createApp } from '../../server/app.factory';
import { loadAppConfig } from '../../server/config/load-app-config';

type Api = Client<paths>;

interface DemoOptions {
  out: string;
  dataDir: string;
  port: number;
  api: string | null;
  adminToken: string | null;
  exit: boolean;
  json: boolean;
}

const HELP = `Usage: npm run demo -- [options]

Seeds two shops with orders along every lifecycle path, waits until they are anchored, and writes
QR codes, proof bundles and an evidence PDF to a folder.

Options:
  --out <dir>           where to write the files (default: demo-output)
  --data-dir <dir>      the embedded service's data folder (default: .ordertrace-demo)
  --port <n>            the embedded service's port (default: PORT or 3000; 0 picks a free one)
  --api <url>           seed a running service instead of starting one (needs --admin-token)
  --admin-token <t>     that service's admin token
  --exit                stop the embedded service when done (default: keep serving until Ctrl-C)
  --json                print the summary as JSON
  --help                show this help
`;

function parseArgs(argv: readonly string[]): DemoOptions | 'help' {
  const options: DemoOptions = {
    out: 'demo-output',
    dataDir: '.ordertrace-demo',
    port: Number(process.env.PORT ?? 3000),
    api: null,
    adminToken: null,
    exit: false,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--out') options.out = value();
    else if (arg === '--data-dir') options.dataDir = value();
    else if (arg === '--port') options.port = Number(value());
    else if (arg === '--api') options.api = value().replace(/\/+$/, '');
    else if (arg === '--admin-token') options.adminToken = value();
    else if (arg === '--exit') options.exit = true;
    else if (arg === '--json') options.json = true;
    else throw new Error(`unknown option ${arg} (see --help)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be 0 to 65535');
  if (options.api !== null && options.adminToken === null) throw new Error('--api needs --admin-token');
  return options;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

const progress = (line: string): void => void process.stderr.write(`demo: ${line}\n`);

/** The data of a call, or an error naming the call and the service's problem. */
async function ok<T>(what: string, call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (data === undefined || data === null) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(error)}`);
  return data;
}

interface Step {
  type: 'paid' | 'allocated' | 'packed' | 'shipped' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'address_changed';
  data?: Record<string, string>;
  sealed?: Record<string, unknown>;
}
type Path = (
  Step | 'consumer-receipt' | { type: 'cancelled' | 'return_requested' | 'returned' | 'refunded'; data?: Record<string, string> }
)[];

interface DemoOrder {
  shop: 'tea' | 'outfitter';
  reference: string;
  story: string;
  create: Parameters<Api['POST']>[1] extends infer _ ? Record<string, unknown> : never;
  path: Path;
}

const SF = { carrier: '顺丰速运', trackingNo: 'SF1402837465921' };
const DHL = { carrier: 'DHL', trackingNo: 'JD014600004512' };

function orders(run: string): DemoOrder[] {
  return [
    {
      shop: 'tea',
      reference: `QH-${run}-001`,
      story: 'delivered, receipt confirmed by the consumer (中文)',
      create: {
        data: {
          channel: '天猫旗舰店',
          items: [
            { name: '明前龙井 250g', qty: 2 },
            { name: '紫砂壶', qty: 1 },
          ],
          total: '1,268.00 CNY',
        },
        customer: { name: '王小明', phone: '+86 138 0013 8000' },
        shippingAddress: {
          name: '王小明',
          line1: '西湖区文三路 398 号',
          city: '杭州市',
          region: '浙江省',
          postalCode: '310013',
          country: 'CN',
        },
        lineItems: [
          { sku: 'LJ-250', name: '明前龙井 250g', quantity: 2, unitPrice: '399.00', currency: 'CNY' },
          { sku: 'ZS-01', name: '紫砂壶', quantity: 1, unitPrice: '470.00', currency: 'CNY' },
        ],
      },
      path: [
        { type: 'paid', data: { method: '支付宝' } },
        { type: 'allocated', data: { warehouse: '杭州仓' } },
        { type: 'packed' },
        { type: 'shipped', data: SF },
        { type: 'in_transit', data: { place: '杭州转运中心' } },
        { type: 'out_for_delivery', data: { place: '西湖区营业部' } },
        { type: 'delivered', data: { place: '小区快递柜' } },
        'consumer-receipt',
      ],
    },
    {
      shop: 'tea',
      reference: `QH-${run}-002`,
      story: 'address changed before shipping, in transit (中文)',
      create: {
        data: { channel: '微信小程序', items: [{ name: '白毫银针 100g', qty: 1 }], total: '328.00 CNY' },
        shippingAddress: { line1: '朝阳区建国路 88 号', city: '北京市', country: 'CN' },
      },
      path: [
        { type: 'paid', data: { method: '微信支付' } },
        { type: 'address_changed', sealed: { newAddress: { line1: '海淀区中关村大街 27 号', city: '北京市', country: 'CN' } } },
        { type: 'packed' },
        { type: 'shipped', data: SF },
        { type: 'in_transit', data: { place: '北京顺义集散中心' } },
      ],
    },
    {
      shop: 'outfitter',
      reference: `NW-${run}-101`,
      story: 'cancelled after payment and refunded',
      create: {
        data: { channel: 'web', items: [{ name: 'Merino trail jacket', qty: 1 }], total: '189.00 GBP' },
        customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      },
      path: [
        { type: 'paid', data: { method: 'card' } },
        { type: 'cancelled', data: { reason: 'customer request' } },
        { type: 'refunded', data: { amount: '189.00 GBP' } },
      ],
    },
    {
      shop: 'outfitter',
      reference: `NW-${run}-102`,
      story: 'delivered, returned and refunded',
      create: {
        data: { channel: 'app', items: [{ name: 'Waxed canvas rucksack', qty: 1 }], total: '120.00 GBP' },
        shippingAddress: { name: 'Alan Turing', line1: '2 Bletchley Park', city: 'Milton Keynes', postalCode: 'MK3 6EB', country: 'GB' },
      },
      path: [
        { type: 'paid', data: { method: 'paypal' } },
        { type: 'packed' },
        { type: 'shipped', data: DHL },
        { type: 'delivered' },
        { type: 'return_requested', data: { reason: 'wrong size' } },
        { type: 'returned', data: { place: 'Leeds returns centre' } },
        { type: 'refunded', data: { amount: '120.00 GBP' } },
      ],
    },
    {
      shop: 'outfitter',
      reference: `NW-${run}-103`,
      story: 'paid, waiting to be packed',
      create: { data: { channel: 'web', items: [{ name: 'Wool socks (3 pairs)', qty: 2 }], total: '36.00 GBP' } },
      path: [{ type: 'paid', data: { method: 'card' } }],
    },
  ];
}

export interface DemoSummary {
  service: string;
  out: string;
  seconds: number;
  orders: { reference: string; shop: string; story: string; id: string; events: number; verifierUrl: string; qr: string; bundle: string }[];
  evidencePdf: string;
}

/** The consumer link's token: links are `…#o=<id>&t=<token>&api=…`. */
function linkToken(url: string): string {
  const token = new URLSearchParams(url.slice(url.indexOf('#') + 1)).get('t');
  if (token === null) throw new Error(`no token in the link ${url}`);
  return token;
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  let app: NestFastifyApplication | null = null;
  let baseUrl = options.api;
  let adminToken = options.adminToken;
  try {
    if (baseUrl === null) {
      progress(`starting the embedded service in ${options.dataDir} (PGlite and a dev chain)…`);
      // The links name the port, so it is known before the service is configured.
      const port = options.port === 0 ? await freePort() : options.port;
      const config = loadAppConfig({
        ...process.env,
        ORDERTRACE_DATA_DIR: resolve(options.dataDir),
        PORT: String(port),
        HOST: '127.0.0.1',
        BATCH_MAX_WAIT_MS: process.env.BATCH_MAX_WAIT_MS ?? '1000',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        DATABASE_URL: '',
        CHAIN_RPC_URL: '',
      });
      app = await createApp(config);
      await app.listen(config.http.port, config.http.host);
      const address = app.getHttpServer().address();
      baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : config.http.port}`;
      adminToken = config.admin.adminToken;
    }
    const service = baseUrl;
    const operator = createOrdertraceClient({ baseUrl: service, token: adminToken ?? undefined });
    const run = new Date().toISOString().replace(/\D/g, '').slice(2, 12);
    const shops = {
      tea: await ok('tea shop', operator.POST('/v1/brands', { body: { slug: `qinghe-${run}`, name: '青禾茶舍' } })),
      outfitter: await ok('outfitter', operator.POST('/v1/brands', { body: { slug: `northwind-${run}`, name: 'Northwind Outfitters' } })),
    };
    const clients: Record<'tea' | 'outfitter', Api> = {
      tea: createOrdertraceClient({
        baseUrl: service,
        token: (await ok('tea key', operator.POST('/v1/brands/{id}/keys', { params: { path: { id: shops.tea.id } }, body: {} }))).key,
      }),
      outfitter: createOrdertraceClient({
        baseUrl: service,
        token: (
          await ok('outfitter key', operator.POST('/v1/brands/{id}/keys', { params: { path: { id: shops.outfitter.id } }, body: {} }))
        ).key,
      }),
    };
    const consumer = createOrdertraceClient({ baseUrl: service });

    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    const recorded: (DemoSummary['orders'][number] & { shopClient: Api })[] = [];
    for (const order of orders(run)) {
      const api = clients[order.shop];
      const created = await ok(order.reference, api.POST('/v1/orders', { body: { reference: order.reference, ...order.create } as never }));
      const link = await ok(`${order.reference} link`, api.POST('/v1/orders/{id}/qr', { params: { path: { id: created.id } } }));
      let events = 1;
      for (const step of order.path) {
        if (step === 'consumer-receipt') {
          await ok(
            `${order.reference} receipt`,
            consumer.POST('/public/orders/{id}/receipt', {
              params: { path: { id: created.id }, header: { 'x-order-token': linkToken(link.url) } as never },
            }),
          );
        } else {
          await ok(
            `${order.reference} ${step.type}`,
            api.POST('/v1/orders/{id}/events', { params: { path: { id: created.id } }, body: step as never }),
          );
        }
        events++;
      }
      progress(`${order.reference}: ${events} events (${order.story})`);
      recorded.push({
        reference: order.reference,
        shop: order.shop === 'tea' ? '青禾茶舍' : 'Northwind Outfitters',
        story: order.story,
        id: created.id,
        events,
        verifierUrl: link.url,
        qr: join(out, `${order.reference}-qr.png`),
        bundle: join(out, `${order.reference}-bundle.json`),
        shopClient: api,
      });
    }

    progress('waiting until every event is anchored…');
    for (const order of recorded) {
      for (let attempt = 0; ; attempt++) {
        const { items } = await ok('events', order.shopClient.GET('/v1/orders/{id}/events', { params: { path: { id: order.id } } }));
        if (items.length === order.events && items.every((e) => e.status === 'anchored')) break;
        if (attempt >= 600) throw new Error(`${order.reference} was not anchored within two minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    progress(`writing QR codes, bundles and an evidence PDF to ${out}…`);
    for (const order of recorded) {
      const qr = await order.shopClient.GET('/v1/orders/{id}/qr.png', { params: { path: { id: order.id } }, parseAs: 'arrayBuffer' });
      if (qr.data === undefined) throw new Error(`${order.reference} QR: HTTP ${qr.response.status}`);
      writeFileSync(order.qr, Buffer.from(qr.data));
      const bundle = await ok('bundle', order.shopClient.GET('/v1/orders/{id}/bundle', { params: { path: { id: order.id } } }));
      writeFileSync(order.bundle, `${JSON.stringify(bundle, null, 2)}\n`);
    }
    const first = recorded[0];
    const pdf = await first.shopClient.GET('/v1/orders/{id}/evidence.pdf', {
      params: { path: { id: first.id }, query: { disclose: 'all' } },
      parseAs: 'arrayBuffer',
    });
    if (pdf.data === undefined) throw new Error(`evidence PDF: HTTP ${pdf.response.status}`);
    const evidencePdf = join(out, `${first.reference}-evidence.pdf`);
    writeFileSync(evidencePdf, Buffer.from(pdf.data));

    return {
      service,
      out,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      orders: recorded.map(({ shopClient: _client, ...o }) => o),
      evidencePdf,
    };
  } catch (e) {
    await app?.close();
    app = null;
    throw e;
  } finally {
    if (app !== null && options.exit) await app.close();
    if (app !== null && !options.exit) {
      const running = app;
      progress('the service keeps running for the links above; Ctrl-C stops it');
      const stop = (): void => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
  }
}

function printSummary(summary: DemoSummary): void {
  const lines = [`Seeded ${summary.orders.length} orders in ${summary.seconds} s against ${summary.service}; files in ${summary.out}`, ''];
  for (const o of summary.orders) {
    lines.push(`${o.reference}  ${o.shop}: ${o.story}, ${o.events} events`, `  verifier: ${o.verifierUrl}`, `  QR code:  ${o.qr}`);
  }
  lines.push('', `Evidence PDF (with private fields disclosed): ${summary.evidencePdf}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  let parsed: DemoOptions | 'help';
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
  } else {
    const options = parsed;
    runDemo(options).then(
      (summary) => (options.json ? process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`) : printSummary(summary)),
      (e: unknown) => {
        process.stderr.write(`demo: failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  }
}
