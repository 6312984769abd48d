/**
 * Runs the proof core in the browser against the chain's own JSON-RPC. Outcomes are data, so a
 * chain that cannot be reached ("we do not know") is never shown as a failed proof ("it is false").
 */
import { ProofError } from '../../proof/errors';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { type VerificationResult, verifyBundle } from '../../proof/verify';

export type CheckOutcome =
  | { kind: 'result'; result: VerificationResult; bundle: unknown; rpcUrl: string; checkedAt: Date }
  | { kind: 'unavailable'; rpcUrl: string }
  | { kind: 'malformed'; problems: string[] };

export class BrowserVerifier {
  // One reader per node keeps its cached chain id and block times across re-checks.
  private readonly readers = new Map<string, JsonRpcChainReader>();

  async check(bundle: unknown, rpcUrl: string): Promise<CheckOutcome> {
    let reader = this.readers.get(rpcUrl);
    if (reader === undefined) {
      reader = new JsonRpcChainReader(rpcUrl);
      this.readers.set(rpcUrl, reader);
    }
    try {
      const result = await verifyBundle(bundle, reader);
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
}
