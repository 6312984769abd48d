/**
 * The brand console: a key typed in (kept in this object only), then the brand's figures over a
 * period, its flagged orders and a searchable order list; an order opens the verifier page's own
 * verified timeline, checked here in the browser against the chain of the page's trust anchors.
 */
import { ORDER_STATUSES } from '../../../proof/order-lifecycle';
import { trustedEndpoints } from '../../../proof/trust';
import { formatTime, type Lang, type Messages } from '../i18n';
import { pageTrust } from '../trust-source';
import { BrowserVerifier, type CheckOutcome } from '../verification';
import { append, h, replace } from '../views/dom';
import { createVerificationView, type Shown, showVerification, type VerificationView } from '../views/verification-view';
import { type BarChart, barChart } from './charts';
import { type ApiOutcome, ConsoleApi, type FlagPage, type OrderSummary, type Stats } from './console-api';
import { type ConsoleMessages, formatDuration, type FunnelStage } from './console-i18n';

export interface ConsoleText {
  m: Messages;
  c: ConsoleMessages;
  lang: Lang;
}

/** The states an order may be listed by (GET /v1/orders?status=). */
const ORDER_STATES = ORDER_STATUSES;

type Load<T> = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'failed'; detail: string };

interface OrderView {
  id: string;
  reference: string;
  load: Load<unknown>;
  shown: Shown;
  view: VerificationView;
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function failure(outcome: Exclude<ApiOutcome<unknown>, { kind: 'ok' }>): string {
  return outcome.kind === 'failed' ? outcome.detail : outcome.kind;
}

export class ConsoleApp {
  private api: ConsoleApi | null = null;
  private keyError: 'refused' | 'missing-role' | null = null;
  private signingIn = false;
  private readonly tz = browserTimeZone();
  private range: { from?: string; to?: string } = {};
  private stats: Load<Stats> = { kind: 'idle' };
  /** null: the service has no flags route (404), shown as "—". */
  private flags: Load<FlagPage | null> = { kind: 'idle' };
  private search = { referencePrefix: '', status: '' };
  private orders: Load<{ items: OrderSummary[]; nextCursor: string | null }> = { kind: 'idle' };
  private order: OrderView | null = null;
  private charts: BarChart[] = [];
  /** The dashboard's parts that loads replace on their own, so that the forms keep what is being typed. */
  private parts: { stats: HTMLElement; flags: HTMLElement; orders: HTMLElement } | null = null;
  private readonly verifier = new BrowserVerifier();

  constructor(
    private readonly main: HTMLElement,
    private readonly text: () => ConsoleText,
  ) {}

  render(): void {
    this.destroyCharts();
    this.parts = null;
    const t = this.text();
    if (this.api === null) this.renderKeyForm(t);
    else if (this.order !== null) this.renderOrder(t, this.order);
    else this.renderDashboard(t);
  }

  // ------------------------------------------------------------------ key

