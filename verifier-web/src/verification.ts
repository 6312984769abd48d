/**
 * Runs the proof core in the browser against the chain's own JSON-RPC, through every endpoint of
 * the page's trust anchors, holding the bundle to their chain and contract. Outcomes are data, so a
 * chain that cannot be reached ("we do not know") is never shown as a failed proof ("it is false").
 */
import { ConsensusChainReader } from '../../proof/consensus-chain-reader';
import { ProofError } from '../../proof/errors';
import { JsonRpcChainReader, RPC_BATCH_LIMIT } from '../../proof/rpc-chain-reader';
import type { TrustAnchors } from '../../proof/trust';
import { type VerificationResult, verifyBundle } from '../../proof/verify';
import { dropEarlyChainReads, takeEarlyChainRead } from './early-requests';

export type CheckOutcome =
  | { kind: 'result'; result: VerificationResult; bundle: unknown; rpcUrl: string; checkedAt: Date }
  | { kind: 'unavailable'; rpcUrl: string }
  | { kind: 'malformed'; problems: string[] };

/** The page's pin: trust anchors and where they came from (shown in "what was checked"). */
export interface PagePin {
  trust: TrustAnchors;
  source: string;
}

/** A bundle is untrusted: it must not make the page ask the chain for more than a few guessed blocks. */
const MAX_PREFETCHED_BLOCKS = 32;

export class BrowserVerifier {
  // One reader per node keeps its cached chain id and block times across re-checks.
  private readonly readers = new Map<string, JsonRpcChainReader>();

  private reader(rpcUrl: string): JsonRpcChainReader {
    let reader = this.readers.get(rpcUrl);
    if (reader === undefined) {
      // A check's reads leave together: one round trip on a phone's network. The first check may
      // find them already asked by the page's first script.
      reader = new JsonRpcChainReader(rpcUrl, undefined, {
        batchLimit: RPC_BATCH_LIMIT,
        early: (call) => takeEarlyChainRead(rpcUrl, call),
      });
      this.readers.set(rpcUrl, reader);
    }
    return reader;
  }

  /**
   * Asks each endpoint its chain id ahead of the first check, while the bundle is still loading.
   * The answer is only kept; the check judges it as ever.
   */
  warm(rpcUrls: readonly string[]): void {
    for (const url of rpcUrls)
      this.reader(url)
        .getChainId()
        .catch(() => undefined);
  }

  /** Reads through every URL in `rpcUrls`; endpoints that disagree make the result invalid. */
  async check(bundle: unknown, rpcUrls: readonly string[], pin: PagePin | null): Promise<CheckOutcome> {
    const rpcUrl = rpcUrls.join(', ');
    this.prefetchBlockTimes(bundle, rpcUrls);
    // A fresh consensus per check: an endpoint that failed once is asked again next time.
    const reader = new ConsensusChainReader(rpcUrls.map((url) => ({ url, reader: this.reader(url) })));
    try {
      const verifying = verifyBundle(bundle, reader, pin ? { trust: pin.trust, pinSource: pin.source } : {});
      // The check has asked for everything it reads: send it now, before the page draws the order.
      // Early answers it did not take are dropped: a later check reads the chain as it is then.
      for (const url of rpcUrls) this.reader(url).flush();
      dropEarlyChainReads();
      const result = await verifying;
      return { kind: 'result', result, bundle, rpcUrl, checkedAt: new Date() };
    } catch (err) {
      if (err instanceof ProofError && err.code === 'CHAIN_UNAVAILABLE') return { kind: 'unavailable', rpcUrl };
      if (
        err instanceof ProofError &&
        (err.code === 'MALFORMED_BUNDLE' || err.code === 'INVALID_RECORD' || err.code === 'NOT_CANONICALIZABLE')
      ) {
        return { kind: 'malformed', problems: err.problems ?? [err.message] };
      }
      throw err;
    }
  }

  /**
   * Block times are read after the receipts that name their blocks, one more round trip; the
   * blocks the bundle claims are asked for at once instead. Each reader keeps what it read; the
   * verification still takes blocks from the receipts, so a wrong claim only costs a wasted read.
   * Asked of each endpoint's own reader, outside the consensus: a failed guess marks no endpoint.
   */
  private prefetchBlockTimes(bundle: unknown, rpcUrls: readonly string[]): void {
    const events = (bundle as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) return;
    const blocks = new Set<number>();
    for (const event of events) {
      const claimed = (event as { anchor?: { blockNumber?: unknown } | null } | null)?.anchor?.blockNumber;
      if (typeof claimed === 'number' && Number.isSafeInteger(claimed) && claimed >= 0) blocks.add(claimed);
      if (blocks.size >= MAX_PREFETCHED_BLOCKS) break;
    }
    for (const url of rpcUrls)
      for (const block of blocks)
        this.reader(url)
          .getBlockTimestamp(block)
          .catch(() => undefined);
  }
}
