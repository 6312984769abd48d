/**
 * EPCIS 2.0: an order's export validates against GS1's official JSON schema, carries each event's
 * CBV 2.0 Event Hash ID (unchanged by anchoring) and its anchor; imports of a brand's EPCIS
 * documents become lifecycle events all or nothing, skip events imported before, and refuse
 * unmapped steps, unknown orders and illegal transitions without storing anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EpcisHasher, namespacePrefixes } from '../../server/epcis/epcis-event-hash';
import { type AnchoringTestApp, createBrand, startAnchoringTestApp, type TestBrand, waitOrderAnchored } from '../support/app';

type Json = Record<string, unknown>;

const schema = JSON.parse(readFileSync(join(__dirname, '../../server/epcis/schema/EPCIS-JSON-Schema.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateEpcis = ajv.compile(schema);

function importDocument(events: Json[]): Json {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { acme: 'https://acme.example/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-11-29T08:00:00.000Z',
    epcisBody: { eventList: events },
  };
}

function objectEvent(orderId: string, bizStep: string, eventTime: string, extra: Json = {}): Json {
  return {
    type: 'ObjectEvent',
    eventTime,
    eventTimeZoneOffset: '+08:00',
    epcList: ['urn:epc:id:sscc:4012345.0000000111'],
    action: 'OBSERVE',
    bizStep,
    readPoint: { id: 'urn:epc:id:sgln:4012345.00011.987' },
    bizTransactionList: [{ type: 'po', bizTransaction: `urn:ordertrace:order:${orderId}` }],
    ...extra,
  };
}

describe('EPCIS 2.0 export and import', () => {
  jest.setTimeout(120_000);
  let fx: AnchoringTestApp;
  let brand: TestBrand;
  let other: TestBrand;

  beforeAll(async () => {
    fx = await startAnchoringTestApp();
    [brand, other] = [await createBrand(fx.t), await createBrand(fx.t)];
  });
  afterAll(async () => {
    await fx?.close();
  });

  const newOrder = async (reference: string, types: string[] = []): Promise<string> => {
    const res = await fx.t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference, data: { shop: '天猫旗舰店' } })
      .expect(201);
    const id = (res.body as { id: string }).id;
    for (const type of types) await fx.t.http.post(`/v1/orders/${id}/events`).set(brand.auth).send({ type }).expect(201);
    return id;
  };
  const eventTypes = async (orderId: string): Promise<string[]> => {
    const res = await fx.t.http.get(`/v1/orders/${orderId}/events`).set(brand.auth).expect(200);
    return (res.body as { items: { type: string }[] }).items.map((e) => e.type);
  };

  it('exports a schema-valid EPCISDocument whose eventIDs are the Event Hash IDs, unchanged by anchoring', async () => {
    const orderId = await newOrder('EPCIS-1', ['paid', 'packed', 'shipped']);
    const before = await fx.t.http.get(`/v1/orders/${orderId}/epcis`).set(brand.auth).expect(200);
    expect(before.headers['content-type']).toMatch(/^application\/ld\+json/);
    const pending = JSON.parse(before.text) as Json;
    await waitOrderAnchored(fx.t, brand, orderId, 4);
    const after = JSON.parse((await fx.t.http.get(`/v1/orders/${orderId}/epcis`).set(brand.auth).expect(200)).text) as Json;

    for (const doc of [pending, after]) {
      const valid = validateEpcis(doc);
      expect(validateEpcis.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    const events = (after.epcisBody as { eventList: Json[] }).eventList;
    expect(events.map((e) => [e.bizStep, e.disposition])).toEqual([
      ['urn:ordertrace:bizstep:created', 'active'],
      ['urn:ordertrace:bizstep:paid', 'active'],
      ['packing', 'in_progress'],
      ['shipping', 'in_transit'],
    ]);
    // Recomputed independently of the export: the hash over the event without the ordertrace extension.
    const hasher = new EpcisHasher(namespacePrefixes(after['@context']));
    for (const event of events) {
      expect(event.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      expect(hasher.hashId(event as never, (k) => k.startsWith('ordertrace:'))).toBe(event.eventID);
      expect(event.bizTransactionList).toEqual([{ type: 'po', bizTransaction: `urn:ordertrace:order:${orderId}` }]);
      expect(event['ordertrace:anchor']).toMatchObject({
        chainId: 31337,
        contract: fx.contract.toLowerCase(),
        txHash: expect.stringMatching(/^0x/),
      });
    }
    const pendingEvents = (pending.epcisBody as { eventList: Json[] }).eventList;
    expect(pendingEvents.map((e) => e.eventID)).toEqual(events.map((e) => e.eventID));
    expect(pendingEvents[0]['ordertrace:anchor']).toBeUndefined();
    expect(events[0]['ordertrace:data']).toMatchObject({ shop: '天猫旗舰店' });
    // Another brand cannot read it.
    await fx.t.http.get(`/v1/orders/${orderId}/epcis`).set(other.auth).expect(404);
  });

  it('imports a warehouse and carrier document as lifecycle events, and skips it when sent again', async () => {
    const orderId = await newOrder('EPCIS-2', ['paid']);
    const doc = importDocument([
      objectEvent(orderId, 'picking', '2026-11-29T09:00:00.000+08:00'),
      objectEvent(orderId, 'packing', '2026-11-29T10:00:00.000+08:00', { 'acme:station': 'P-7' }),
      objectEvent(orderId, 'https://ref.gs1.org/cbv/BizStep-shipping', '2026-11-29T11:00:00.000+08:00', { disposition: 'in_transit' }),
    ]);
    const first = await fx.t.http
      .post('/v1/epcis')
      .set(brand.auth)
      .set('content-type', 'application/ld+json')
      .send(JSON.stringify(doc))
      .expect(201);
    const imported = (first.body as { imported: { type: string; at: string; record: { data: Json } }[]; skipped: string[] }).imported;
    expect(imported.map((e) => e.type)).toEqual(['allocated', 'packed', 'shipped']);
    expect(imported[0].at).toBe('2026-11-29T01:00:00.000Z');
    expect(imported[0].record.data).toMatchObject({
      epcisEventID: expect.stringMatching(/^ni:\/\/\/sha-256;/),
      epcList: ['urn:epc:id:sscc:4012345.0000000111'],
      readPoint: 'urn:epc:id:sgln:4012345.00011.987',
    });
    expect(await eventTypes(orderId)).toEqual(['created', 'paid', 'allocated', 'packed', 'shipped']);

    const again = await fx.t.http.post('/v1/epcis').set(brand.auth).send(doc).expect(201);
    expect(again.body).toMatchObject({ imported: [], skipped: imported.map((e) => e.record.data.epcisEventID) });
    expect(await eventTypes(orderId)).toHaveLength(5);
  });

  it('imports all or nothing: an unmapped step, an illegal transition or an unknown order stores none of the document', async () => {
    const orderId = await newOrder('EPCIS-3', ['paid']);
    const unmapped = await fx.t.http
      .post('/v1/epcis')
      .set(brand.auth)
      .send(
        importDocument([
          objectEvent(orderId, 'picking', '2026-11-29T09:00:00Z'),
          objectEvent(orderId, 'inspecting', '2026-11-29T09:30:00Z'),
          objectEvent(orderId, 'commissioning', '2026-11-29T09:40:00Z'),
        ]),
      )
      .expect(422);
    expect(unmapped.body).toMatchObject({ code: 'EPCIS_UNMAPPED' });
    expect((unmapped.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'epcisBody.eventList[1].bizStep',
      'epcisBody.eventList[2].bizStep',
    ]);

    // picking is fine, arriving (delivered) is not before shipping: neither is stored.
    const illegal = await fx.t.http
      .post('/v1/epcis')
      .set(brand.auth)
      .send(
        importDocument([objectEvent(orderId, 'picking', '2026-11-29T09:00:00Z'), objectEvent(orderId, 'arriving', '2026-11-29T10:00:00Z')]),
      )
      .expect(409);
    expect(illegal.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', field: 'epcisBody.eventList[1]', currentState: 'allocated' });
    expect((illegal.body as { detail: string }).detail).toMatch(/nothing was imported/);

    const foreign = await fx.t.http
      .post('/v1/epcis')
      .set(other.auth)
      .send(importDocument([objectEvent(orderId, 'picking', '2026-11-29T09:00:00Z')]))
      .expect(404);
    expect(foreign.body).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(await eventTypes(orderId)).toEqual(['created', 'paid']);
  });

  it('refuses what is not an EPCIS 2.0 document, naming where', async () => {
    const bad = await fx.t.http.post('/v1/epcis').set(brand.auth).send({ type: 'EPCISDocument', epcisBody: {} }).expect(400);
    expect(bad.body).toMatchObject({ code: 'EPCIS_INVALID' });
    const noOrder = await fx.t.http
      .post('/v1/epcis')
      .set(brand.auth)
      .send(importDocument([{ ...objectEvent('x', 'picking', '2026-11-29T09:00:00Z'), bizTransactionList: [] }]))
      .expect(422);
    expect((noOrder.body as { errors: { field: string }[] }).errors[0].field).toBe('epcisBody.eventList[0].bizTransactionList');
  });
});
