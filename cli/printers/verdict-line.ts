/** The one-line verdict every CLI printer ends with, worded from the bundle view. */
import type { BundleView } from '../../view/bundle-view';

export function verdictLine(view: BundleView): string {
  const v = view.verdict;
  const n = v.events;
  switch (v.kind) {
    case 'verified':
      return `VERIFIED: all ${n} event(s), seq 1..${n}, are intact and anchored in contract ${view.order.contract ?? '?'} on chain ${view.order.chainId ?? '?'}.`;
    case 'pending':
      return `PENDING: no tampering found, but ${v.pending} of ${n} event(s) are not yet anchored or confirmed; verify again later.`;
    case 'invalid': {
      const f = v.failure;
      if (!f) return 'INVALID';
      const where = f.index < 0 ? 'the bundle' : `event seq ${f.seq ?? '?'} (#${f.index + 1} in the bundle)`;
      return `INVALID: ${where} fails step ${f.stepNumber} "${f.step}" (${f.code}): ${f.message}`;
    }
    case 'not-checked':
      return 'NOT CHECKED against a chain: no statement about this bundle is confirmed.';
  }
}
