/**
 * CBV 2.0 EPCIS Event Hash IDs against the examples of a reference generator
 * (test/fixtures/epcis-event-hash-generator, MIT), and the Digital Link forms of EPC URNs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalTime, EpcisHasher, namespacePrefixes } from '../../server/epcis/epcis-event-hash';
import { canonicalDigitalLink, epcUrnToDigitalLink, gs1CheckDigit } from '../../server/epcis/gs1-digital-link';

const FIXTURES = join(__dirname, '../fixtures/epcis-event-hash-generator');

/** Examples whose every event is an ObjectEvent with the fields order events use. */
const OBJECT_EVENT_EXAMPLES = [
  'ReferenceEventHashAlgorithm',
  'ReferenceEventHashAlgorithm3',
  'epcisDocHavingEventWithComment',
  'epcisDocWithShippingAndTransportingEvent',
  'epcisDocWithSingleEvent',
  'epcisEventWithCURIEs',
  'persistentDisposition',
  'ralfsChaosExample',
];

type Doc = { '@context': unknown; epcisBody: { eventList: Record<string, never>[] } };

function example(name: string): { doc: Doc; hashes: string[] } {
  return {
    doc: JSON.parse(readFileSync(join(FIXTURES, `${name}.jsonld`), 'utf8')) as Doc,
    hashes: readFileSync(join(FIXTURES, `${name}.hashes`), 'utf8')
      .trim()
      .split('\n'),
  };
}

describe('EPCIS Event Hash ID (CBV 2.0)', () => {
  it.each(OBJECT_EVENT_EXAMPLES)('matches the reference generator on %s', (name) => {
    const { doc, hashes } = example(name);
    const hasher = new EpcisHasher(namespacePrefixes(doc['@context']));
    const ids = doc.epcisBody.eventList.map((e) => hasher.hashId(e));
    expect(ids.sort()).toEqual([...hashes].sort());
  });

  it('changes with the content and not with eventID, recordTime or an excluded extension', () => {
    const { doc } = example('epcisDocWithSingleEvent');
    const hasher = new EpcisHasher(namespacePrefixes(doc['@context']));
    const event = doc.epcisBody.eventList[0] as Record<string, unknown>;
    const id = hasher.hashId(event as never);
    expect(hasher.hashId({ ...event, eventID: 'x', recordTime: '2030-01-01T00:00:00Z' })).toBe(id);
    expect(hasher.hashId({ ...event, 'ordertrace:leaf': '0xab' }, (k) => k.startsWith('ordertrace:'))).toBe(id);
    expect(hasher.hashId({ ...event, bizStep: 'receiving' })).not.toBe(id);
    // The same instant in another offset is the same event.
    expect(hasher.hashId({ ...event, eventTime: '2022-02-17T02:33:31.116Z' })).toBe(id);
  });

  it('normalises times to UTC milliseconds, rounding half to even like the reference', () => {
    expect(canonicalTime('2020-03-04T11:00:30.000+01:00')).toBe('2020-03-04T10:00:30.000Z');
    expect(canonicalTime('2023-02-02T11:04:03.1415Z')).toBe('2023-02-02T11:04:03.142Z');
    expect(canonicalTime('2023-02-02T11:04:03.1414Z')).toBe('2023-02-02T11:04:03.141Z');
    expect(canonicalTime('2023-02-02T11:04:03.1425Z')).toBe('2023-02-02T11:04:03.142Z');
  });

  it('writes EPC URNs and Digital Links of any host as canonical Digital Links', () => {
    expect(gs1CheckDigit('04012345000000111')).toBe('2');
    expect(gs1CheckDigit('1061414107346')).toBe('4');
    expect(epcUrnToDigitalLink('urn:epc:id:sscc:4012345.0000000111')).toBe('https://id.gs1.org/00/040123450000001112');
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.2017')).toBe('https://id.gs1.org/01/10614141073464/21/2017');
    expect(epcUrnToDigitalLink('urn:epc:id:sgln:0614141.07346.0')).toBe('https://id.gs1.org/414/0614141073467');
    expect(epcUrnToDigitalLink('urn:epc:class:lgtin:4012345.012345.Lot987')).toBe('https://id.gs1.org/01/04012345123456/10/Lot987');
    expect(epcUrnToDigitalLink('urn:epc:id:pgln:4012345.00000')).toBe('https://id.gs1.org/417/4012345000009');
    expect(epcUrnToDigitalLink('urn:ordertrace:order:ord_1')).toBeNull();
    expect(canonicalDigitalLink('https://example.com/gtin/09780345418913/21/765tz?abc=1')).toBe(
      'https://id.gs1.org/01/09780345418913/21/765tz',
    );
    expect(canonicalDigitalLink('https://example.com/not/a/link')).toBeNull();
  });
});
