/**
 * The blockchain records behind the order: one folded entry per batch (its transaction, block and
 * confirmations), however many of the order's events it holds, instead of repeating it per event.
 */
import type { BatchView, BundleView } from '../../../view/bundle-view';
import type { Lang, Messages } from '../i18n';
import { h, replace } from './dom';
import { batchAnchorId, pairs, timeEl } from './timeline-view';

function batchEl(batch: BatchView, m: Messages, lang: Lang, idPrefix: string): HTMLElement {
  const a = batch.onChain;
  const items: [string, Node | string][] = [[m.transactionLabel, h('code', { class: 'hash' }, batch.txHash ?? '?')]];
  if (a !== null) {
    items.push([m.blockLabel, String(a.blockNumber)]);
    if (a.blockTime !== null) items.push([m.blockTimeLabel, timeEl(lang, a.blockTime)]);
    items.push([m.confirmationsLabel, String(a.confirmations)]);
  }
  items.push([m.rootLabel, h('code', { class: 'hash' }, batch.root ?? '?')]);
  items.push([m.batchEventsLabel, batch.events.map((seq) => `#${seq ?? '?'}`).join(', ')]);
  return h(
    'details',
    {
      class: 'batch',
      id: batch.batch === null ? null : batchAnchorId(idPrefix, batch.batch),
      'data-testid': 'batch',
      'data-batch': batch.batch ?? '',
      'data-confirmed': a !== null,
    },
    h('summary', {}, m.batchSummary(batch.batch, a?.blockNumber ?? null)),
    a === null ? h('p', { class: 'hint' }, m.batchNotConfirmed) : null,
    pairs(items, 'pairs pairs--anchor'),
  );
}

/** `idPrefix` as given to renderTimeline, so that its links find these entries. */
export function renderAnchoring(el: HTMLElement, view: BundleView, m: Messages, lang: Lang, headingId: string, idPrefix: string): void {
  el.hidden = view.batches.length === 0;
  replace(
    el,
    h('h2', { id: headingId }, m.anchoringHeading),
    h('p', { class: 'hint' }, m.anchoringIntro),
    ...view.batches.map((b) => batchEl(b, m, lang, idPrefix)),
  );
}
