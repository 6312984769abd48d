/** The order's events, oldest first, each with its own verdict and anchoring. */
import { EVENT_TYPES, type EventType } from '../../../proof/record';
import { BLOCK_TIME_TOLERANCE_SECONDS } from '../../../proof/verify';
import { batchOf, type BundleView, type EventRow, type RecordSource, type RowStatus } from '../../../view/bundle-view';
import { formatTime, type Lang, type Messages } from '../i18n';
import { h, replace } from './dom';

const STATUS_ICON: Record<RowStatus, string> = { verified: '✓', pending: '◷', invalid: '✗', unchecked: '–' };

export function eventLabel(type: string | null, m: Messages): string {
  if (type !== null && (EVENT_TYPES as readonly string[]).includes(type)) return m.eventType[type as EventType];
  return m.unknownEventType(type ?? '?');
}

function timeEl(lang: Lang, value: string): HTMLElement {
  return h('time', { datetime: value, title: value }, formatTime(lang, value));
}

function pairs(items: [string, Node | string][], className: string): HTMLElement {
  const dl = h('dl', { class: className });
  for (const [term, value] of items) dl.append(h('dt', {}, term), h('dd', {}, value));
  return dl;
}

function recordedByText(source: RecordSource, m: Messages): string {
  switch (source.kind) {
    case 'api-key':
      return m.recordedBy.apiKey(source.keyId);
    case 'consumer':
      return m.recordedBy.consumer;
    case 'operator':
      return m.recordedBy.operator;
    case 'unknown':
      return m.recordedBy.unknown(source.value);
    case 'not-stated':
      return m.recordedBy.notStated;
  }
}

function delayText(seconds: number, lang: Lang): string {
  const hours = seconds / 3600;
  const n = hours >= 48 ? Math.floor(hours / 24) : hours >= 1 ? Math.floor(hours) : Math.max(1, Math.floor(seconds / 60));
  const unit = hours >= 48 ? 'day' : hours >= 1 ? 'hour' : 'minute';
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}

/** A time that does not add up; shown, never a failure. */
function timeWarningEl(row: EventRow, m: Messages, lang: Lang): HTMLElement | null {
  const w = row.timeWarning;
  if (!w) return null;
  const text =
    w.code === 'RECORDED_AFTER_BLOCK'
      ? m.timeWarning.recordedAfterBlock(-w.delaySeconds, BLOCK_TIME_TOLERANCE_SECONDS)
      : m.timeWarning.lateAnchor(delayText(w.delaySeconds, lang));
  return h('p', { class: 'event__reason event__reason--warning', 'data-testid': 'time-warning', 'data-code': w.code }, text);
}

function reason(row: EventRow, m: Messages): HTMLElement | null {
  switch (row.status) {
    case 'verified':
      return null;
    case 'pending':
      return h('p', { class: 'event__reason' }, m.pendingReason);
    case 'unchecked':
      return h('p', { class: 'event__reason' }, m.uncheckedReason);
    case 'invalid':
      return h(
        'div',
        { class: 'event__reason event__reason--invalid' },
        h('p', {}, row.failure ? m.stepReason[row.failure.step] : m.status.invalid),
        row.failure?.message ? h('p', { class: 'event__tech' }, `${m.technicalDetail}: `, h('code', {}, row.failure.message)) : null,
      );
  }
}

/** The batch's anchoring as read from the chain; an invalid event's claim is not shown as anchoring. */
function anchorEl(view: BundleView, row: EventRow, m: Messages, lang: Lang): HTMLElement | null {
  const batch = batchOf(view, row);
  const a = batch?.onChain;
  if (!batch || !a || row.status === 'invalid') return null;
  const items: [string, Node | string][] = [
    [m.batchLabel, String(batch.batch)],
    [m.transactionLabel, h('code', { class: 'hash' }, batch.txHash ?? '')],
    [m.blockLabel, String(a.blockNumber)],
  ];
  if (a.blockTime !== null) items.push([m.blockTimeLabel, timeEl(lang, a.blockTime)]);
  items.push([m.confirmationsLabel, String(a.confirmations)]);
  return h('div', { class: 'event__anchor' }, h('p', { class: 'event__subhead' }, m.anchoredIn), pairs(items, 'pairs pairs--anchor'));
}

export function renderTimeline(el: HTMLElement, view: BundleView, m: Messages, lang: Lang, rowTestId: string): void {
  const list = h('ol', { class: 'timeline' });
  for (const row of view.events) {
    const sealed = row.sealed.filter((f) => f.state === 'sealed').map((f) => (f.erased === true ? `${f.name}${m.erasedMark}` : f.name));
    const disclosed: [string, string][] = row.sealed.filter((f) => f.state !== 'sealed').map((f) => [f.name, f.value ?? '']);
    const label = eventLabel(row.type, m);
    const times: [string, Node | string][] = [];
    if (row.at) times.push([m.happenedAt, timeEl(lang, row.at)]);
    if (row.recorded) times.push([m.recordedAt, timeEl(lang, row.recorded)]);
    times.push([
      m.recordedByLabel,
      h('span', { 'data-testid': 'recorded-by', 'data-kind': row.recordedBy.kind }, recordedByText(row.recordedBy, m)),
    ]);
    list.append(
      h(
        'li',
        {
          class: `event event--${row.status}`,
          'data-testid': rowTestId,
          'data-status': row.status,
          'data-seq': row.seq ?? '',
          'data-type': row.type ?? '',
        },
        h(
          'div',
          { class: 'event__head' },
          h('h3', { class: 'event__title' }, h('span', { class: 'event__seq' }, m.eventNumber(row.seq)), ' ', label),
          h(
            'span',
            { class: `badge badge--${row.status}` },
            h('span', { 'aria-hidden': 'true' }, STATUS_ICON[row.status]),
            ' ',
            m.status[row.status],
          ),
        ),
        times.length ? pairs(times, 'pairs') : null,
        row.data.length
          ? h(
              'div',
              { class: 'event__data' },
              h('p', { class: 'event__subhead' }, m.publicData),
              pairs(
                row.data.map((f) => [f.name, f.value]),
                'pairs',
              ),
            )
          : null,
        row.reservedData.length
          ? h(
              'div',
              { class: 'event__data' },
              h('p', { class: 'event__subhead' }, m.otherReservedData),
              pairs(
                row.reservedData.map((f) => [f.name, f.value]),
                'pairs',
              ),
            )
          : null,
        sealed.length
          ? h(
              'div',
              { class: 'event__sealed' },
              h('p', { class: 'event__subhead' }, m.sealedFields),
              h('p', {}, sealed.join(', ')),
              h('p', { class: 'hint' }, m.sealedFieldsHint),
            )
          : null,
        disclosed.length
          ? h('div', { class: 'event__data' }, h('p', { class: 'event__subhead' }, m.disclosedFields), pairs(disclosed, 'pairs'))
          : null,
        reason(row, m),
        timeWarningEl(row, m, lang),
        anchorEl(view, row, m, lang),
      ),
    );
  }
  replace(el, list);
}
