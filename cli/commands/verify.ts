/**
 * `ordertrace verify`: checks a bundle with the proof core against a chain the user chooses.
 * The bundle's own statements about blocks and transactions are never believed; see proof/verify.ts.
 */
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { nodeHttpFetch } from '../node-http-fetch';
import { type EventCheck, type VerificationResult, verifyBundle } from '../../proof/verify';
import { batchOf, buildBundleView, type BundleView } from '../../view/bundle-view';
import { loadBundle } from '../bundle-input';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';

export interface VerifyOptions {
  /** A path, or "-" for stdin. */
  bundle: string;
  rpc: string;
  confirmations?: number;
  /** The contract the user trusts; when set, a bundle naming another contract is invalid. */
  contract?: string;
  timeoutMs: number;
}

export interface VerifiedEvent extends EventCheck {
  /** The record's `at`, shown next to each event. */
  at: string | null;
  /** The batch the bundle claims (also for events that failed before the chain was asked). */
  claimedBatch: number | null;
}

/** What `verify --json` prints. */
export interface VerifyJson extends Omit<VerificationResult, 'events'> {
  source: string;
  rpc: string;
  events: VerifiedEvent[];
}

export interface VerifyData {
  json: VerifyJson;
  /** What the human output shows. */
  view: BundleView;
}

export async function verify(options: VerifyOptions, ctx: CommandContext): Promise<VerifyData> {
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  ctx.progress.note(`verifying ${bundle.events.length} event(s) of ${bundle.order} against ${options.rpc}`);
  const reader = new JsonRpcChainReader(options.rpc, nodeHttpFetch, { timeoutMs: options.timeoutMs });
  const result = await verifyBundle(bundle, reader, {
    confirmations: options.confirmations,
    expectedContract: options.contract,
  });
  const view = buildBundleView(bundle, result);
  return {
    view,
    json: {
      ...result,
      source,
      rpc: options.rpc,
      events: result.events.map((check) => {
        const row = view.events[check.index];
        return { ...check, at: row?.at ?? null, claimedBatch: (row && batchOf(view, row)?.batch) ?? null };
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
