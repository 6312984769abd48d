/**
 * The chain as the CLI reads it: through every JSON-RPC endpoint given (or listed in the trust
 * file), requiring the same answer from each that answers (proof/consensus-chain-reader.ts).
 */
import { ConsensusChainReader } from '../proof/consensus-chain-reader';
import { JsonRpcChainReader, RPC_BATCH_LIMIT } from '../proof/rpc-chain-reader';
import { nodeHttpFetch } from './node-http-fetch';

export function chainReaderFor(urls: readonly string[], timeoutMs: number): ConsensusChainReader {
  return new ConsensusChainReader(
    [...new Set(urls)].map((url) => ({
      url,
      reader: new JsonRpcChainReader(url, nodeHttpFetch, { timeoutMs, batchLimit: RPC_BATCH_LIMIT }),
    })),
  );
}
