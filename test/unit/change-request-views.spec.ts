/**
 * The consumer's change requests as the view model reads them from a verified bundle, and as the
 * CLI and the evidence PDF word them: the same states everywhere.
 */
import { requestNote } from '../../cli/printers/verify-printer';
import { renderEvidenceReport } from '../../evidence/evidence-report';
import { verifyBundle } from '../../proof';
import { buildBundleView } from '../../view/bundle-view';
import { pdfText } from '../support/pdf-text';
import { buildTestBundle } from '../support/proof-bundle';

function orderWithRequests() {
  return buildTestBundle({
    events: [
      { type: 'created', data: { 'ordertrace:source': 'api:k1' } },
      { type: 'change_requested', data: { request: 'hold', 'ordertrace:source': 'consumer' } },
      {
        type: 'change_requested',
        data: { request: 'address', 'ordertrace:source': 'consumer' },
        sealed: { address: 'Friedrichstraße 43' },
      },
      { type: 'change_declined', data: { request: 3, 'ordertrace:source': 'api:k1' } },
      {
        type: 'change_requested',
        data: { request: 'address', 'ordertrace:source': 'consumer' },
        sealed: { address: 'Unter den Linden 1' },
      },
      { type: 'address_changed', data: { request: 5, 'ordertrace:source': 'api:k1' } },
      // Names a seq that is no request: not an answer to anything.
      { type: 'change_declined', data: { request: 1, 'ordertrace:source': 'api:k1' } },
      { type: 'change_requested', data: { request: 'teleport', 'ordertrace:source': 'consumer' } },
    ],
    batches: [[0, 1, 2, 3, 4, 5, 6, 7]],
  });
}

describe('change requests in the view model and its renderers', () => {
  it('reads pending, declined and approved requests from a verified bundle, ignoring answers to no request', async () => {
    const { bundle, chain } = orderWithRequests();
    const result = await verifyBundle(bundle, chain);
    expect(result.verdict).toBe('verified');
    const view = buildBundleView(bundle, result);
    expect(view.requests.map(({ seq, request, state, answeredBy, status }) => [seq, request, state, answeredBy, status])).toEqual([
      [2, 'hold', 'pending', null, 'verified'],
      [3, 'address', 'declined', 4, 'verified'],
      [5, 'address', 'approved', 6, 'verified'],
      [8, 'unknown', 'pending', null, 'verified'],
    ]);
    expect(view.requests.map(requestNote)).toEqual([
      'Request   seq 2 hold the parcel: pending',
      'Request   seq 3 change the address: declined by seq 4',
      'Request   seq 5 change the address: approved by seq 6',
      'Request   seq 8 change: pending',
    ]);
  });

  it('lists them in the evidence PDF', async () => {
    const { bundle, chain } = orderWithRequests();
    const pdf = await renderEvidenceReport({
      bundle,
      verification: await verifyBundle(bundle, chain),
      generatedAt: new Date('2026-11-29T12:00:00.000Z'),
      generator: 'ordertrace test',
    });
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain("Consumer'schangerequests");
    expect(text).toContain('Seq2:Holdtheparcelpending,notanswered');
    expect(text).toContain('Seq3:Changeofdeliveryaddressdeclinedbyeventseq4');
    expect(text).toContain('Seq5:Changeofdeliveryaddressapprovedbyeventseq6');
  });
});
