import type { EventRecord } from '../../proof/record';
import type { EventDto } from '../orders/events.dto';
import { EpcisHasher, namespacePrefixes } from './epcis-event-hash';
import { CBV_STEPS } from './epcis-vocabulary';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/** ordertrace's EPCIS extension namespace: the leaf, its anchor and the record's own fields. */
export const ORDERTRACE_NAMESPACE = 'urn:ordertrace:epcis:';
export const ORDERTRACE_PREFIX = 'ordertrace';
const DOCUMENT_CONTEXT = [EPCIS_CONTEXT, { [ORDERTRACE_PREFIX]: ORDERTRACE_NAMESPACE }];

/** The business transaction that names an order in EPCIS: a purchase order with ordertrace's URI of the order. */
export function orderUri(orderId: string): string {
  return `urn:ordertrace:order:${orderId}`;
}

export function orderIdOfUri(uri: string): string | null {
  const m = /^urn:ordertrace:order:([A-Za-z0-9_-]{1,64})$/.exec(uri);
  return m === null ? null : m[1];
}

type JsonObject = Record<string, unknown>;

/** Keys of the ordertrace extension: left out of the Event Hash ID, since anchoring adds to them. */
export function isOrdertraceExtension(key: string): boolean {
  return key.startsWith(`${ORDERTRACE_PREFIX}:`);
}

const hasher = new EpcisHasher(namespacePrefixes(DOCUMENT_CONTEXT));

/** One lifecycle event as an EPCIS 2.0 ObjectEvent, with its CBV 2.0 Event Hash ID as eventID. */
export function objectEventOf(event: EventDto, chain: { chainId: number; contract: string } | null): JsonObject {
  const record: EventRecord = event.record;
  const step = CBV_STEPS[record.type];
  const objectEvent: JsonObject = {
    type: 'ObjectEvent',
    eventTime: record.at,
    // Records keep times in UTC: the offset they were sent with is not stored.
    eventTimeZoneOffset: '+00:00',
    recordTime: record.recorded,
    epcList: [],
    action: 'OBSERVE',
    bizStep: step.bizStep,
    disposition: step.disposition,
    bizTransactionList: [{ type: 'po', bizTransaction: orderUri(record.order) }],
  };
  objectEvent.eventID = hasher.hashId(objectEvent as Parameters<EpcisHasher['hashId']>[0], isOrdertraceExtension);
  objectEvent[`${ORDERTRACE_PREFIX}:type`] = record.type;
  objectEvent[`${ORDERTRACE_PREFIX}:seq`] = record.seq;
  objectEvent[`${ORDERTRACE_PREFIX}:data`] = record.data;
  objectEvent[`${ORDERTRACE_PREFIX}:leaf`] = event.leaf;
  objectEvent[`${ORDERTRACE_PREFIX}:status`] = event.status;
  if (event.anchor !== null) {
    objectEvent[`${ORDERTRACE_PREFIX}:anchor`] = {
      ...(chain === null ? {} : { chainId: chain.chainId, contract: chain.contract }),
      batch: event.anchor.batch,
      root: event.anchor.root,
      proof: event.anchor.proof,
      txHash: event.anchor.txHash,
      blockNumber: event.anchor.blockNumber,
      blockHash: event.anchor.blockHash,
    };
  }
  return objectEvent;
}

/** An order's history as an EPCISDocument (JSON-LD), one ObjectEvent per lifecycle event. */
export function epcisDocumentOf(
  order: { id: string; brand: string },
  events: readonly EventDto[],
  chain: { chainId: number; contract: string } | null,
  now: Date = new Date(),
): JsonObject {
  return {
    '@context': DOCUMENT_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: now.toISOString(),
    sender: `urn:ordertrace:brand:${order.brand}`,
    epcisBody: { eventList: events.map((e) => objectEventOf(e, chain)) },
  };
}
