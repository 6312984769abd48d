/**
 * The evidence PDF, read back with a PDF text extractor: an order from a Chinese shop shows its
 * brand, items and disclosed address as Chinese text, not as \u escapes; and what it says comes
 * from the bundle view (batches once, the verdict, the failing step).
 */
import { bundleFingerprint, renderEvidenceReport } from '../../evidence/evidence-report';
import { verifyBundle } from '../../proof';
import { pdfText } from '../support/pdf-text';
import { buildTestBundle } from '../support/proof-bundle';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function chineseOrder() {
  return buildTestBundle({
    order: 'ord_上海_0001',
    brand: '上海小米旗舰店',
    events: [
      {
        type: 'created',
        data: { items: [{ name: '红米手机保护壳', qty: 2 }], note: '请尽快发货' },
        sealed: { shippingAddress: { city: '北京市', line1: '海淀区中关村大街27号', name: '王小明' }, phone: '13800000000' },
        disclose: ['shippingAddress'],
      },
      { type: 'paid', data: { method: '支付宝' } },
      { type: 'shipped', data: { carrier: '顺丰速运' } },
    ],
    batches: [[0, 1, 2]],
  });
}

// pdf.js may break a run of text where the layout wraps; compare without whitespace.
const flat = (text: string) => text.replace(/\s+/g, '');

describe('evidence report', () => {
  it('writes Chinese brand, items and disclosed address as Chinese text', async () => {
    const { bundle, chain } = chineseOrder();
    const pdf = await renderEvidenceReport({
      bundle,
      verification: await verifyBundle(bundle, chain),
      generatedAt: new Date('2026-11-29T12:00:00.000Z'),
      generator: 'ordertrace test',
    });
    const text = flat(await pdfText(pdf));
    for (const expected of [
      '上海小米旗舰店',
      'ord_上海_0001',
      '红米手机保护壳',
      '请尽快发货',
      '支付宝',
      '顺丰速运',
      '北京市',
      '海淀区中关村大街27号',
      '王小明',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toMatch(/\\u[0-9a-f]{4}/);
    expect(text).not.toContain('13800000000'); // sealed, not disclosed
    expect(text).toContain('VERIFIED');
    expect(text).toContain(bundleFingerprint(bundle));
    // One batch holds all three events: it is described once.
    expect(text.match(/Batch1:eventsseq1,2,3/g)).toHaveLength(1);
    expect(pdf.length).toBeLessThan(400 * 1024);
  });

  it('says which private fields the issuer erased, and still reports the bundle verified', async () => {
    const { bundle, chain } = chineseOrder();
    const erased = clone(bundle);
    delete erased.events[0].disclosed;
    erased.events[0].erased = ['phone', 'shippingAddress'];
    const text = flat(
      await pdfText(
        await renderEvidenceReport({
          bundle: erased,
          verification: await verifyBundle(erased, chain),
          generatedAt: new Date(),
          generator: 'test',
        }),
      ),
    );
    expect(text).toContain('phone:erasedbytheissuer(commitment');
    expect(text).toContain('shippingAddress:erasedbytheissuer(commitment');
    expect(text).not.toContain('王小明');
    expect(text).toContain('VERIFIED');
  });

  it('escapes only what its font cannot show, so nothing in the bundle is silently dropped', async () => {
    const { bundle } = buildTestBundle({ brand: 'acme', events: [{ type: 'created', data: { gift: 'cake 🎂 for Zoë' } }], batches: [] });
    const text = flat(
      await pdfText(await renderEvidenceReport({ bundle, verification: null, generatedAt: new Date(), generator: 'test' })),
    );
    expect(text).toContain('gift:cake\\u{1f382}forZoë');
    expect(text).toContain('NOTCHECKEDAGAINSTACHAIN');
  });

  it('names the failing event and step of a tampered bundle, with the steps as they came out', async () => {
    const { bundle, chain } = chineseOrder();
    const tampered = clone(bundle);
    tampered.events[1].record.data.method = '现金';
    const text = flat(
      await pdfText(
        await renderEvidenceReport({
          bundle: tampered,
          verification: await verifyBundle(tampered, chain),
          generatedAt: new Date(),
          generator: 'test',
        }),
      ),
    );
    expect(text).toContain('INVALID');
    expect(text).toContain('eventseq2(#2inthebundle),step2"leaf"(LEAF_MISMATCH)');
    expect(text).toContain('method:现金');
    expect(text).toMatch(/2\.Leaf:.*Atexport:FAILED\./);
  });

  it('says who recorded each event and warns about times that do not add up, keeping the verdict', async () => {
    const { bundle, chain } = buildTestBundle({
      events: [
        { type: 'created', data: { 'ordertrace:source': 'api:key-7' } },
        { type: 'received', data: { 'ordertrace:source': 'consumer', 'ordertrace:later': 1 } },
      ],
      batches: [[0], [1]],
    });
    chain.blockTimes.set(1, 0);
    chain.blockTimes.set(2, Date.parse(bundle.events[1].record.recorded) / 1000 + 2 * 86_400);
    const pdf = await renderEvidenceReport({
      bundle,
      verification: await verifyBundle(bundle, chain),
      generatedAt: new Date('2026-11-29T12:00:00.000Z'),
      generator: 'ordertrace test',
    });
    const text = flat(await pdfText(pdf));
    expect(text).toContain('VERIFIED');
    expect(text).toContain(flat('Recorded by the brand, through its API key key-7'));
    expect(text).toContain(flat("Recorded by the consumer, through the order's receipt link"));
    expect(text).toContain(flat('recorded after its anchoring block'));
    expect(text).toContain(flat('anchored late'));
    expect(text).toContain(flat('were anchored more than 1 day(s) after they were recorded'));
    expect(text).toContain(flat('ordertrace:later: 1 (not known to this report; shown as recorded)'));
  });
});
