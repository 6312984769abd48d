/**
 * The consumer's change requests on the order page: a form to ask, before shipping, for another
 * delivery address (sent sealed) or for the parcel to be held, and the state of each request as
 * the verified history shows it. The form element persists across re-checks, so typing is not lost.
 */
import type { ChangeRequestKind } from '../../../proof/record';
import type { ChangeRequestView } from '../../../view/bundle-view';
import type { Messages } from '../i18n';
import type { ChangeRequestBody, Outcome } from '../public-api';
import { h, replace } from './dom';

type Sending =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent' }
  | { kind: 'refused'; detail: string }
  | { kind: 'failed'; detail: string | null };

export interface ChangeRequestsState {
  /** The server says the order still takes requests (not shipped, not cancelled). */
  allowed: boolean;
  /** From the verified history; null while nothing is verified. */
  requests: readonly ChangeRequestView[] | null;
}

export class ChangeRequestsView {
  readonly element: HTMLElement;
  private readonly address: HTMLTextAreaElement;
  private readonly form: HTMLElement;
  private readonly list: HTMLElement;
  private sending: Sending = { kind: 'idle' };
  private last: { state: ChangeRequestsState; m: Messages } | null = null;

  constructor(
    private readonly send: (body: ChangeRequestBody) => Promise<Outcome<unknown>>,
    /** Called after a request was recorded: the page loads the order again. */
    private readonly onSent: () => void,
  ) {
    this.address = h('textarea', {
      id: 'request-address',
      rows: 3,
      autocomplete: 'shipping street-address',
      'data-testid': 'request-address',
    });
    this.form = h('div', { class: 'requests__form' });
    this.list = h('div', { class: 'requests__list' });
    this.element = h('section', { class: 'receipt requests', 'aria-labelledby': 'requests-heading', hidden: true }, this.form, this.list);
  }

  render(state: ChangeRequestsState, m: Messages): void {
    this.last = { state, m };
    const requests = state.requests ?? [];
    this.element.hidden = !state.allowed && requests.length === 0 && this.sending.kind === 'idle';
    if (this.element.hidden) return;
    // Re-rendered only when something changed: re-checks must not steal focus or repeat alerts.
    const signature = JSON.stringify([state, this.sending, m.requests.heading]);
    if (this.element.dataset.signature === signature) return;
    this.element.dataset.signature = signature;
    this.renderForm(state.allowed, m);
    this.renderList(requests, m);
  }

  private renderForm(allowed: boolean, m: Messages): void {
    const t = m.requests;
    const busy = this.sending.kind === 'sending';
    const s = this.sending;
    const message =
      s.kind === 'sent'
        ? h('p', { class: 'receipt__done', role: 'status', 'data-testid': 'request-sent' }, t.sent)
        : s.kind === 'refused'
          ? h(
              'div',
              { role: 'alert', 'data-testid': 'request-refused' },
              h('p', { class: 'form-error' }, t.refused),
              h('p', { class: 'event__tech' }, `${m.technicalDetail}: `, h('code', {}, s.detail)),
            )
          : s.kind === 'failed'
            ? h('p', { class: 'form-error', role: 'alert' }, s.detail ?? t.failed)
            : null;
    const button = (kind: ChangeRequestKind, label: string) =>
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          disabled: busy,
          'data-testid': kind === 'address' ? 'request-address-button' : 'request-hold',
          onclick: () => void this.submit(kind),
        },
        busy ? t.sending : label,
      );
    replace(
      this.form,
      h('h2', { id: 'requests-heading' }, t.heading),
      allowed ? h('p', {}, t.explain) : null,
      allowed
        ? h(
            'div',
            { class: 'field' },
            h('label', { for: 'request-address' }, t.addressLabel),
            this.address,
            h('p', { class: 'hint', id: 'request-address-hint' }, t.addressHint),
          )
        : null,
      allowed ? h('p', { class: 'actions' }, button('address', t.addressButton), ' ', button('hold', t.holdButton)) : null,
      message,
    );
    this.address.setAttribute('aria-describedby', 'request-address-hint');
  }

  private renderList(requests: readonly ChangeRequestView[], m: Messages): void {
    const t = m.requests;
    if (requests.length === 0) {
      replace(this.list);
      return;
    }
    replace(
      this.list,
      h('h3', {}, t.listHeading),
      h(
        'ul',
        { 'data-testid': 'request-list' },
        ...requests.map((r) =>
          h(
            'li',
            { 'data-testid': 'request-item', 'data-state': r.state, 'data-request': r.request },
            `${m.eventNumber(r.seq)} · ${t.kind[r.request]}: `,
            h('strong', {}, t.state[r.state]),
            r.answeredBy === null ? null : ` ${t.answeredBy(r.answeredBy)}`,
          ),
        ),
      ),
    );
  }

  private async submit(kind: ChangeRequestKind): Promise<void> {
    if (this.sending.kind === 'sending' || this.last === null) return;
    const { m } = this.last;
    const address = this.address.value.trim();
    if (kind === 'address' && address === '') {
      this.sending = { kind: 'failed', detail: m.requests.addressMissing };
      this.rerender();
      this.address.focus();
      return;
    }
    this.sending = { kind: 'sending' };
    this.rerender();
    const outcome = await this.send(kind === 'address' ? { type: 'address', sealed: { address } } : { type: 'hold' });
    switch (outcome.kind) {
      case 'ok':
        this.sending = { kind: 'sent' };
        if (kind === 'address') this.address.value = '';
        this.rerender();
        this.onSent();
        return;
      case 'conflict':
        this.sending = { kind: 'refused', detail: outcome.detail };
        break;
      default:
        this.sending = { kind: 'failed', detail: null };
    }
    this.rerender();
  }

  private rerender(): void {
    if (this.last !== null) this.render(this.last.state, this.last.m);
  }
}
