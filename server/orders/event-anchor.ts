import type { AnchorProof } from '../../proof/bundle';

/** Where an event stands on its way to the chain: waiting for its batch, in a sealed batch, or anchored. */
export type EventAnchorStatus = 'pending' | 'sealed' | 'anchored';

export interface EventAnchorView {
  status: EventAnchorStatus;
  anchor: AnchorProof | null;
}
