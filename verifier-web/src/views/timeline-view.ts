/** The order's events, newest first, each with its own verdict; anchoring details are folded away. */
import { EVENT_TYPES, type EventType } from '../../../proof/record';
import { BLOCK_TIME_TOLERANCE_SECONDS } from '../../../proof/verify';
import {
  batchOf,
  type BundleView,
  type EventRow,
  type FieldView,
  type ReadableValue,
  type RecordSource,
  type RowStatus,
} from '../../../view/bundle-view';
import { formatTime, type Lang, type Messages } from '../i18n';
import { h, replace } from './dom';

const STATUS_ICON: Record<RowStatus, string> = { verified: '✓', pending: '◷', invalid: '✗', unchecked: '–' };

export function eventLabel(type: string | null, m: Messages): string {
  if (type !== null && (EVENT_TYPES as readonly string[]).includes(type)) return m.eventType[type as EventType];
  return m.unknownEventType(type ?? '?');
}

export function timeEl(lang: Lang, value: string): HTMLElement {
  return h('time', { datetime: value, title: value }, formatTime(lang, value));
}

export function pairs(items: [string, Node | string][], className: string): HTMLElement {
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

/** The id of a batch's entry under "Blockchain records", which events link to; `prefix` keeps two views on one page apart. */
export function batchAnchorId(prefix: string, batch: number): string {
  return `${prefix}-batch-${batch}`;
}

/** Which batch anchors the event; the batch's transaction and block are shown once, under "Blockchain records". */
function anchorLine(view: BundleView, row: EventRow, m: Messages, idPrefix: string): HTMLElement | null {
  const batch = batchOf(view, row);
  if (!batch?.onChain || row.status === 'invalid' || batch.batch === null) return null;
  return h('p', {}, h('a', { href: `#${batchAnchorId(idPrefix, batch.batch)}` }, m.anchoredInBatch(batch.batch)));
}

/** A public value laid out for reading: a table for a list of objects, pairs for an object. */
export function readableEl(value: ReadableValue): Node | string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'list':
      return value.items.join(', ');
    case 'pairs':
      return pairs(
        value.pairs.map((p) => [p.name, p.text]),
        'pairs pairs--nested',
      );
    case 'table':
      return h(
        'div',
        { class: 'data-table' },
        h(
          'table',
          { 'data-testid': 'data-table' },
          h('thead', {}, h('tr', {}, ...value.columns.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...value.rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))),
        ),
      );
  }
}

/** Public fields as pairs, and those that read as tables below them at full width. */
function dataEl(data: FieldView[]): HTMLElement | null {
  if (data.length === 0) return null;
  const tables = data.filter((f) => f.readable.kind === 'table');
  const rest = data.filter((f) => f.readable.kind !== 'table');
  return h(
    'div',
    { class: 'event__data' },
    rest.length
      ? pairs(
          rest.map((f) => [f.name, readableEl(f.readable)]),
          'pairs',
        )
      : null,
    ...tables.map((f) => h('div', {}, h('p', { class: 'event__subhead' }, f.name), readableEl(f.readable))),
  );
}

/** Carrier and place, when the event names them. */
function whereEl(row: EventRow, m: Messages): HTMLElement | null {
  const parts: [string, string][] = [];
  if (row.carrier) parts.push([m.carrierLabel, row.carrier.text]);
  if (row.place) parts.push([m.placeLabel, row.place.text]);
  if (parts.length === 0) return null;
  return h(
    'p',
    { class: 'event__where', 'data-testid': 'event-where' },
    ...parts.flatMap(([label, text], i) => [i > 0 ? ' · ' : null, h('span', { class: 'visually-hidden' }, `${label}: `), text]),
  );
}

/**
 * The order's events, newest first on every screen (as parcel tracking reads): what happened
 * last is what a consumer looks for, and the reading order stays the order shown.
 */
export function renderTimeline(el: HTMLElement, view: BundleView, m: Messages, lang: Lang, rowTestId: string, idPrefix: string): void {
  const list = h('ol', { class: 'timeline', reversed: true });
  for (const row of [...view.events].reverse()) {
    const sealed = row.sealed.filter((f) => f.state === 'sealed').map((f) => (f.erased === true ? `${f.name}${m.erasedMark}` : f.name));
    const disclosed: [string, string][] = row.sealed.filter((f) => f.state !== 'sealed').map((f) => [f.name, f.value ?? '']);
    const shownAbove = new Set([row.carrier?.key, row.place?.key]);
    const data = row.data.filter((f) => !shownAbove.has(f.name));
    const more: [string, Node | string][] = [];
    if (row.recorded) more.push([m.recordedAt, timeEl(lang, row.recorded)]);
    more.push([
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
          h('h3', { class: 'event__title' }, h('span', { class: 'event__seq' }, m.eventNumber(row.seq)), ' ', eventLabel(row.type, m)),
          h(
            'span',
            { class: `badge badge--${row.status}` },
            h('span', { 'aria-hidden': 'true' }, STATUS_ICON[row.status]),
            ' ',
            m.status[row.status],
          ),
        ),
        row.at
          ? h('p', { class: 'event__when' }, h('span', { class: 'visually-hidden' }, `${m.happenedAt}: `), timeEl(lang, row.at))
          : null,
        whereEl(row, m),
        dataEl(data),
        reason(row, m),
        timeWarningEl(row, m, lang),
        h(
          'details',
          { class: 'event__more' },
          h('summary', {}, m.moreDetails),
          pairs(more, 'pairs'),
          row.reservedData.length
            ? h(
                'div',
                {},
                h('p', { class: 'event__subhead' }, m.otherReservedData),
                pairs(
                  row.reservedData.map((f) => [f.name, readableEl(f.readable)]),
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
          disclosed.length ? h('div', {}, h('p', { class: 'event__subhead' }, m.disclosedFields), pairs(disclosed, 'pairs')) : null,
          anchorLine(view, row, m, idPrefix),
        ),
      ),
    );
  }
  replace(el, list);
}
