import { readFileSync } from 'node:fs';
import type { ChainConfig } from './app-config';

const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/;

/** The key that signs anchoring transactions, or why there is none. */
export type AnchorKey = { readonly privateKey: string; readonly problem: null } | { readonly privateKey: null; readonly problem: string };

/**
 * The anchoring key: ANCHOR_PRIVATE_KEY, else the key in ANCHOR_KEY_FILE, else on the embedded
 * default (no CHAIN_RPC_URL) `devKey`. A missing or unreadable key is reported, not thrown: the
 * API serves without it, only anchoring waits (and says why). Keys come back as 0x + lowercase hex;
 * messages name the file, never its contents.
 */
export function resolveAnchorKey(chain: Pick<ChainConfig, 'rpcUrl' | 'anchorPrivateKey' | 'anchorKeyFile'>, devKey: string): AnchorKey {
  if (chain.anchorPrivateKey !== null) return { privateKey: chain.anchorPrivateKey, problem: null };
  if (chain.anchorKeyFile !== null) return readAnchorKeyFile(chain.anchorKeyFile);
  if (chain.rpcUrl === null) return { privateKey: devKey, problem: null };
  return {
    privateKey: null,
    problem: 'CHAIN_RPC_URL is set but neither ANCHOR_PRIVATE_KEY nor ANCHOR_KEY_FILE is: cannot sign anchoring transactions',
  };
}

function readAnchorKeyFile(file: string): AnchorKey {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8').trim();
  } catch (err) {
    return { privateKey: null, problem: `cannot read ANCHOR_KEY_FILE ${file}: ${(err as Error).message}` };
  }
  if (!PRIVATE_KEY_HEX.test(raw)) return { privateKey: null, problem: `ANCHOR_KEY_FILE ${file} does not hold a 32-byte hex private key` };
  return { privateKey: `0x${raw.replace(/^0x/, '').toLowerCase()}`, problem: null };
}
