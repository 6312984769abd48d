/**
 * The bundle view: what page, PDF and CLI show for a bundle and its verification. Bundles are built
 * with the proof core and verified by it against an in-memory chain holding their roots.
 */
import fc from 'fast-check';
import { verifyBundle } from '../../proof';
import { batchOf, buildBundleView, displayValue, readableValue } from '../../view/bundle-view';
import { buildTestBundle, TEST_CHAIN_EPOCH } from '../support/proof-bundle';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function orderOfFour() {
  return buildTestBundle({
    order: 'ord_小米_1',
    brand: '小米旗舰店',
    events: [
      {
        type: 'created',
        data: { items: [{ sku: 'A1', name: '手机壳' }], total: 99 },
        sealed: { address: '北京市海淀区', phone: '138' },
        disclose: ['address'],
      },
      { type: 'paid', data: { method: 'card' } },
      { type: 'packed' },
      { type: 'shipped', data: { carrier: '顺丰' } },
    ],
    // Events 1-2 in batch 1, event 3 in batch 2, event 4 not yet anchored.
    batches: [[0, 1], [2]],
  });
}

describe('buildBundleView', () => {
  it('folds anchoring per batch, with what the chain said, and keeps the pending event apart', async () => {
    const { bundle, chain } = orderOfFour();
    const view = buildBundleView(bundle, await verifyBundle(bundle, chain));

    expect(view.verdict).toEqual({ kind: 'pending', events: 4, pending: 1 });
    expect(view.order).toMatchObject({ order: 'ord_小米_1', brand: '小米旗舰店', chainId: 31337, eventCount: 4, headBlock: 2 });
    expect(view.batches).toHaveLength(2);
    expect(view.batches[0]).toMatchObject({
      batch: 1,
      events: [1, 2],
      txHash: bundle.events[0].anchor!.txHash,
      onChain: { blockNumber: 1, confirmations: 2, blockTime: new Date((TEST_CHAIN_EPOCH + 12) * 1000).toISOString() },
    });
    expect(view.batches[1]).toMatchObject({ batch: 2, events: [3], onChain: { blockNumber: 2, confirmations: 1 } });
    expect(view.events.map((r) => [r.seq, r.type, r.status, batchOf(view, r)?.batch ?? null])).toEqual([
      [1, 'created', 'verified', 1],
      [2, 'paid', 'verified', 1],
      [3, 'packed', 'verified', 2],
      [4, 'shipped', 'pending', null],
    ]);
    expect(view.events[3].pendingReason).toBe('not yet anchored');
    expect(view.counts).toEqual({ verified: 3, pending: 1, invalid: 0, unchecked: 0 });
    expect(view.warnings).toEqual([{ code: 'pending-events', seqs: [4] }]);
    expect(view.checks.map((c) => [c.number, c.step, c.outcome])).toEqual([
      [1, 'format', 'passed'],
      [2, 'leaf', 'passed'],
      [3, 'disclosure', 'passed'],
      [4, 'chain-link', 'passed'],
      [5, 'inclusion', 'pending'],
      [6, 'anchor', 'pending'],
    ]);
  });

  it('shows data as text and private fields by state: sealed, disclosed and opening, or not opening', async () => {
    const { bundle, chain } = orderOfFour();
    const row = buildBundleView(bundle, await verifyBundle(bundle, chain)).events[0];
    expect(row.data).toEqual([
      {
        name: 'items',
        value: '[{"sku":"A1","name":"手机壳"}]',
        readable: { kind: 'table', columns: ['sku', 'name'], rows: [['A1', '手机壳']] },
      },
      { name: 'total', value: '99', readable: { kind: 'text', text: '99' } },
    ]);
    expect(row.sealed).toEqual([
      {
        name: 'address',
        commitment: bundle.events[0].record.sealed.address,
        state: 'disclosed',
        value: '北京市海淀区',
        salt: bundle.events[0].disclosed!.address.salt,
      },
      { name: 'phone', commitment: bundle.events[0].record.sealed.phone, state: 'sealed' },
    ]);
    expect(JSON.stringify(row)).not.toContain('138');

    const forged = clone(bundle);
    forged.events[0].disclosed!.address.value = '上海市';
    forged.events[0].disclosed!.ghost = { value: 1, salt: forged.events[0].disclosed!.address.salt };
    const view = buildBundleView(forged, await verifyBundle(forged, chain));
    expect(view.events[0].sealed[0]).toMatchObject({ name: 'address', state: 'mismatch', value: '上海市' });
    expect(view.events[0].disclosedWithoutCommitment).toEqual(['ghost']);
    expect(view.events[0]).toMatchObject({ status: 'invalid', failure: { step: 'disclosure', stepNumber: 3 } });
  });

  it('marks erased private fields, and verifies a bundle with `erased` exactly as one without', async () => {
    const { bundle, chain } = orderOfFour();
    const erased = clone(bundle);
    delete erased.events[0].disclosed;
    erased.events[0].erased = ['address', 'phone'];
    const before = await verifyBundle(bundle, chain);
    const after = await verifyBundle(erased, chain);
    expect(after.verdict).toBe(before.verdict);
    expect(after.failure).toBeUndefined();
    const row = buildBundleView(erased, after).events[0];
    expect(row.sealed.map((f) => [f.name, f.state, f.erased])).toEqual([
      ['address', 'sealed', true],
      ['phone', 'sealed', true],
    ]);
    expect(JSON.stringify(row)).not.toContain('北京市海淀区');
    // Not an array of names: a malformed bundle.
    const malformed = clone(erased) as unknown as { events: { erased: unknown }[] };
    malformed.events[0].erased = 'address';
    expect((await verifyBundle(malformed, chain)).failure?.code).toBe('MALFORMED_BUNDLE');
  });

  it('shows control and bidirectional formatting characters of data as escapes, and everything else as it is', () => {
    expect(displayValue('ACME \u202egnp.exe')).toBe('ACME \\u202Egnp.exe');
    expect(displayValue('a\u0007b\u2028c\u2066d\u0085')).toBe('a\\u0007b\\u2028c\\u2066d\\u0085');
    expect(displayValue({ note: 'x\u200fy' })).toBe('{"note":"x\\u200Fy"}');
    expect(displayValue('北京市 עברית 😀 café')).toBe('北京市 עברית 😀 café');
  });

  it('names the first failure with its event type and step, and marks the step failed', async () => {
    const { bundle, chain } = orderOfFour();
    const tampered = clone(bundle);
    tampered.events[1].record.data.method = 'cash';
    const view = buildBundleView(tampered, await verifyBundle(tampered, chain));
    expect(view.verdict).toMatchObject({
      kind: 'invalid',
      failure: { index: 1, seq: 2, type: 'paid', step: 'leaf', stepNumber: 2, code: 'LEAF_MISMATCH' },
    });
    expect(view.events[1]).toMatchObject({ status: 'invalid', failure: { step: 'leaf', code: 'LEAF_MISMATCH' } });
    // An invalid event's batch is still the one it claims; its block is not confirmed through it.
    expect(batchOf(view, view.events[1])?.batch).toBe(1);
    expect(view.checks.find((c) => c.step === 'leaf')?.outcome).toBe('failed');
    expect(view.checks.find((c) => c.step === 'format')?.outcome).toBe('passed');
  });

  it('reports a bundle that fails as a whole as such, with the later steps not run', async () => {
    const { bundle, chain } = orderOfFour();
    const other = clone(bundle);
    other.chain.chainId = 1;
    const view = buildBundleView(other, await verifyBundle(other, chain));
    expect(view.verdict).toMatchObject({ kind: 'invalid', failure: { index: -1, type: null, step: 'format', code: 'CHAIN_MISMATCH' } });
    expect(view.checks.map((c) => c.outcome)).toEqual(['failed', 'not-run', 'not-run', 'not-run', 'not-run', 'not-run']);
  });

  it('without a verification, says so and shows every block number as the bundle claims it', () => {
    const { bundle } = orderOfFour();
    const view = buildBundleView(bundle, null);
    expect(view.verdict).toEqual({ kind: 'not-checked', events: 4 });
    expect(view.events.every((r) => r.status === 'unchecked')).toBe(true);
    expect(view.batches.map((b) => [b.batch, b.claimedBlockNumber, b.onChain])).toEqual([
      [1, 1, null],
      [2, 2, null],
    ]);
    expect(view.warnings).toEqual([{ code: 'not-checked' }, { code: 'unconfirmed-blocks', seqs: [1, 2, 3] }]);
    expect(view.checks.every((c) => c.outcome === 'not-run')).toBe(true);
    expect(view.order.headBlock).toBeNull();
  });

  it('keeps two claims of one batch apart when they disagree', async () => {
    const { bundle, chain } = orderOfFour();
    const forged = clone(bundle);
    forged.events[1].anchor!.txHash = `0x${'ee'.repeat(32)}`;
    const view = buildBundleView(forged, await verifyBundle(forged, chain));
    expect(view.batches.filter((b) => b.batch === 1).map((b) => [b.events, b.onChain !== null])).toEqual([
      [[1], true],
      [[2], false],
    ]);
  });

  it('never throws on any input, and has one row per event the input lists', () => {
    fc.assert(
      fc.property(fc.anything(), fc.array(fc.anything(), { maxLength: 5 }), (junk, events) => {
        expect(() => buildBundleView(junk, null)).not.toThrow();
        const view = buildBundleView({ format: 'ordertrace-bundle/1', chain: junk, events }, null);
        expect(view.events).toHaveLength(events.length);
      }),
    );
  });

  it('says who recorded each event as its record states, and shows ordertrace: fields it does not know without failing', async () => {
    const { bundle, chain } = buildTestBundle({
      events: [
        { type: 'created', data: { channel: 'web', 'ordertrace:source': 'api:key-1' } },
        { type: 'paid', data: { 'ordertrace:source': 'operator' } },
        { type: 'shipped', data: { 'ordertrace:source': 'api:key-2', 'ordertrace:next-thing': { a: 1 } } },
        { type: 'delivered', data: { 'ordertrace:source': 'someone-new' } },
        { type: 'received', data: { 'ordertrace:source': 'consumer' } },
      ],
      batches: [[0, 1, 2, 3, 4]],
    });
    const view = buildBundleView(bundle, await verifyBundle(bundle, chain));
    expect(view.verdict.kind).toBe('verified');
    expect(view.events.map((r) => r.recordedBy)).toEqual([
      { kind: 'api-key', keyId: 'key-1' },
      { kind: 'operator' },
      { kind: 'api-key', keyId: 'key-2' },
      { kind: 'unknown', value: 'someone-new' },
      { kind: 'consumer' },
    ]);
    // The source is shown as who recorded it, not among the brand's fields.
    expect(view.events[0].data.map(({ name, value }) => ({ name, value }))).toEqual([{ name: 'channel', value: 'web' }]);
    expect(view.events[2].data).toEqual([]);
    expect(view.events[2].reservedData.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'ordertrace:next-thing', value: '{"a":1}' },
    ]);
    expect(view.events[4].data).toEqual([]);
  });

  it("does not read an older record's brand-writable data as the consumer's", async () => {
    const { bundle, chain } = buildTestBundle({
      events: [{ type: 'created' }, { type: 'received', data: { confirmedBy: 'consumer' } }],
      batches: [[0, 1]],
    });
    const view = buildBundleView(bundle, await verifyBundle(bundle, chain));
    expect(view.verdict.kind).toBe('verified');
    expect(view.events.map((r) => r.recordedBy)).toEqual([{ kind: 'not-stated' }, { kind: 'not-stated' }]);
    expect(view.events[1].data.map(({ name, value }) => ({ name, value }))).toEqual([{ name: 'confirmedBy', value: 'consumer' }]);
    // A source that is not a string is shown as what it is.
    const odd = buildBundleView({ events: [{ record: { data: { 'ordertrace:source': 7 } } }] }, null);
    expect(odd.events[0].recordedBy).toEqual({ kind: 'unknown', value: '7' });
  });
  it('lays out public data for reading: lists of objects as tables, amounts with their currency, objects as pairs', () => {
    expect(
      readableValue([
        { sku: 'TEA-1', quantity: 2, price: { amount: '19.90', currency: 'EUR' } },
        { sku: 'CUP-2', note: { colour: 'green' } },
      ]),
    ).toEqual({
      kind: 'table',
      columns: ['sku', 'quantity', 'price', 'note'],
      rows: [
        ['TEA-1', '2', '19.90 EUR', ''],
        ['CUP-2', '', '', '{"colour":"green"}'],
      ],
    });
    expect(readableValue({ amount: '59.90', currency: 'CNY' })).toEqual({ kind: 'text', text: '59.90 CNY' });
    expect(readableValue({ value: 12.5, currency: 'USD' })).toEqual({ kind: 'text', text: '12.5 USD' });
    // Not an amount: a third key, a currency that is no code, an amount that is no number.
    expect(readableValue({ amount: '1', currency: 'EUR', note: 'x' }).kind).toBe('pairs');
    expect(readableValue({ amount: '1', currency: 'euro' })).toEqual({
      kind: 'pairs',
      pairs: [
        { name: 'amount', text: '1' },
        { name: 'currency', text: 'euro' },
      ],
    });
    expect(readableValue({ amount: 'lots', currency: 'EUR' }).kind).toBe('pairs');
    expect(readableValue(['a', 2, null])).toEqual({ kind: 'list', items: ['a', '2', 'null'] });
    expect(readableValue([1, { a: 1 }])).toEqual({ kind: 'text', text: '[1,{"a":1}]' });
    expect(readableValue([])).toEqual({ kind: 'text', text: '[]' });
    expect(readableValue({})).toEqual({ kind: 'text', text: '{}' });
    // Acting characters are escaped in names and cells as everywhere else.
    expect(readableValue([{ 'a\u202e': 'b\u202e' }])).toEqual({ kind: 'table', columns: ['a\\u202E'], rows: [['b\\u202E']] });
  });

  it('tells the latest status, the next step the lifecycle expects, and the newest carrier and place', async () => {
    const { bundle, chain } = buildTestBundle({
      events: [
        { type: 'created' },
        { type: 'shipped', data: { carrier: 'DHL', trackingNo: 'JD1' } },
        { type: 'in_transit', data: { location: { name: 'Leipzig hub', code: 'LEJ' } } },
        { type: 'address_changed', data: { city: 'Berlin' } },
      ],
      batches: [[0, 1, 2, 3]],
    });
    const view = buildBundleView(bundle, await verifyBundle(bundle, chain));
    expect(view.events.map((r) => [r.carrier, r.place])).toEqual([
      [null, null],
      [{ key: 'carrier', text: 'DHL' }, null],
      [null, { key: 'location', text: 'Leipzig hub' }],
      [null, { key: 'city', text: 'Berlin' }],
    ]);
    // An address change is the latest event but changes no state.
    expect(view.tracking).toEqual({
      latest: { index: 3, seq: 4, type: 'address_changed', at: bundle.events[3].record.at, status: 'verified' },
      state: 'in_transit',
      expectedNext: 'delivered',
      carrier: 'DHL',
      place: 'Berlin',
    });
  });

  it('leaves invalid events out of the tracking summary', async () => {
    const { bundle, chain } = buildTestBundle({
      events: [{ type: 'created' }, { type: 'paid' }, { type: 'shipped', data: { carrier: 'DHL' } }],
      batches: [[0, 1, 2]],
    });
    const tampered = clone(bundle);
    tampered.events[2].record.data.carrier = 'UPS';
    const view = buildBundleView(tampered, await verifyBundle(tampered, chain));
    expect(view.events[2].status).toBe('invalid');
    expect(view.tracking).toMatchObject({ latest: { seq: 2, type: 'paid' }, state: 'paid', expectedNext: 'packed', carrier: null });
    expect(buildBundleView({}, null).tracking).toEqual({ latest: null, state: null, expectedNext: null, carrier: null, place: null });
  });
});
