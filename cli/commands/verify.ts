/**
 * `ordertrace verify`: checks a bundle with the proof core against a chain the user chooses.
 * The bundle's own statements about blocks and transactions are never believed; see proof/verify.ts.
 */
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { nodeHttpFetch } from '../node-http-fetch';
import { type EventCheck, type VerificationResult, verifyBundle } from '../../proof/verify';
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

export interface VerifyData extends Omit<VerificationResult, 'events'> {
  source: string;
  rpc: string;
  events: VerifiedEvent[];
}

export async function verify(options: VerifyOptions, ctx: CommandContext): Promise<VerifyData> {
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  ctx.progress.note(`verifying ${bundle.events.length} event(s) of ${bundle.order} against ${options.rpc}`);
  const reader = new JsonRpcChainReader(options.rpc, nodeHttpFetch, { timeoutMs: options.timeoutMs });
  const result = await verifyBundle(bundle, reader, {
    confirmations: options.confirmations,
    expectedContract: options.contract,
  });
  return {
    ...result,
    source,
    rpc: options.rpc,
    events: result.events.map((check) => {
      const event = bundle.events[check.index];
      return { ...check, at: typeof event?.record?.at === 'string' ? event.record.at : null, claimedBatch: event?.anchor?.batch ?? null };
    }),
  };
}

export function verifyOutcome(data: Pick<VerifyData, 'verdict'>): Outcome {
  return data.verdict;
}
