import type { EventType } from '../../proof/record';

const CBV = 'https://ref.gs1.org/cbv/';
/** Steps of an order that CBV 2.0 has no business step for, in ordertrace's own vocabulary. */
export const ORDERTRACE_BIZ_STEP = 'urn:ordertrace:bizstep:';

export interface CbvStep {
  /** A CBV 2.0 business step (bare word) or a URI of ordertrace's vocabulary. */
  bizStep: string;
  /** A CBV 2.0 disposition (bare word). */
  disposition: string;
}

/**
 * How each lifecycle event reads in EPCIS (docs/epcis.md has the table and its reasons): the
 * physical steps use CBV 2.0 business steps, the commercial ones (payment, cancellation, refund…)
 * ordertrace's own URIs. Every pair is distinct, so an export imports back to the same types.
 */
export const CBV_STEPS: Readonly<Record<EventType, CbvStep>> = {
  created: { bizStep: `${ORDERTRACE_BIZ_STEP}created`, disposition: 'active' },
  paid: { bizStep: `${ORDERTRACE_BIZ_STEP}paid`, disposition: 'active' },
  allocated: { bizStep: 'picking', disposition: 'in_progress' },
  packed: { bizStep: 'packing', disposition: 'in_progress' },
  shipped: { bizStep: 'shipping', disposition: 'in_transit' },
  in_transit: { bizStep: 'transporting', disposition: 'in_transit' },
  out_for_delivery: { bizStep: 'departing', disposition: 'in_transit' },
  delivered: { bizStep: 'arriving', disposition: 'in_progress' },
  received: { bizStep: 'receiving', disposition: 'active' },
  address_changed: { bizStep: `${ORDERTRACE_BIZ_STEP}address_changed`, disposition: 'in_progress' },
  cancelled: { bizStep: `${ORDERTRACE_BIZ_STEP}cancelled`, disposition: 'inactive' },
  return_requested: { bizStep: `${ORDERTRACE_BIZ_STEP}return_requested`, disposition: 'in_progress' },
  returned: { bizStep: 'receiving', disposition: 'returned' },
  refunded: { bizStep: `${ORDERTRACE_BIZ_STEP}refunded`, disposition: 'inactive' },
  change_requested: { bizStep: `${ORDERTRACE_BIZ_STEP}change_requested`, disposition: 'in_progress' },
  hold_confirmed: { bizStep: `${ORDERTRACE_BIZ_STEP}hold_confirmed`, disposition: 'in_progress' },
  change_declined: { bizStep: `${ORDERTRACE_BIZ_STEP}change_declined`, disposition: 'in_progress' },
};

/** A business step or disposition in its short form: CBV web URIs and legacy URNs become the bare word. */
function shortForm(value: string, webPrefix: string, urnPrefix: string): string {
  if (value.startsWith(webPrefix)) return value.slice(webPrefix.length);
  if (value.startsWith(urnPrefix)) return value.slice(urnPrefix.length);
  return value;
}

const BY_STEP = new Map<string, EventType>();
const BY_STEP_ONLY = new Map<string, EventType | null>();
for (const [type, step] of Object.entries(CBV_STEPS) as [EventType, CbvStep][]) {
  BY_STEP.set(`${step.bizStep} ${step.disposition}`, type);
  // A step alone names a type only when no other type shares it.
  BY_STEP_ONLY.set(step.bizStep, BY_STEP_ONLY.has(step.bizStep) ? null : type);
}

/**
 * The lifecycle type an EPCIS event's business step (and disposition, when the step alone is
 * ambiguous) stands for, or null when it maps to none.
 */
export function lifecycleTypeOf(bizStep: string, disposition: string | undefined): EventType | null {
  const step = shortForm(bizStep, `${CBV}BizStep-`, 'urn:epcglobal:cbv:bizstep:');
  if (disposition !== undefined) {
    const exact = BY_STEP.get(`${step} ${shortForm(disposition, `${CBV}Disp-`, 'urn:epcglobal:cbv:disp:')}`);
    if (exact !== undefined) return exact;
  }
  return BY_STEP_ONLY.get(step) ?? null;
}
