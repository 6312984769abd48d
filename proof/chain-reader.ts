/**
 * What verification needs from a chain, and nothing more. The server and CLI pass an ethers-backed
 * reader, the browser a tiny fetch-based one; the proof core itself does no I/O.
 */
import { bytesToHex, type Hex, utf8Bytes } from './bytes';
import { keccak256 } from './keccak';

export interface TxLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

export interface TxReceipt {
  /** 1 = success. */
  status: number;
  blockNumber: number;
  blockHash: Hex;
  logs: TxLog[];
}

/** How one JSON-RPC endpoint fared during a verification (readers over several endpoints report it). */
export interface EndpointReport {
  url: string;
  /** answered: every question it was asked; failed: one went unanswered (it was asked no more); disagreed: with another endpoint. */
  status: 'answered' | 'failed' | 'disagreed';
  /** Why it failed, or what it said when it disagreed. */
  detail?: string;
}

export interface ChainReader {
  getChainId(): Promise<number>;
  getBlockNumber(): Promise<number>;
  /** `OrderAnchor.batch(seq)`'s root; zero when the batch is not anchored (or `contract` has no code). */
  getBatchRoot(contract: Hex, seq: number): Promise<Hex>;
  /** The receipt of a mined transaction on the node's canonical chain, or null. */
  getTransactionReceipt(txHash: Hex): Promise<TxReceipt | null>;
  /** Block time in seconds, for display; optional. */
  getBlockTimestamp?(blockNumber: number): Promise<number>;
  /** Which endpoints answered, for readers over several; verification copies it into its result. */
  endpointReport?(): EndpointReport[];
}

/** topic0 of `Anchored(uint64 indexed seq, bytes32 indexed root, uint32 leafCount)`. */
export const ANCHORED_TOPIC: Hex = bytesToHex(keccak256(utf8Bytes('Anchored(uint64,bytes32,uint32)')));

/** ABI word of an unsigned integer (topics of indexed uint64 values). */
export function uintWord(n: number | bigint): Hex {
  return `0x${BigInt(n).toString(16).padStart(64, '0')}`;
}