  private renderKeyForm({ c }: ConsoleText): void {
    const input = h('input', {
      type: 'password',
      id: 'api-key',
      autocomplete: 'off',
      spellcheck: 'false',
      required: true,
      'aria-describedby': 'api-key-hint',
      'data-testid': 'api-key',
    });
    const form = h(
      'form',
      { class: 'key-form', 'data-testid': 'key-form' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'api-key' }, c.keyLabel),
        input,
        h('p', { id: 'api-key-hint', class: 'hint' }, c.keyHint),
      ),
      h('button', { type: 'submit', class: 'button', disabled: this.signingIn, 'data-testid': 'open-console' }, c.keyButton),
      this.keyError === null
        ? null
        : h(
            'p',
            { class: 'form-error', role: 'alert', 'data-testid': 'key-error' },
            this.keyError === 'refused' ? c.keyRefused : c.keyMissingRole,
          ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.signIn(input.value.trim());
    });
    replace(this.main, h('section', { class: 'console-key' }, h('h1', {}, c.keyHeading), h('p', {}, c.keyIntro), form));
  }

  private async signIn(key: string): Promise<void> {
    if (key === '' || this.signingIn) return;
    this.signingIn = true;
    const api = new ConsoleApi(key);
    const outcome = await api.stats({ tz: this.tz });
    this.signingIn = false;
    if (outcome.kind === 'unauthorized' || outcome.kind === 'forbidden') {
      this.keyError = outcome.kind === 'unauthorized' ? 'refused' : 'missing-role';
      this.render();
      return;
    }
    this.keyError = null;
    this.api = api;
    this.stats = outcome.kind === 'ok' ? { kind: 'ok', value: outcome.value } : { kind: 'failed', detail: failure(outcome) };
    if (outcome.kind === 'ok') this.range = { from: outcome.value.from, to: outcome.value.to };
    this.render();
    await Promise.all([this.loadFlags(), this.loadOrders(false)]);
  }

  private signOut(): void {
    this.api = null;
    this.order = null;
    this.stats = { kind: 'idle' };
    this.flags = { kind: 'idle' };
    this.orders = { kind: 'idle' };
    this.render();
  }

  // ------------------------------------------------------------------ loading

  private async loadStats(): Promise<void> {
    if (this.api === null) return;
    this.stats = { kind: 'loading' };
    this.update('stats');
    const outcome = await this.api.stats({ ...this.range, tz: this.tz });
    this.stats = outcome.kind === 'ok' ? { kind: 'ok', value: outcome.value } : { kind: 'failed', detail: failure(outcome) };
    this.update('stats');
  }

  private async loadFlags(): Promise<void> {
    if (this.api === null) return;
    this.flags = { kind: 'loading' };
    const outcome = await this.api.flags();
    if (outcome.kind === 'ok') this.flags = { kind: 'ok', value: outcome.value };
    else if (outcome.kind === 'not-found') this.flags = { kind: 'ok', value: null };
    else this.flags = { kind: 'failed', detail: failure(outcome) };
    this.update('flags');
    this.update('stats'); // the count of flagged orders
  }

  private async loadOrders(more: boolean): Promise<void> {
    if (this.api === null) return;
    const earlier = more && this.orders.kind === 'ok' ? this.orders.value : null;
    if (!earlier) {
      this.orders = { kind: 'loading' };
      this.update('orders');
    }
    const outcome = await this.api.orders({ ...this.search, cursor: earlier?.nextCursor ?? null });
    this.orders =
      outcome.kind === 'ok'
        ? { kind: 'ok', value: { items: [...(earlier?.items ?? []), ...outcome.value.items], nextCursor: outcome.value.nextCursor } }
        : { kind: 'failed', detail: failure(outcome) };
    this.update('orders');
  }

  // ------------------------------------------------------------------ dashboard

  private destroyCharts(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }

  /** Replaces one part of the dashboard, when it is shown. */
  private update(part: 'stats' | 'flags' | 'orders'): void {
    if (this.parts === null) return;
    const t = this.text();
    const next = part === 'stats' ? this.statsSection(t) : part === 'flags' ? this.flagsSection(t) : this.orderResults(t);
    if (part === 'stats') this.destroyCharts();
    this.parts[part].replaceWith(next);
    this.parts[part] = next;
    if (part === 'stats' && this.stats.kind === 'ok') this.drawCharts(t, this.stats.value);
  }

  private renderDashboard(t: ConsoleText): void {
    const { c } = t;
    const stats = this.statsSection(t);
    const flags = this.flagsSection(t);
    const orders = this.orderResults(t);
    replace(
      this.main,
      h(
        'div',
        { class: 'console-bar' },
        h('h1', {}, c.productName),
        h(
          'button',
          { type: 'button', class: 'button button--secondary', 'data-testid': 'sign-out', onclick: () => this.signOut() },
          c.signOut,
        ),
      ),
      this.rangeForm(t),
      stats,
      flags,
      this.ordersSection(t, orders),
    );
    this.parts = { stats, flags, orders };
    // Charts measure their container, so they are drawn once it is in the document.
    if (this.stats.kind === 'ok') this.drawCharts(t, this.stats.value);
  }

  private rangeForm({ c }: ConsoleText): HTMLElement {
    const from = h('input', { type: 'date', id: 'range-from', value: this.range.from ?? '', 'data-testid': 'range-from' });
    const to = h('input', { type: 'date', id: 'range-to', value: this.range.to ?? '', 'data-testid': 'range-to' });
    const form = h(
      'form',
      { class: 'range-form', 'aria-label': c.rangeHeading },
      h('div', { class: 'field' }, h('label', { for: 'range-from' }, c.fromLabel), from),
      h('div', { class: 'field' }, h('label', { for: 'range-to' }, c.toLabel), to),
      h('button', { type: 'submit', class: 'button', 'data-testid': 'range-show' }, c.update),
      h('p', { class: 'hint' }, c.tzLabel(this.tz)),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.range = { from: from.value || undefined, to: to.value || undefined };
      void this.loadStats();
    });
    return form;
  }

  private figure(testId: string, label: string, value: string, note: string | null, warn = false): HTMLElement {
    return h(
      'div',
      { class: `figure${warn ? ' figure--warn' : ''}`, 'data-testid': testId },
      h('dt', {}, label),
      h(
        'dd',
        {},
        h('span', { class: 'figure__value', 'data-testid': `${testId}-value` }, value),
        note ? h('span', { class: 'hint' }, note) : null,
      ),
    );
  }

  private statsSection(t: ConsoleText): HTMLElement {
    const { c, lang } = t;
    const section = h(
      'section',
      { class: 'console-section', 'aria-labelledby': 'figures-heading' },
      h('h2', { id: 'figures-heading' }, c.figuresHeading),
    );
    const s = this.stats;
    if (s.kind === 'loading' || s.kind === 'idle') {
      section.append(h('p', { class: 'notice', role: 'status' }, c.loading));
      return section;
    }
    if (s.kind === 'failed') {
      section.append(h('p', { class: 'form-error', role: 'alert', 'data-testid': 'stats-failed' }, c.loadFailed(s.detail)));
      return section;
    }
    const st = s.value;
    const num = (n: number) => new Intl.NumberFormat(lang).format(n);
    const duration = (sec: number | null) => (sec === null ? c.notAvailable : formatDuration(lang, sec));
    const total = st.ordersPerDay.reduce((n, d) => n + d.orders, 0);
    // The first page of flags; more behind it shows as "n+".
    const flagged =
      this.flags.kind === 'ok' && this.flags.value !== null
        ? `${num(new Set(this.flags.value.items.map((f) => f.order)).size)}${(this.flags.value.next ?? null) === null ? '' : '+'}`
        : c.notAvailable;
    const a = st.anchoring;
    section.append(
      h(
        'dl',
        { class: 'figures', 'data-testid': 'figures' },
        this.figure('figure-orders', c.ordersInRange, num(total), `${st.from} – ${st.to}`),
        this.figure(
          'figure-median',
          c.medianPaidToDelivered,
          duration(st.paidToDelivered.medianSeconds),
          c.basedOn(st.paidToDelivered.orders),
        ),
        this.figure('figure-p95', c.p95PaidToDelivered, duration(st.paidToDelivered.p95Seconds), c.basedOn(st.paidToDelivered.orders)),
        this.figure(
          'figure-on-time',
          c.onTimeShare,
          st.onTime.share === null
            ? c.notAvailable
            : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(st.onTime.share),
          `${c.onTimeOf(st.onTime.onTime, st.onTime.promised)}. ${c.onTimeHint}`,
        ),
        this.figure(
          'figure-lag',
          c.anchoringLag,
          !a.enabled ? c.notAvailable : a.lagSeconds === null ? c.anchoringUpToDate : duration(a.lagSeconds),
          a.enabled ? null : c.anchoringOff,
        ),
        this.figure(
          'figure-balance',
          c.walletBalance,
          a.balance === null ? c.notAvailable : new Intl.NumberFormat(lang, { maximumFractionDigits: 4 }).format(Number(a.balance)),
          !a.enabled ? c.anchoringOff : a.balanceLow ? c.walletLow : null,
          a.balanceLow,
        ),
        this.figure('figure-flagged', c.flaggedOrders, flagged, null),
      ),
      h(
        'div',
        { class: 'charts' },
        h(
          'figure',
          { class: 'chart' },
          h('figcaption', {}, c.ordersPerDayHeading),
          h('div', { class: 'chart__canvas', 'data-testid': 'chart-orders-per-day' }),
          this.table(
            'orders-per-day-table',
            [c.fromLabel, c.ordersLabel],
            st.ordersPerDay.map((d) => [d.date, num(d.orders)]),
            true,
          ),
        ),
        h(
          'figure',
          { class: 'chart' },
          h('figcaption', {}, c.funnelHeading),
          h('div', { class: 'chart__canvas', 'data-testid': 'chart-funnel' }),
          this.table(
            'funnel-table',
            [c.stageLabel, c.ordersLabel],
            st.funnel.map((f) => [this.stageName(c, f.stage), num(f.orders)]),
            false,
            st.funnel.map((f) => f.stage),
          ),
        ),
      ),
    );
    return section;
  }

  private stageName(c: ConsoleMessages, stage: string): string {
    return (c.stage as Record<string, string>)[stage] ?? stage;
  }

  /** The figures a chart draws, as a table; `folded` tucks a long one into a disclosure. */
  private table(testId: string, head: [string, string], rows: [string, string][], folded: boolean, keys?: string[]): HTMLElement {
    const table = h(
      'table',
      { class: 'figures-table', 'data-testid': testId },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, head[0]), h('th', { scope: 'col' }, head[1]))),
      h('tbody', {}, ...rows.map(([k, v], i) => h('tr', { 'data-key': keys?.[i] ?? k }, h('th', { scope: 'row' }, k), h('td', {}, v)))),
    );
    return folded ? h('details', {}, h('summary', {}, head[1]), table) : table;
  }

  private drawCharts({ c }: ConsoleText, st: Stats): void {
    const perDay = this.main.querySelector<HTMLElement>('[data-testid="chart-orders-per-day"]');
    const funnel = this.main.querySelector<HTMLElement>('[data-testid="chart-funnel"]');
    if (perDay) {
      this.charts.push(
        barChart(
          perDay,
          st.ordersPerDay.map((d) => d.date.slice(5)),
          st.ordersPerDay.map((d) => d.orders),
          c.ordersAxis,
        ),
      );
    }
    if (funnel) {
      this.charts.push(
        barChart(
          funnel,
          st.funnel.map((f) => this.stageName(c, f.stage as FunnelStage)),
          st.funnel.map((f) => f.orders),
          c.ordersAxis,
        ),
      );
    }
  }

  private flagsSection({ c, lang }: ConsoleText): HTMLElement {
    const section = h(
      'section',
      { class: 'console-section', 'aria-labelledby': 'flags-heading', 'data-testid': 'flags' },
      h('h2', { id: 'flags-heading' }, c.flagsHeading),
    );
    const f = this.flags;
    if (f.kind === 'idle' || f.kind === 'loading') section.append(h('p', { class: 'hint' }, c.loading));
    else if (f.kind === 'failed') section.append(h('p', { class: 'form-error' }, c.loadFailed(f.detail)));
    else if (f.value === null) section.append(h('p', { class: 'hint', 'data-testid': 'flags-unavailable' }, c.flagsUnavailable));
    else if (f.value.items.length === 0) section.append(h('p', { class: 'hint' }, c.flagsNone));
    else {
      section.append(
        h(
          'ul',
          { class: 'flag-list' },
          ...f.value.items.map((flag) =>
            h(
              'li',
              { 'data-testid': 'flag', 'data-rule': flag.rule },
              h(
                'button',
                { type: 'button', class: 'link-button', onclick: () => void this.openOrder(flag.order, flag.order) },
                h('code', {}, flag.order),
              ),
              ' ',
              h('span', { class: `severity severity--${flag.severity}` }, c.severity(flag.severity)),
              ' ',
              flag.explanation[lang] ?? flag.explanation.en ?? flag.rule,
            ),
          ),
        ),
      );
    }
    return section;
  }

  private ordersSection({ c, m }: ConsoleText, results: HTMLElement): HTMLElement {
    const reference = h('input', {
      type: 'search',
      id: 'search-reference',
      value: this.search.referencePrefix,
      autocomplete: 'off',
      spellcheck: 'false',
      'data-testid': 'search-reference',
    });
    const status = h(
      'select',
      { id: 'search-state', 'data-testid': 'search-state' },
      h('option', { value: '' }, c.anyState),
      ...ORDER_STATES.map((s) => h('option', { value: s, selected: s === this.search.status }, m.eventType[s])),
    );
    const form = h(
      'form',
      { class: 'search-form', role: 'search' },
      h('div', { class: 'field' }, h('label', { for: 'search-reference' }, c.referenceLabel), reference),
      h('div', { class: 'field' }, h('label', { for: 'search-state' }, c.stateLabel), status),
      h('button', { type: 'submit', class: 'button', 'data-testid': 'search' }, c.search),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.search = { referencePrefix: reference.value.trim(), status: status.value };
      void this.loadOrders(false);
    });
    return h(
      'section',
      { class: 'console-section', 'aria-labelledby': 'orders-heading' },
      h('h2', { id: 'orders-heading' }, c.searchHeading),
      form,
      results,
    );
  }

  /** The orders found, replaced whenever a search or the next page comes in. */
  private orderResults({ c, m, lang }: ConsoleText): HTMLElement {
    const section = h('div', { class: 'order-results' });
    const o = this.orders;
    if (o.kind === 'idle' || o.kind === 'loading') section.append(h('p', { class: 'hint', role: 'status' }, c.loading));
    else if (o.kind === 'failed') section.append(h('p', { class: 'form-error', role: 'alert' }, c.loadFailed(o.detail)));
    else if (o.value.items.length === 0) section.append(h('p', { class: 'hint', 'data-testid': 'no-orders' }, c.noOrders));
    else {
      append(
        section,
        h(
          'table',
          { class: 'orders-table', 'data-testid': 'orders' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, c.referenceColumn),
              h('th', { scope: 'col' }, c.stateColumn),
              h('th', { scope: 'col' }, c.createdColumn),
            ),
          ),
          h(
            'tbody',
            {},
            ...o.value.items.map((order) =>
              h(
                'tr',
                { 'data-testid': 'order-row', 'data-order': order.id },
                h(
                  'th',
                  { scope: 'row' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      'data-testid': 'open-order',
                      onclick: () => void this.openOrder(order.id, order.reference),
                    },
                    order.reference,
                  ),
                ),
                h('td', {}, (m.eventType as Record<string, string>)[order.status] ?? order.status),
                h('td', {}, h('time', { datetime: order.createdAt }, formatTime(lang, order.createdAt))),
              ),
            ),
          ),
        ),
        o.value.nextCursor === null
          ? null
          : h('button', { type: 'button', class: 'button button--secondary', onclick: () => void this.loadOrders(true) }, c.more),
      );
    }
    return section;
  }

  // ------------------------------------------------------------------ one order

  private async openOrder(id: string, reference: string): Promise<void> {
    if (this.api === null) return;
    const order: OrderView = {
      id,
      reference,
      load: { kind: 'loading' },
      shown: { kind: 'checking' },
      view: createVerificationView({ verdict: 'verdict', row: 'event-row' }, 'history-heading'),
    };
    this.order = order;
    this.render();
    const outcome = await this.api.bundle(id);
    if (this.order !== order) return;
    if (outcome.kind !== 'ok') {
      order.load = { kind: 'failed', detail: failure(outcome) };
      this.render();
      return;
    }
    order.load = { kind: 'ok', value: outcome.value };
    this.render();
    // As on the verifier page: the chain and contract come from the page's trust anchors, never from the API.
    const trust = await pageTrust();
    let checked: CheckOutcome;
    try {
      checked =
        trust.kind === 'pinned'
          ? await this.verifier.check(outcome.value, trustedEndpoints(trust.trust, outcome.value), trust)
          : { kind: 'malformed', problems: [`this page has no trust anchors, so it verifies nothing (${trust.detail})`] };
    } catch (err) {
      checked = { kind: 'malformed', problems: [String((err as Error)?.message ?? err)] };
    }
    if (this.order !== order) return;
    order.shown = checked;
    this.render();
  }

  private closeOrder(): void {
    this.order = null;
    this.render();
  }

  private renderOrder({ m, c, lang }: ConsoleText, order: OrderView): void {
    const back = h(
      'button',
      { type: 'button', class: 'button button--secondary', 'data-testid': 'back', onclick: () => this.closeOrder() },
      c.backToList,
    );
    const title = h('h1', { 'data-testid': 'order-title' }, c.orderHeading(order.reference));
    const meta = h('dl', { class: 'pairs order-meta' }, h('dt', {}, m.orderLabel), h('dd', {}, h('code', {}, order.id)));
    if (order.load.kind === 'failed') {
      replace(
        this.main,
        back,
        title,
        meta,
        h('p', { class: 'form-error', role: 'alert', 'data-testid': 'bundle-failed' }, c.bundleFailed(order.load.detail)),
      );
      return;
    }
    // The verifier page's own verdict, timeline and checks, in the same elements across re-renders.
    showVerification(order.view, order.shown, m, lang);
    replace(this.main, back, title, meta, order.view.verdict, order.view.history, order.view.checks);
  }
}
