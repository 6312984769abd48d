/** The top of a tracking page: where the order stands, where the parcel is, and what comes next. */
import type { BundleView } from '../../../view/bundle-view';
import type { Lang, Messages } from '../i18n';
import { h, replace } from './dom';
import { eventLabel, pairs, timeEl } from './timeline-view';

function nextStepEl(view: BundleView, m: Messages): HTMLElement | null {
  const { state, expectedNext } = view.tracking;
  if (state === null) return null;
  return h(
    'p',
    { class: 'tracking__next', 'data-testid': 'expected-next' },
    expectedNext === null ? m.nothingMoreExpected : h('span', { class: 'tracking__next-label' }, m.nextStepLabel),
    expectedNext === null ? null : m.expectedStep[expectedNext],
  );
}

/** Shown only for a proof that holds so far: what a failed proof claims is no status to lead with. */
export function renderTrackingSummary(el: HTMLElement, view: BundleView, m: Messages, lang: Lang): void {
  const { latest, state, expectedNext, carrier, place } = view.tracking;
  const holds = view.verdict.kind === 'verified' || view.verdict.kind === 'pending';
  el.hidden = latest === null || !holds;
  if (latest === null || !holds) return replace(el);
  el.dataset.state = state ?? '';
  el.dataset.next = expectedNext ?? '';
  const where: [string, Node | string][] = [];
  if (carrier !== null) where.push([m.carrierLabel, carrier]);
  if (place !== null) where.push([m.placeLabel, place]);
  replace(
    el,
    h('h2', { class: 'visually-hidden' }, m.latestStatusHeading),
    h('p', { class: 'tracking__status', 'data-testid': 'latest-status' }, eventLabel(latest.type, m)),
    latest.at ? h('p', { class: 'tracking__when' }, timeEl(lang, latest.at)) : null,
    where.length ? pairs(where, 'pairs tracking__where') : null,
    nextStepEl(view, m),
  );
}
