/**
 * `npm run demo` on the embedded default: two shops, every lifecycle path, everything anchored, and
 * the files it promises — QR codes, proof bundles and an evidence PDF in Chinese.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pdfText } from '../support/pdf-text';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

interface Summary {
  service: string;
  seconds: number;
  orders: { reference: string; shop: string; id: string; events: number; verifierUrl: string; qr: string; bundle: string }[];
  evidencePdf: string;
}

describe('npm run demo', () => {
  jest.setTimeout(240_000);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ordertrace-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds every lifecycle path in Chinese and English, anchored, and writes QR codes, bundles and an evidence PDF', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        join(ROOT, 'dist/scripts/demo/index.js'),
        '--out',
        join(dir, 'out'),
        '--data-dir',
        join(dir, 'data'),
        '--port',
        '0',
        '--exit',
        '--json',
      ],
      { cwd: ROOT, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), NODE_OPTIONS: '' }, timeout: 200_000 },
    );
    expect(stderr).toMatch(/waiting until every event is anchored/);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.orders).toHaveLength(5);
    expect(new Set(summary.orders.map((o) => o.shop))).toEqual(new Set(['青禾茶舍', 'Northwind Outfitters']));
    const port = new URL(summary.service).port;

    const types = new Set<string>();
    const sources = new Set<string>();
    for (const order of summary.orders) {
      // The link opens this service's page for this order.
      const link = new URL(order.verifierUrl);
      expect(link.port).toBe(port);
      expect(new URLSearchParams(link.hash.slice(1)).get('o')).toBe(order.id);
      expect(readFileSync(order.qr).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      const bundle = JSON.parse(readFileSync(order.bundle, 'utf8')) as {
        order: string;
        events: { record: { type: string; data: Record<string, unknown> }; anchor?: { txHash: string } }[];
      };
      expect(bundle.order).toBe(order.id);
      expect(bundle.events).toHaveLength(order.events);
      for (const event of bundle.events) {
        expect(event.anchor?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
        types.add(event.record.type);
        sources.add(String(event.record.data['ordertrace:source']).split(':')[0]);
      }
    }
    // Delivery and the consumer's receipt, cancellation, return and refund, an address change.
    for (const type of ['delivered', 'received', 'cancelled', 'return_requested', 'returned', 'refunded', 'address_changed']) {
      expect(types).toContain(type);
    }
    expect(sources).toEqual(new Set(['api', 'consumer']));

    const text = await pdfText(readFileSync(summary.evidencePdf));
    expect(text).toContain('天猫旗舰店');
    expect(text).toContain('顺丰速运');
    expect(text).toContain('王小明');
  });
});
