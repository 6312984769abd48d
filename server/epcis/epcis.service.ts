import { Injectable } from '@nestjs/common';
import { canonicalJson, type JsonValue } from '../../proof/canonical';
import type { EventType } from '../../proof/record';
import type { BrandPrincipal, KeyCaller } from '../auth/brand-principal';
import { BundlesService } from '../bundles/bundles.service';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { parseRfc3339 } from '../orders/event-fields.validation';
import type { EventDto } from '../orders/events.dto';
import { OrdersService } from '../orders/orders.service';
import { epcisDocumentOf, isOrdertraceExtension, orderIdOfUri } from './epcis-document';
import { EpcisHasher, namespacePrefixes } from './epcis-event-hash';
import { epcisSchemaProblem } from './epcis-schema';
import { lifecycleTypeOf } from './epcis-vocabulary';

/** The `data` field an imported event keeps its EPCIS eventID in: a second import of it is skipped. */
export const IMPORTED_EVENT_ID_FIELD = 'epcisEventID';
const MAX_IMPORTED_EVENTS = 1_000;

export interface EpcisImportResult {
  /** The events stored, in document order. */
  imported: EventDto[];
  /** eventIDs of events already imported before, left out. */
  skipped: string[];
}

interface PlannedImport {
  index: number;
  eventID: string;
  orderId: string;
  type: EventType;
  at: string;
  data: { [key: string]: JsonValue };
}

type JsonObject = Record<string, unknown>;

/** Orders as EPCIS 2.0 documents, and EPCIS documents of a brand's systems (warehouse, carrier) as lifecycle events. */
@Injectable()
export class EpcisService {
  constructor(
    private readonly orders: OrdersService,
    private readonly bundles: BundlesService,
  ) {}

  /** GET /v1/orders/{id}/epcis: one ObjectEvent per lifecycle event, each with its Event Hash ID and anchor. */
  async exportOrder(caller: KeyCaller, orderId: string): Promise<JsonObject> {
    const { items } = await this.orders.listEvents(caller, orderId);
    const anchored = items.some((e) => e.anchor !== null);
    const chain = anchored ? await this.bundles.chainIdentity() : null;
    return epcisDocumentOf({ id: orderId, brand: items[0].record.brand }, items, chain);
  }

  /**
   * POST /v1/epcis: every ObjectEvent names one of the brand's orders by its ordertrace order URI
   * (a business transaction) and maps, by business step and disposition, to a lifecycle event.
   * The whole document or nothing; events imported before (the same eventID) are skipped.
   */
  async importDocument(principal: BrandPrincipal, document: unknown): Promise<EpcisImportResult> {
    const schemaProblem = epcisSchemaProblem(document);
    if (schemaProblem !== null) {
      throw new DomainError(
        ErrorCode.EPCIS_INVALID,
        `The body is not an EPCIS 2.0 document: ${schemaProblem.path} ${schemaProblem.message}`,
        {
          field: schemaProblem.path,
        },
      );
    }
    const doc = document as JsonObject;
    if (doc.type !== 'EPCISDocument') {
      throw new DomainError(ErrorCode.EPCIS_INVALID, 'Send an EPCISDocument (a query document is not imported)', { field: 'type' });
    }
    const events = ((doc.epcisBody as JsonObject).eventList ?? []) as JsonObject[];
    if (events.length > MAX_IMPORTED_EVENTS) {
      throw new DomainError(ErrorCode.EPCIS_INVALID, `A document may hold at most ${MAX_IMPORTED_EVENTS} events`, {
        field: 'epcisBody.eventList',
      });
    }
    const hasher = new EpcisHasher(namespacePrefixes(doc['@context']));
    const planned: PlannedImport[] = [];
    const unmapped: { field: string; message: string }[] = [];
    events.forEach((event, index) => {
      const result = this.plan(event, index, hasher);
      if ('message' in result) unmapped.push(result);
      else planned.push(result);
    });
    if (unmapped.length > 0) {
      throw new DomainError(
        ErrorCode.EPCIS_UNMAPPED,
        `${unmapped.length} of ${events.length} events map to no order event; nothing was imported`,
        { errors: unmapped, field: unmapped[0].field },
      );
    }
    const seen = await this.orders.eventDataValuesPresent(
      principal,
      [...new Set(planned.map((p) => p.orderId))],
      IMPORTED_EVENT_ID_FIELD,
      planned.map((p) => p.eventID),
    );
    const fresh: PlannedImport[] = [];
    const skipped: string[] = [];
    for (const p of planned) {
      if (seen.has(p.eventID)) skipped.push(p.eventID);
      else {
        seen.add(p.eventID);
        fresh.push(p);
      }
    }
    const imported =
      fresh.length === 0 ? [] : await this.orders.appendAllForBrand(principal, fresh, (i) => `epcisBody.eventList[${fresh[i].index}]`);
    return { imported, skipped };
  }

  private plan(event: JsonObject, index: number, hasher: EpcisHasher): PlannedImport | { field: string; message: string } {
    const field = `epcisBody.eventList[${index}]`;
    if (event.type !== 'ObjectEvent')
      return { field: `${field}.type`, message: `is ${String(event.type)}; only ObjectEvents are imported` };
    const orderUris = ((event.bizTransactionList ?? []) as JsonObject[])
      .map((t) => (typeof t.bizTransaction === 'string' ? orderIdOfUri(t.bizTransaction) : null))
      .filter((id): id is string => id !== null);
    if (orderUris.length !== 1) {
      return {
        field: `${field}.bizTransactionList`,
        message: 'must name exactly one order by its ordertrace URI (urn:ordertrace:order:<id>)',
      };
    }
    if (typeof event.bizStep !== 'string') return { field: `${field}.bizStep`, message: 'is missing' };
    const disposition = typeof event.disposition === 'string' ? event.disposition : undefined;
    const type = lifecycleTypeOf(event.bizStep, disposition);
    if (type === null) {
      return {
        field: `${field}.bizStep`,
        message: `${event.bizStep}${disposition === undefined ? '' : ` with disposition ${disposition}`} maps to no order event (docs/epcis.md lists the mapping)`,
      };
    }
    if (type === 'created') return { field: `${field}.bizStep`, message: 'orders are created through POST /v1/orders, not imported' };
    const at = parseRfc3339(event.eventTime);
    if (at === null) return { field: `${field}.eventTime`, message: 'must be an RFC 3339 time with an offset' };
    const eventID =
      typeof event.eventID === 'string'
        ? event.eventID
        : hasher.hashId(event as Parameters<EpcisHasher['hashId']>[0], isOrdertraceExtension);
    const data: { [key: string]: JsonValue } = { [IMPORTED_EVENT_ID_FIELD]: eventID };
    const epcs = (event.epcList ?? []) as string[];
    if (epcs.length > 0) data.epcList = epcs;
    for (const place of ['readPoint', 'bizLocation'] as const) {
      const id = (event[place] as JsonObject | undefined)?.id;
      if (typeof id === 'string') data[place] = id;
    }
    try {
      canonicalJson(data);
    } catch (e) {
      // Text PostgreSQL or RFC 8785 cannot hold (a lone surrogate, say) is refused, not stored altered.
      return { field, message: `holds a value that cannot be recorded exactly (${e instanceof Error ? e.message : 'unknown'})` };
    }
    return { index, eventID, orderId: orderUris[0], type, at: at.toISOString(), data };
  }
}
