/**
 * Tracking summary, verdict, timeline, blockchain records and "what was checked" for one
 * verification, shared by the consumer link and the file verifier. The elements persist across
 * re-checks (live region, open details).
 */
import { type BundleView, buildBundleView } from '../../../view/bundle-view';
import type { Lang, Messages } from '../i18n';
import type { CheckOutcome } from '../verification';
import { renderAnchoring } from './anchoring-view';
import { h, replace } from './dom';
import { eventLabel, renderTimeline } from './timeline-view';
import { renderTrackingSummary } from './tracking-summary';
import { createVerdictBanner, renderVerdict, type VerdictState } from './verdict-banner';

export interface VerificationView {
  summary: HTMLElement;
  verdict: HTMLElement;
  history: HTMLElement;
  anchoring: HTMLElement;
  checks: HTMLDetailsElement;
  rowTestId: string;
  headingId: string;
}

export type Shown = { kind: 'checking' } | CheckOutcome;

export function createVerificationView(testIds: { verdict: string; row: string }, headingId: string): VerificationView {
  return {
    summary: h('section', { class: 'tracking', 'data-testid': 'tracking-summary', hidden: true }),
    verdict: createVerdictBanner(testIds.verdict),
    history: h('section', { class: 'history', 'aria-labelledby': headingId, hidden: true }),
    anchoring: h('section', { class: 'anchoring', 'aria-labelledby': `${headingId}-anchoring`, hidden: true }),
    checks: h('details', { class: 'checks', hidden: true }),
    rowTestId: testIds.row,
    headingId,
  };
}

export function verdictState(view: BundleView, m: Messages, checkedAt: Date): VerdictState {
  const v = view.verdict;
  switch (v.kind) {
    case 'verified':
      return { kind: 'verified', events: v.events, checkedAt };
    case 'pending':
      return { kind: 'pending', pending: v.pending, checkedAt };
    case 'invalid':
      if (v.failure && v.failure.index < 0) return { kind: 'invalid-whole', detail: v.failure.message, checkedAt };
      return { kind: 'invalid', seq: v.failure?.seq ?? null, label: eventLabel(v.failure?.type ?? null, m), checkedAt };
    case 'not-checked':
      // The page always verifies before it shows anything; a view without a verification is not one it renders.
      return { kind: 'checking' };
  }
}

export function showVerification(view: VerificationView, shown: Shown, m: Messages, lang: Lang): void {
  if (shown.kind !== 'result') {
    // Nothing verified: no timeline, whatever an earlier check showed.
    renderVerdict(view.verdict, shown, m, lang);
    view.summary.hidden = true;
    view.history.hidden = true;
    view.anchoring.hidden = true;
    view.checks.hidden = true;
    return;
  }
  const { result, bundle, rpcUrl, checkedAt } = shown;
  const bundleView = buildBundleView(bundle, result);
  renderVerdict(view.verdict, verdictState(bundleView, m, checkedAt), m, lang);
  renderTrackingSummary(view.summary, bundleView, m, lang);

  const list = h('div');
  renderTimeline(list, bundleView, m, lang, view.rowTestId, view.headingId);
  replace(view.history, h('h2', { id: view.headingId }, m.timelineHeading), h('p', { class: 'hint' }, m.newestFirst), list);
  view.history.hidden = false;
  renderAnchoring(view.anchoring, bundleView, m, lang, `${view.headingId}-anchoring`, view.headingId);

  const { order } = bundleView;
  const checks = m.checksList({
    brand: order.brand ?? '?',
    order: order.order ?? '?',
    chainId: order.chainId ?? 0,
    contract: order.contract ?? '?',
    rpcUrl,
    pinSource: result.pin?.source ?? null,
    endpointNotes: (result.endpoints ?? []).filter((e) => e.status !== 'answered').map((e) => `${e.url} ${e.status}: ${e.detail ?? ''}`),
  });
  replace(
    view.checks,
    h('summary', {}, h('h2', { class: 'checks__heading' }, m.checksHeading)),
    h('p', {}, m.checksIntro),
    h(
      'ol',
      { class: 'checks__list' },
      ...checks.map((c, i) => {
        const step = bundleView.checks[i];
        return h('li', step ? { 'data-step': step.step, 'data-outcome': step.outcome } : {}, c);
      }),
    ),
    bundleView.counts.pending > 0 ? h('p', { class: 'hint' }, m.checksPending) : null,
  );
  view.checks.hidden = false;
}
