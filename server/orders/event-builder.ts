import type { Hex } from '../../proof/bytes';
import { canonicalJson, type JsonValue } from '../../proof/canonical';
import { commitment, GENESIS_PREV, leafHashOfCanonical, randomSalt } from '../../proof/hashes';
import { type EventRecord, type EventType, toRfc3339Millis } from '../../proof/record';
import type { EventEntity } from './event.entity';
import type { SealedFieldSecrets } from './sealed-field-cipher';

export interface EventDraft {
  brandSlug: string;
  orderId: string;
  seq: number;
  type: EventType;
  at: Date;
  recorded: Date;
  data: { [key: string]: JsonValue };
  /** Private values by field name; only their commitments enter the record. */
  sealed: { [name: string]: JsonValue };
  /** Leaf of event seq - 1; null for seq 1. */
  prev: Hex | null;
}

export interface BuiltEvent {
  record: EventRecord;
  /** The row to insert (without its generated id and its batch position, assigned when it is stored). */
  row: Omit<EventEntity, 'id' | 'batchSeq' | 'batchIndex'>;
}

let lastTime = NaN;
let lastTimeText = '';

/** A record time as text; the events of a write group share one `recorded` time (and mostly `at`), so the last one is kept. */
function timeText(date: Date): string {
  const time = date.getTime();
  if (time !== lastTime) {
    lastTimeText = toRfc3339Millis(date);
    lastTime = time;
  }
  return lastTimeText;
}

/**
 * Turns a draft into its hashed record (proof spec v1): fresh 32-byte salt per sealed field,
 * commitments in `sealed`, `prev` chaining to the previous leaf, leaf over the exact JCS text
 * that is stored. Values and salts leave this function only encrypted (`seal`, under the order's key).
 */
export function buildEvent(draft: EventDraft, seal: (secrets: SealedFieldSecrets) => Buffer): BuiltEvent {
  const secretEntries: [string, SealedFieldSecrets[string]][] = [];
  const commitments: [string, Hex][] = [];
  for (const [name, value] of Object.entries(draft.sealed)) {
    const salt = randomSalt();
    secretEntries.push([name, { value, salt }]);
    commitments.push([name, commitment(name, value, salt)]);
  }
  // fromEntries defines own properties, whatever the names.
  const secrets: SealedFieldSecrets = Object.fromEntries(secretEntries);
  const record: EventRecord = {
    v: 1,
    brand: draft.brandSlug,
    order: draft.orderId,
    seq: draft.seq,
    type: draft.type,
    at: timeText(draft.at),
    recorded: timeText(draft.recorded),
    data: draft.data,
    sealed: Object.fromEntries(commitments),
    prev: draft.prev ?? GENESIS_PREV,
  };
  const text = canonicalJson(record);
  return {
    record,
    row: {
      orderId: draft.orderId,
      seq: draft.seq,
      type: draft.type,
      record: text,
      leaf: leafHashOfCanonical(text),
      sealedPrivate: commitments.length > 0 ? seal(secrets) : null,
      createdAt: draft.recorded,
    },
  };
}
