/**
 * Verifying a bundle against the chain and contract the user pins (a trust file, or --contract
 * and --chain-id), or, only when asked with --allow-unpinned, against whatever the bundle names:
 * the one rule of `ordertrace verify` and `ordertrace report`.
 */
import type { Bundle } from '../proof/bundle';
import { trustedEndpoints } from '../proof/trust';
import { type VerificationResult, verifyBundle } from '../proof/verify';
import { chainReaderFor } from './chain-endpoints';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { type LoadedTrust, loadTrust } from './trust-input';

export interface PinOptions {
  /** JSON-RPC endpoints; default: the trust file's. */
  rpc: string[];
  /** A trust file (path or https:// URL): the chain, contract and endpoints to hold the bundle to. */
  trust?: string;
  /** The contract the user trusts; when set, a bundle naming another contract is invalid. */
  contract?: string;
  chainId?: number;
  /** Check against whatever chain and contract the bundle names, saying so. */
  allowUnpinned: boolean;
  confirmations?: number;
  /** Warn about events anchored longer than this after they were recorded (default 24 h). */
  maxAnchorDelaySeconds?: number;
  timeoutMs: number;
}

export const NOTHING_PINNED =
  'nothing to verify against: give --trust <file> (the brand’s ordertrace-trust/1 file), or --contract <address> ' +
  '(with --chain-id <id>), or --allow-unpinned to check against whatever contract the bundle names';

const NO_ENDPOINT = 'no JSON-RPC endpoint: give --rpc <url> (or a trust file that lists "rpc")';

/** Refuses (exit 2) a check with nothing pinned or no endpoint, then reads the trust file if one is given. */
export async function loadPin(options: PinOptions, ctx: CommandContext): Promise<LoadedTrust | null> {
  if (options.trust === undefined && options.contract === undefined && !options.allowUnpinned) throw new CliError('USAGE', NOTHING_PINNED);
  if (options.trust === undefined && options.rpc.length === 0) throw new CliError('USAGE', NO_ENDPOINT);
  return options.trust === undefined ? null : await loadTrust(options.trust, ctx, options.timeoutMs);
}

/** The bundle checked through every endpoint against the pin `loadPin` returned. */
export async function verifyPinned(
  bundle: Bundle,
  options: PinOptions,
  trust: LoadedTrust | null,
  ctx: CommandContext,
): Promise<{ result: VerificationResult; rpc: string[] }> {
  const rpc = options.rpc.length > 0 ? options.rpc : trust ? trustedEndpoints(trust.trust, bundle) : [];
  if (rpc.length === 0) throw new CliError('USAGE', NO_ENDPOINT);
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
  return { result, rpc };
}
