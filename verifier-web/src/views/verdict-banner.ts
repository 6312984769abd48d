/** The overall verdict at the top. Its element persists so that screen readers announce changes. */
import { formatTime, type Lang, type Messages } from '../i18n';
import { h, replace } from './dom';

export type VerdictState =
  | { kind: 'checking' }
  | { kind: 'verified'; events: number; checkedAt: Date }
  | { kind: 'pending'; pending: number; checkedAt: Date }
  | { kind: 'invalid'; seq: number | null; label: string; checkedAt: Date }
  | { kind: 'invalid-whole'; detail: string; checkedAt: Date }
  | { kind: 'unavailable'; rpcUrl: string }
  | { kind: 'malformed'; problems: string[] };

const ICON: Record<VerdictState['kind'], string> = {
  checking: '…',
  verified: '✓',
  pending: '◷',
  invalid: '✗',
  'invalid-whole': '✗',
  unavailable: '!',
  malformed: '✗',
};

/**
 * The banner, created once: a live region with the verdict, and outside it the time of the last
 * check, so that re-checking every few seconds does not make screen readers repeat the verdict.
 */
export function createVerdictBanner(testId: string): HTMLElement {
  return h(
    'section',
    { class: 'verdict', 'data-testid': testId },
    h('div', { class: 'verdict__live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }),
    h('p', { class: 'verdict__time' }),
  );
}

export function renderVerdict(el: HTMLElement, state: VerdictState, m: Messages, lang: Lang): void {
  // However it fails, a proof that does not hold is simply invalid to whoever reads the outcome.
  const verdict = state.kind === 'malformed' || state.kind === 'invalid-whole' ? 'invalid' : state.kind;
  el.dataset.verdict = verdict;
  el.className = `verdict verdict--${verdict}`;
  let title: string;
  let body: string;
  let list: string[] = [];
  switch (state.kind) {
    case 'checking':
      title = m.checking;
      body = '';
      break;
    case 'verified':
      title = m.verdictTitle.verified;
      body = m.verdictVerified(state.events);
      break;
    case 'pending':
      title = m.verdictTitle.pending;
      body = m.verdictPending(state.pending);
      break;
    case 'invalid':
      title = m.verdictTitle.invalid;
      body = m.verdictInvalid(state.seq, state.label);
      break;
    case 'invalid-whole':
      title = m.verdictTitle.invalid;
      body = m.verdictInvalidWhole;
      list = [state.detail];
      break;
    case 'unavailable':
      title = m.verdictTitle.unavailable;
      body = m.verdictUnavailable(state.rpcUrl);
      break;
    case 'malformed':
      title = m.verdictTitle.invalid;
      body = m.fileNotBundle;
      list = state.problems;
      break;
  }
  const live = el.querySelector<HTMLElement>('.verdict__live')!;
  const time = el.querySelector<HTMLElement>('.verdict__time')!;
  // Only a changed verdict is written into the live region (and so announced).
  const signature = JSON.stringify([state.kind, title, body, list]);
  if (live.dataset.signature !== signature) {
    live.dataset.signature = signature;
    replace(
      live,
      h(
        'p',
        { class: 'verdict__title' },
        h('span', { class: 'verdict__icon', 'aria-hidden': 'true' }, ICON[state.kind]),
        ' ',
        h('strong', {}, title),
      ),
      body ? h('p', { class: 'verdict__body' }, body) : null,
      list.length ? h('ul', { class: 'verdict__problems' }, ...list.map((p) => h('li', {}, h('code', {}, p)))) : null,
    );
  }
  time.textContent = 'checkedAt' in state ? m.checkedAt(formatTime(lang, state.checkedAt)) : '';
}
