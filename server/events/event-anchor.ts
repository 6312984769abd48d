import type { AnchorProof } from '../../proof/bundle';
import type { EventEntity } from './event.entity';

/** Where an event stands on its way to the chain. */
export type EventAnchorStatus = 'pending' | 'sealed' | 'anchored';

export interface EventAnchorView {
  status: EventAnchorStatus;
  anchor: AnchorProof | null;
}

/**
 * Looks up the batches of stored events. The sealing module provides it under
 * EVENT_ANCHOR_RESOLVER (from a @Global module); without it, events show `pending`, or `sealed`
 * once they carry a batch_seq.
 */
export interface EventAnchorResolver {
  resolve(events: readonly EventEntity[]): Promise<Map<string, EventAnchorView>>;
}

export const EVENT_ANCHOR_RESOLVER = Symbol('EVENT_ANCHOR_RESOLVER');

export function unresolvedAnchorView(event: Pick<EventEntity, 'batchSeq'>): EventAnchorView {
  return { status: event.batchSeq === null ? 'pending' : 'sealed', anchor: null };
}
