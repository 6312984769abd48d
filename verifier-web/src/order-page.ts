/**
 * The consumer's page for one order: load the public bundle with the link's token, verify it in
 * the browser against the chain, offer "Confirm receipt", and re-check while anything is pending.
 */
import { FileVerifier } from './file-verifier';
import type { Lang, Messages } from './i18n';
import { confirmReceipt, fetchPublicOrder, type PublicOrder, requestChange } from './public-api';
import { buildBundleView } from '../../view/bundle-view';
import { ChangeRequestsView } from './views/change-requests-view';
import { trustedEndpoints } from '../../proof/trust';
import { pageTrust } from './trust-source';
import type { BrowserVerifier, CheckOutcome } from './verification';
import { h, replace } from './views/dom';
import { renderInvalidLink } from './views/invalid-link';
import { createVerificationView, type Shown, showVerification, type VerificationView } from './views/verification-view';

/** Anchoring takes seconds to minutes; checking every few seconds for a while covers it. */
export const POLL_INTERVAL_MS = 4_000;
/** How often a settled order is looked at again for new events. */
export const FOLLOW_INTERVAL_MS = 15_000;
export const POLL_LIMIT_MS = 20 * 60_000;

type Load = 'loading' | 'invalid-link' | 'rate-limited' | 'failed' | 'ready';
type Receipt = { kind: 'idle' } | { kind: 'sending' } | { kind: 'done' } | { kind: 'refused'; detail: string } | { kind: 'failed' };

export interface PageText {
  m: Messages;
  lang: Lang;
}

export class OrderPage {
  private load: Load = 'loading';
  private order: PublicOrder | null = null;
  private shown: Shown = { kind: 'checking' };
  private receipt: Receipt = { kind: 'idle' };
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private pollUntil = 0;
  private pollStopped = false;
  private refreshing = false;
  private refreshAgain = false;
  /** The checked bundle, serialized: a poll that brings the same bytes needs no check again. */
  private checkedBundleText: string | null = null;

  // Built once when the order is ready, then updated in place (live region, open <details>).
  private skeleton: {
    title: HTMLElement;
    meta: HTMLElement;
    view: VerificationView;
    receipt: HTMLElement;
    requests: ChangeRequestsView;
    polling: HTMLElement;
    actions: HTMLElement;
    fileDetails: HTMLDetailsElement;
    fileSummary: HTMLElement;
    file: FileVerifier;
  } | null = null;

  constructor(
    private readonly main: HTMLElement,
    /** The ordertrace API the link names; it supplies data only, never the chain or contract. */
    private readonly api: string,
    private readonly orderId: string,
    private readonly token: string,
    private readonly verifier: BrowserVerifier,
    private readonly text: () => PageText,
  ) {}

  start(): void {
    this.render();
    // The trust anchors and the chain id are fetched while the order loads, not after it.
    void pageTrust().then((trust) => {
      if (trust.kind === 'pinned') this.verifier.warm(trust.trust.rpc);
    });
    void this.refresh();
  }

