/**
 * `ordertrace verify`: checks a bundle with the proof core against a chain and contract the user
 * pins (a trust file, or --contract), read through every endpoint given. The bundle's own
 * statements about its chain, blocks and transactions are never believed; see proof/verify.ts.
 */
import type { EventCheck, VerificationResult } from '../../proof/verify';
import { batchOf, buildBundleView, type BundleView, type RecordSource } from '../../view/bundle-view';
import { loadBundle } from '../bundle-input';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { loadPin, type PinOptions, verifyPinned } from '../pinned-verification';

export interface VerifyOptions extends PinOptions {
  /** A path, or "-" for stdin. */
  bundle: string;
}

export interface VerifiedEvent extends EventCheck {
  /** The record's `at`, shown next to each event. */
  at: string | null;
  /** The batch the bundle claims (also for events that failed before the chain was asked). */
  claimedBatch: number | null;
  /** Who recorded the event, as its record states (`data["ordertrace:source"]`). */
  recordedBy: RecordSource;
}

/** What `verify --json` prints. */
export interface VerifyJson extends Omit<VerificationResult, 'events'> {
  source: string;
  /** The JSON-RPC endpoints read; `endpoints` says how each fared. */
  rpc: string[];
  /** False only with --allow-unpinned: the bundle was checked against the contract it names itself. */
  pinned: boolean;
  events: VerifiedEvent[];
}

export interface VerifyData {
  json: VerifyJson;
  /** What the human output shows. */
  view: BundleView;
}

export async function verify(options: VerifyOptions, ctx: CommandContext): Promise<VerifyData> {
  const trust = await loadPin(options, ctx);
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  const { result, rpc } = await verifyPinned(bundle, options, trust, ctx);
  const view = buildBundleView(bundle, result);
  return {
    view,
    json: {
      ...result,
      source,
      rpc,
      pinned: result.pin !== undefined,
      events: result.events.map((check) => {
        const row = view.events[check.index];
        return {
          ...check,
          at: row?.at ?? null,
          claimedBatch: (row && batchOf(view, row)?.batch) ?? null,
          recordedBy: row?.recordedBy ?? { kind: 'not-stated' },
        };
      }),
    },
  };
}

export function verifyJson(data: VerifyData): VerifyJson {
  return data.json;
}

export function verifyOutcome(data: VerifyData): Outcome {
  return data.json.verdict;
}
