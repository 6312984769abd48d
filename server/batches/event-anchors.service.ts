import { Injectable } from '@nestjs/common';
import type { EventAnchorView } from '../orders/event-anchor';
import type { EventEntity } from '../orders/event.entity';
import { BatchProofsService } from './batch-proofs.service';

/** Gives the events API each event's state: pending (no batch), sealed (batch not confirmed) or anchored with its proof. */
@Injectable()
export class EventAnchorsService {
  constructor(private readonly proofs: BatchProofsService) {}

  async resolve(events: readonly Pick<EventEntity, 'id'>[]): Promise<Map<string, EventAnchorView>> {
    const states = await this.proofs.statesFor(events.map((e) => e.id));
    const out = new Map<string, EventAnchorView>();
    for (const [id, state] of states) {
      out.set(
        id,
        state.status === 'anchored'
          ? { status: 'anchored', anchor: state.anchor }
          : { status: state.batch === null ? 'pending' : 'sealed', anchor: null },
      );
    }
    return out;
  }
}
