/**
 * `ordertrace verify`: checks a bundle with the proof core against a chain and contract the user
 * pins (a trust file, or --contract), read through every endpoint given. The bundle's own
 * statements about its chain, blocks and transactions are never believed; see proof/verify.ts.
 */
import { type EventCheck, type VerificationResult, verifyBundle } from '../../proof/verify';
import { trustedEndpoints } from '../../proof/trust';
import { batchOf, buildBundleView, type BundleView, type RecordSource } from '../../view/bundle-view';
import { loadBundle } from '../bundle-input';
import { chainReaderFor } from '../chain-endpoints';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import type { Outcome } from '../exit-codes';
import { loadTrust } from '../trust-input';

export interface VerifyOptions {
  /** A path, or "-" for stdin. */
  bundle: string;
  /** JSON-RPC endpoints; default: the trust file's. */
  rpc: string[];
  confirmations?: number;
  /** Warn about events anchored longer than this after they were recorded (default 24 h). */
  maxAnchorDelaySeconds?: number;
  /** A trust file (path or https:// URL): the chain, contract and endpoints to hold the bundle to. */
  trust?: string;
  /** The contract the user trusts; when set, a bundle naming another contract is invalid. */
  contract?: string;
  chainId?: number;
  /** Check against whatever chain and contract the bundle names (the old behaviour), saying so. */
  allowUnpinned: boolean;
  timeoutMs: number;
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

export const NOTHING_PINNED =
  'nothing to verify against: give --trust <file> (the brand’s ordertrace-trust/1 file), or --contract <address> ' +
  '(with --chain-id <id>), or --allow-unpinned to check against whatever contract the bundle names';

export async function verify(options: VerifyOptions, ctx: CommandContext): Promise<VerifyData> {
  if (options.trust === undefined && options.contract === undefined && !options.allowUnpinned) throw new CliError('USAGE', NOTHING_PINNED);
  const noEndpoint = 'no JSON-RPC endpoint: give --rpc <url> (or a trust file that lists "rpc")';
  if (options.trust === undefined && options.rpc.length === 0) throw new CliError('USAGE', noEndpoint);
  const trust = options.trust === undefined ? null : await loadTrust(options.trust, ctx, options.timeoutMs);
  const { bundle, source } = await loadBundle(options.bundle, ctx);
  const rpc = options.rpc.length > 0 ? options.rpc : trust ? trustedEndpoints(trust.trust, bundle) : [];
  if (rpc.length === 0) throw new CliError('USAGE', noEndpoint);
  ctx.progress.note(`verifying ${bundle.events.length} event(s) of ${bundle.order} against ${rpc.join(', ')}`);
  const reader = chainReaderFor(rpc, options.timeoutMs);
  const result = await verifyBundle(bundle, reader, {
    confirmations: options.confirmations,
    maxAnchorDelaySeconds: options.maxAnchorDelaySeconds,
    expectedContract: options.contract,
    expectedChainId: options.chainId,
    trust: trust?.trust,
    pinSource: trust?.source ?? (options.contract ? '--contract' : undefined),
  });
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
