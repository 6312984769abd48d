/**
 * EPC URNs and GS1 Digital Link URIs of any host as canonical Digital Link URIs
 * (https://id.gs1.org/…), the form CBV 2.0 hashes identifiers in. Covers SSCC, SGTIN, LGTIN, SGLN,
 * PGLN, GRAI, GIAI, GSRN, GSRNP, GDTI, GINC and GSIN; anything else is left as it is.
 */

const DL = 'https://id.gs1.org';

/** GS1 mod-10 check digit of a digit string (the digits before the check digit). */
export function gs1CheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

function decodeEpcComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Digital Link path segments escape what a URI path cannot hold. */
function dlSegment(s: string): string {
  return encodeURIComponent(decodeEpcComponent(s)).replace(/[!()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const DIGITS = /^\d+$/;

/** The Digital Link form of an EPC URN, or null when `value` is not one this knows. */
export function epcUrnToDigitalLink(value: string): string | null {
  const m = /^urn:epc:(id|class):([a-z]+):(.+)$/.exec(value);
  if (m === null) return null;
  const [, kind, scheme, rest] = m;
  const parts = rest.split('.');
  if (kind === 'id' && scheme === 'sscc' && parts.length === 2) {
    const [companyPrefix, serialRef] = parts;
    if (!DIGITS.test(companyPrefix) || !DIGITS.test(serialRef) || companyPrefix.length + serialRef.length !== 17) return null;
    const body = serialRef[0] + companyPrefix + serialRef.slice(1);
    return `${DL}/00/${body}${gs1CheckDigit(body)}`;
  }
  if ((kind === 'id' && scheme === 'sgtin') || (kind === 'class' && scheme === 'lgtin')) {
    if (parts.length < 3) return null;
    const [companyPrefix, itemRef] = parts;
    const tail = parts.slice(2).join('.');
    if (!DIGITS.test(companyPrefix) || !DIGITS.test(itemRef) || companyPrefix.length + itemRef.length !== 13) return null;
    const body = itemRef[0] + companyPrefix + itemRef.slice(1);
    return `${DL}/01/${body}${gs1CheckDigit(body)}/${scheme === 'sgtin' ? '21' : '10'}/${dlSegment(tail)}`;
  }
  if (kind === 'id' && (scheme === 'sgln' || scheme === 'pgln')) {
    const [companyPrefix, locationRef] = parts;
    const extension = parts.slice(2).join('.');
    if (!DIGITS.test(companyPrefix) || !/^\d*$/.test(locationRef) || companyPrefix.length + locationRef.length !== 12) return null;
    const gln = companyPrefix + locationRef;
    const base = `${DL}/${scheme === 'sgln' ? '414' : '417'}/${gln}${gs1CheckDigit(gln)}`;
    return scheme === 'sgln' && extension !== '' && extension !== '0' ? `${base}/254/${dlSegment(extension)}` : base;
  }
  if (kind === 'id' && parts.length >= 2 && DIGITS.test(parts[0])) {
    const [companyPrefix, second] = parts;
    const tail = parts.slice(2).join('.');
    switch (scheme) {
      case 'grai': {
        if (!/^\d*$/.test(second) || companyPrefix.length + second.length !== 12) return null;
        const body = `0${companyPrefix}${second}`;
        return `${DL}/8003/${body}${gs1CheckDigit(body)}${dlSegment(tail)}`;
      }
      case 'gdti': {
        if (!/^\d*$/.test(second) || companyPrefix.length + second.length !== 12) return null;
        const body = companyPrefix + second;
        return `${DL}/253/${body}${gs1CheckDigit(body)}${dlSegment(tail)}`;
      }
      case 'giai':
        return `${DL}/8004/${companyPrefix}${dlSegment(parts.slice(1).join('.'))}`;
      case 'ginc':
        return `${DL}/401/${companyPrefix}${dlSegment(parts.slice(1).join('.'))}`;
      case 'gsrn':
      case 'gsrnp': {
        if (!/^\d*$/.test(second) || companyPrefix.length + second.length !== 17) return null;
        const body = companyPrefix + second;
        return `${DL}/${scheme === 'gsrn' ? '8018' : '8017'}/${body}${gs1CheckDigit(body)}`;
      }
      case 'gsin': {
        if (!/^\d*$/.test(second) || companyPrefix.length + second.length !== 16) return null;
        const body = companyPrefix + second;
        return `${DL}/402/${body}${gs1CheckDigit(body)}`;
      }
    }
  }
  return null;
}

/** Digital Link primary keys by application identifier, with the qualifiers kept in canonical URIs. */
const PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = {
  '00': [],
  '01': ['22', '10', '21'],
  '253': [],
  '255': [],
  '401': [],
  '402': [],
  '414': ['254'],
  '417': [],
  '8003': [],
  '8004': [],
  '8006': ['22', '10', '21'],
  '8010': ['8011'],
  '8017': ['8019'],
  '8018': ['8019'],
};
/** Short names Digital Link allows in place of the numeric application identifiers. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  sscc: '00',
  gtin: '01',
  gdti: '253',
  gcn: '255',
  ginc: '401',
  gsin: '402',
  gln: '414',
  party: '417',
  grai: '8003',
  giai: '8004',
  itip: '8006',
  cpid: '8010',
  gsrnp: '8017',
  gsrn: '8018',
  lot: '10',
  ser: '21',
  cpv: '22',
  glnx: '254',
  cpsn: '8011',
  srin: '8019',
};

/** A GS1 Digital Link URI on any host, reduced to its identifier on id.gs1.org (no query, no other path); null if it is not one. */
export function canonicalDigitalLink(value: string): string | null {
  const m = /^https?:\/\/[^/?#]+((?:\/[^/?#]+\/[^/?#]+)+)\/?(?:[?#].*)?$/.exec(value);
  if (m === null) return null;
  const segments = m[1].split('/').slice(1);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < segments.length; i += 2) pairs.push([KEY_ALIASES[segments[i]] ?? segments[i], segments[i + 1]]);
  // The primary key may follow a path prefix of the resolver's own (https://example.com/some/path/01/…).
  const start = pairs.findIndex(([ai]) => PRIMARY_KEYS[ai] !== undefined);
  if (start < 0) return null;
  const [primary, id] = pairs[start];
  const qualifiers = pairs.slice(start + 1).filter(([ai]) => PRIMARY_KEYS[primary].includes(ai));
  return `${DL}/${primary}/${id}${qualifiers.map(([ai, v]) => `/${ai}/${v}`).join('')}`;
}

/** The canonical identifier CBV 2.0 hashes for `value`: an EPC URN or a Digital Link, on id.gs1.org; null for anything else. */
export function canonicalGs1Identifier(value: string): string | null {
  return epcUrnToDigitalLink(value) ?? canonicalDigitalLink(value);
}
