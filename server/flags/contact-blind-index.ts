import { createHmac } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ServiceKeysService } from '../service-keys/service-keys.service';
import type { ContactKind } from './order-flags';

/** The service key of the blind index (wrapped by the data key, re-wrapped unchanged by a rotation). */
export const CONTACT_BLIND_INDEX_KEY = 'contact-blind-index';

/** A contact value of an order's sealed fields, normalised so that the same phone or address compares equal. */
export interface NormalisedContact {
  kind: ContactKind;
  value: string;
}

/** A phone number's digits, with an international prefix (`+` or `00`) kept as `+`; null if too short to mean anything. */
export function normalisePhone(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.normalize('NFKC').trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 5) return null;
  if (trimmed.startsWith('+')) return `+${digits}`;
  return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
}

/** The address parts that place a parcel (not who receives it), lower case, punctuation and spacing folded. */
const ADDRESS_PARTS = ['line1', 'line2', 'postalCode', 'city', 'region', 'country'] as const;

export function normaliseAddress(raw: unknown): string | null {
  let parts: unknown[];
  if (typeof raw === 'string') parts = [raw];
  else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    parts = ADDRESS_PARTS.map((p) => (raw as Record<string, unknown>)[p]);
  } else return null;
  const text = parts
    .filter((p): p is string => typeof p === 'string')
    .join(' ')
    .normalize('NFKC')
    .toLocaleLowerCase('en')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length < 5 ? null : text;
}

/**
 * The contact values among an event's opened sealed fields: `customer.phone` or `phone`, and
 * `shippingAddress` or `address` (an object of ADDRESS_PARTS, or one line of text).
 */
export function contactsOf(sealedValues: Readonly<Record<string, unknown>>): NormalisedContact[] {
  const out: NormalisedContact[] = [];
  const customer = sealedValues.customer;
  const phone =
    normalisePhone(typeof customer === 'object' && customer !== null ? (customer as Record<string, unknown>).phone : undefined) ??
    normalisePhone(sealedValues.phone);
  if (phone !== null) out.push({ kind: 'phone', value: phone });
  const address = normaliseAddress(sealedValues.shippingAddress) ?? normaliseAddress(sealedValues.address);
  if (address !== null) out.push({ kind: 'address', value: address });
  return out;
}

/**
 * The keyed blind index of contact values: HMAC-SHA-256 under a service key of the brand, the kind
 * and the normalised value. Commitments are salted, so equal values are found only through it; the
 * brand in the input keeps equal values of two brands apart. `keyId` names the key (a digest of it,
 * never the key): rows computed under another key are stale and computed again.
 */
@Injectable()
export class ContactBlindIndex implements OnModuleInit {
  private key: Buffer | null = null;
  private id = '';

  constructor(private readonly serviceKeys: ServiceKeysService) {}

  async onModuleInit(): Promise<void> {
    this.key = await this.serviceKeys.key(CONTACT_BLIND_INDEX_KEY);
    this.id = createHmac('sha256', this.key).update('ordertrace-contact-blind-index/1 key id').digest('hex').slice(0, 16);
  }

  get keyId(): string {
    this.loadedKey();
    return this.id;
  }

  digest(brandId: string, contact: NormalisedContact): Buffer {
    return createHmac('sha256', this.loadedKey())
      .update(`ordertrace-contact-blind-index/1\n${brandId}\n${contact.kind}\n${contact.value}`, 'utf8')
      .digest();
  }

  private loadedKey(): Buffer {
    if (this.key === null) throw new Error('the contact blind index key is not loaded yet');
    return this.key;
  }
}