  stop(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  render(): void {
    const { m, lang } = this.text();
    switch (this.load) {
      case 'loading':
        replace(this.main, h('p', { class: 'notice', role: 'status', 'data-testid': 'loading' }, m.loading));
        return;
      case 'invalid-link':
        renderInvalidLink(this.main, m);
        return;
      case 'rate-limited':
      case 'failed':
        replace(
          this.main,
          h(
            'section',
            { class: 'notice', 'data-testid': 'load-failed' },
            h('p', { role: 'alert' }, this.load === 'rate-limited' ? m.rateLimited : m.loadFailed),
            h('button', { type: 'button', class: 'button', onclick: () => this.retry() }, m.retry),
          ),
        );
        return;
      case 'ready':
        this.renderReady(m, lang);
        return;
    }
  }

  private retry(): void {
    this.load = 'loading';
    this.render();
    void this.refresh();
  }

  private buildSkeleton(): NonNullable<OrderPage['skeleton']> {
    const file = new FileVerifier(this.verifier, this.text, 'h2');
    const fileSummary = h('summary');
    const s = {
      title: h('h1', { 'data-testid': 'order-title' }),
      meta: h('dl', { class: 'pairs order-meta' }),
      view: createVerificationView({ verdict: 'verdict', row: 'event-row' }, 'history-heading'),
      receipt: h('section', { class: 'receipt', 'aria-labelledby': 'receipt-heading', hidden: true }),
      requests: new ChangeRequestsView(
        (body) => requestChange(this.api, this.orderId, this.token, body),
        () => this.recheckSoon(),
      ),
      polling: h('p', { class: 'polling hint' }),
      actions: h('p', { class: 'actions' }),
      fileDetails: h('details', { class: 'file-details' }, fileSummary, file.element),
      fileSummary,
      file,
    };
    // Top to bottom: where the order stands, whether that is proven, what the consumer can do, then the history.
    replace(
      this.main,
      s.title,
      s.view.summary,
      s.view.verdict,
      s.receipt,
      s.requests.element,
      s.polling,
      s.meta,
      s.view.history,
      s.view.anchoring,
      s.view.checks,
      s.actions,
      s.fileDetails,
    );
    return s;
  }

  private renderReady(m: Messages, lang: Lang): void {
    const order = this.order;
    if (order === null) return;
    this.skeleton ??= this.buildSkeleton();
    const s = this.skeleton;
    s.title.textContent = m.pageTitle(order.brandName);
    replace(
      s.meta,
      h('dt', {}, m.orderLabel),
      h('dd', {}, h('code', {}, this.orderId)),
      h('dt', {}, m.brandLabel),
      h('dd', {}, order.brandName),
    );
    showVerification(s.view, this.shown, m, lang);
    this.renderReceipt(s.receipt, m);
    const verified = this.shown.kind === 'result' ? buildBundleView(this.shown.bundle, this.shown.result).requests : null;
    s.requests.render({ allowed: order.requests?.allowed === true, requests: verified }, m);
    this.renderPolling(s.polling, m);
    replace(
      s.actions,
      h('button', { type: 'button', class: 'button button--secondary', onclick: () => this.download() }, m.downloadBundle),
    );
    s.fileSummary.textContent = m.haveAFile;
    void pageTrust().then((t) => {
      if (t.kind === 'pinned') s.file.suggestRpcUrl(t.trust.rpc.join(' '));
    });
    s.file.render();
  }

  private renderReceipt(el: HTMLElement, m: Messages): void {
    const allowed = this.order?.receipt.allowed === true;
    const r = this.receipt;
    el.hidden = !allowed && r.kind === 'idle';
    // Re-rendered only when something changed: re-checks must not steal focus or repeat alerts.
    const signature = JSON.stringify([allowed, r, m.receiptButton]);
    if (el.hidden || el.dataset.signature === signature) return;
    el.dataset.signature = signature;
    const message =
      r.kind === 'done'
        ? h('p', { class: 'receipt__done', role: 'status', tabindex: '-1', 'data-testid': 'receipt-done' }, m.receiptDone)
        : r.kind === 'refused'
          ? h(
              'div',
              { role: 'alert' },
              h('p', { class: 'form-error' }, m.receiptRefused),
              h('p', { class: 'event__tech' }, `${m.technicalDetail}: `, h('code', {}, r.detail)),
            )
          : r.kind === 'failed'
            ? h('p', { class: 'form-error', role: 'alert' }, m.receiptFailed)
            : null;
    const button =
      allowed && r.kind !== 'done'
        ? h(
            'button',
            {
              type: 'button',
              class: 'button',
              'data-testid': 'confirm-receipt',
              disabled: r.kind === 'sending',
              onclick: () => void this.confirm(),
            },
            r.kind === 'sending' ? m.receiptSending : m.receiptButton,
          )
        : null;
    replace(
      el,
      h('h2', { id: 'receipt-heading' }, m.receiptHeading),
      r.kind === 'done' ? null : h('p', {}, m.receiptExplain),
      button,
      message,
    );
  }

  private renderPolling(el: HTMLElement, m: Messages): void {
    const pending = this.shown.kind === 'result' && this.shown.result.verdict === 'pending';
    if (this.pollTimer !== null && pending) {
      replace(el, m.pollingActive);
    } else if (this.pollStopped || this.shown.kind === 'unavailable') {
      replace(
        el,
        this.pollStopped ? `${m.pollingStopped} ` : '',
        h('button', { type: 'button', class: 'button button--secondary', onclick: () => this.checkAgain() }, m.checkAgain),
      );
    } else {
      replace(el);
    }
  }

  /** A change the page made (a request): load the order again and follow its anchoring. */
  private recheckSoon(): void {
    this.pollUntil = Date.now() + POLL_LIMIT_MS;
    this.pollStopped = false;
    void this.refresh();
  }

  private checkAgain(): void {
    this.pollStopped = false;
    this.pollUntil = Date.now() + POLL_LIMIT_MS;
    void this.refresh();
  }

  private async confirm(): Promise<void> {
    if (this.receipt.kind === 'sending') return;
    this.receipt = { kind: 'sending' };
    this.render();
    const outcome = await confirmReceipt(this.api, this.orderId, this.token);
    switch (outcome.kind) {
      case 'ok':
        this.receipt = { kind: 'done' };
        if (this.order) this.order = { ...this.order, receipt: { allowed: false } };
        this.pollUntil = Date.now() + POLL_LIMIT_MS;
        this.pollStopped = false;
        this.render();
        this.skeleton?.receipt.querySelector<HTMLElement>('[data-testid="receipt-done"]')?.focus();
        await this.refresh();
        return;
      case 'not-found':
        this.load = 'invalid-link';
        this.stop();
        this.render();
        return;
      case 'conflict':
        this.receipt = { kind: 'refused', detail: outcome.detail };
        break;
      case 'rate-limited':
      case 'failed':
        this.receipt = { kind: 'failed' };
        break;
    }
    this.render();
  }

  /** Fetch the bundle, verify it, and schedule the next check while anything is pending. */
  private async refresh(): Promise<void> {
    if (this.refreshing) {
      // The running check may have read the order before a change (a receipt): check once more after it.
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    this.refreshAgain = false;
    this.stop();
    try {
      const outcome = await fetchPublicOrder(this.api, this.orderId, this.token);
      if (outcome.kind === 'not-found') {
        // Wrong, revoked or unknown: the server answers the same, and so do we. Show no data.
        this.load = 'invalid-link';
        this.order = null;
        this.skeleton = null;
        this.render();
        return;
      }
      if (outcome.kind !== 'ok') {
        if (this.load !== 'ready') {
          this.load = outcome.kind === 'rate-limited' ? 'rate-limited' : 'failed';
          this.render();
          return;
        }
        this.schedule(); // keep the last verified view and try again later
        return;
      }
      const first = this.load !== 'ready';
      const bundleText = JSON.stringify(outcome.value.bundle);
      // Only a verified result stands on its own: a pending one may turn with the chain alone (confirmations).
      const unchanged =
        !first && this.shown.kind === 'result' && this.shown.result.verdict === 'verified' && bundleText === this.checkedBundleText;
      this.order = outcome.value;
      if (unchanged) {
        // Nothing new: what was verified stands, without asking the chain again.
        this.schedule();
        this.render();
        return;
      }
      // Something new: follow it for a while.
      if (!first) this.pollUntil = Date.now() + POLL_LIMIT_MS;
      this.load = 'ready';
      if (first) {
        this.shown = { kind: 'checking' };
        this.pollUntil = Date.now() + POLL_LIMIT_MS;
      }
      // Chain, contract and endpoints come from the page's own trust anchors, not from the API's answer.
      const trust = await pageTrust();
      const checking: Promise<CheckOutcome> =
        trust.kind === 'pinned'
          ? this.verifier.check(outcome.value.bundle, trustedEndpoints(trust.trust, outcome.value.bundle), trust)
          : Promise.resolve({ kind: 'malformed', problems: [`this page has no trust anchors, so it verifies nothing (${trust.detail})`] });
      // The order is drawn while the chain answers: the check's reads went out first.
      this.render();
      const checked = await checking;
      // A node hiccup while re-checking does not erase what was already verified.
      if (checked.kind !== 'unavailable' || this.shown.kind !== 'result') this.shown = checked;
      if (checked.kind === 'result') this.checkedBundleText = bundleText;
      this.schedule();
      this.render();
    } catch (err) {
      this.shown = { kind: 'malformed', problems: [String((err as Error)?.message ?? err)] };
      this.render();
    } finally {
      this.refreshing = false;
    }
    if (this.refreshAgain && this.load === 'ready') await this.refresh();
  }

  private schedule(): void {
    const pending = this.shown.kind === 'result' && this.shown.result.verdict === 'pending';
    const unavailable = this.shown.kind === 'unavailable';
    // What the proof found wrong stays as it is: nothing to follow.
    if (this.shown.kind !== 'result' && !unavailable) return;
    if (Date.now() >= this.pollUntil) {
      // A settled order simply stops being followed; only a wait is worth a "check again".
      if (!pending && !unavailable) return;
      this.pollStopped = true;
      return;
    }
    // A settled order is still followed, less often, so that new events appear while the page is open.
    this.pollTimer = setTimeout(() => void this.refresh(), pending || unavailable ? POLL_INTERVAL_MS : FOLLOW_INTERVAL_MS);
  }

  private download(): void {
    if (this.order === null) return;
    const blob = new Blob([JSON.stringify(this.order.bundle, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `${this.orderId}.ordertrace-bundle.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
