/**
 * Verdict, timeline and "what was checked" for one verification, shared by the consumer link
 * and the file verifier. The elements persist across re-checks (live region, open details).
 */
import type { VerificationResult } from '../../../proof/verify';
import type { Lang, Messages } from '../i18n';
import type { CheckOutcome } from '../verification';
import { buildTimeline, countByStatus, type TimelineRow } from '../timeline';
import { h, replace } from './dom';
import { eventLabel, renderTimeline } from './timeline-view';
import { createVerdictBanner, renderVerdict, type VerdictState } from './verdict-banner';

export interface VerificationView {
  verdict: HTMLElement;
  history: HTMLElement;
  checks: HTMLDetailsElement;
  rowTestId: string;
  headingId: string;
}

export type Shown = { kind: 'checking' } | CheckOutcome;

export function createVerificationView(testIds: { verdict: string; row: string }, headingId: string): VerificationView {
  return {
    verdict: createVerdictBanner(testIds.verdict),
    history: h('section', { class: 'history', 'aria-labelledby': headingId, hidden: true }),
    checks: h('details', { class: 'checks', hidden: true }),
    rowTestId: testIds.row,
    headingId,
  };
}

export function verdictState(result: VerificationResult, rows: readonly TimelineRow[], m: Messages, checkedAt: Date): VerdictState {
  switch (result.verdict) {
    case 'verified':
      return { kind: 'verified', events: rows.length, checkedAt };
    case 'pending':
      return { kind: 'pending', pending: countByStatus(rows, 'pending'), checkedAt };
    case 'invalid': {
      if (result.failure && result.failure.index < 0) return { kind: 'invalid-whole', detail: result.failure.message, checkedAt };
      const failed = result.failure ? rows.find((r) => r.index === result.failure?.index) : rows.find((r) => r.status === 'invalid');
      return {
        kind: 'invalid',
        seq: failed?.seq ?? result.failure?.seq ?? null,
        label: eventLabel(failed?.type ?? null, m),
        checkedAt,
      };
    }
  }
}

export function showVerification(view: VerificationView, shown: Shown, m: Messages, lang: Lang): void {
  if (shown.kind !== 'result') {
    // Nothing verified: no timeline, whatever an earlier check showed.
    renderVerdict(view.verdict, shown, m, lang);
    view.history.hidden = true;
    view.checks.hidden = true;
    return;
  }
  const { result, bundle, rpcUrl, checkedAt } = shown;
  const rows = buildTimeline(bundle, result);
  renderVerdict(view.verdict, verdictState(result, rows, m, checkedAt), m, lang);

  const list = h('div');
  renderTimeline(list, rows, m, lang, view.rowTestId);
  replace(view.history, h('h2', { id: view.headingId }, m.timelineHeading), list);
  view.history.hidden = false;

  const checks = m.checksList({
    brand: result.brand ?? '?',
    order: result.order ?? '?',
    chainId: result.chainId ?? 0,
    contract: result.contract ?? '?',
    rpcUrl,
    pinSource: result.pin?.source ?? null,
    endpointNotes: (result.endpoints ?? []).filter((e) => e.status !== 'answered').map((e) => `${e.url} ${e.status}: ${e.detail ?? ''}`),
  });
  replace(
    view.checks,
    h('summary', {}, h('h2', { class: 'checks__heading' }, m.checksHeading)),
    h('p', {}, m.checksIntro),
    h('ol', { class: 'checks__list' }, ...checks.map((c) => h('li', {}, c))),
    countByStatus(rows, 'pending') > 0 ? h('p', { class: 'hint' }, m.checksPending) : null,
  );
  view.checks.hidden = false;
}
