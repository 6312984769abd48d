/**
 * A real Hardhat node per test file, on a free port, with funded dev wallets.
 * Thin over server/anchoring/dev-chain.ts so tests start the chain exactly as the service does.
 */
import { createConnection, createServer } from 'node:net';
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Network, type Wallet } from 'ethers';
import { DEV_CHAIN_ID, DEV_CHAIN_MNEMONIC, DevChainStartError, startDevChain } from '../../server/anchoring/dev-chain';
import { type DeployedOrderAnchor, deployOrderAnchor } from '../../server/anchoring/order-anchor.contract';

export interface TestChain {
  rpcUrl: string;
  port: number;
  provider: JsonRpcProvider;
  /** Hardhat dev accounts #0..#n-1 as wallets connected to `provider` (funded, publicly known keys). */
  wallets: (HDNodeWallet | Wallet)[];
  stop(): Promise<void>;
}

/** A port the OS considers free right now (another worker may still take it: startTestChain retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port (a chain that should have stopped, say). */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A JsonRpcProvider for a dev chain: fixed network (no detection calls), fast polling for tx.wait(),
 * and no request cache: ethers caches identical calls for 250 ms by default, which hands a stale
 * nonce to the next transaction on an automining chain.
 */
export function devChainProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(DEV_CHAIN_ID), { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
}

export function devWallets(provider: JsonRpcProvider, count = 5): HDNodeWallet[] {
  const mnemonic = Mnemonic.fromPhrase(DEV_CHAIN_MNEMONIC);
  return Array.from({ length: count }, (_, i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).connect(provider));
}

export async function startTestChain(options: { accounts?: number; log?: (line: string) => void } = {}): Promise<TestChain> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const chain = await startDevChain({ port, log: options.log });
      const provider = devChainProvider(chain.rpcUrl);
      return {
        rpcUrl: chain.rpcUrl,
        port,
        provider,
        wallets: devWallets(provider, options.accounts ?? 5),
        stop: async () => {
          provider.destroy();
          await chain.stop();
        },
      };
    } catch (err) {
      // Another jest worker may have taken the port between freePort() and the node's listen().
      if (!(err instanceof DevChainStartError) || !/in use/.test(err.message) || attempt >= 3) throw err;
    }
  }
}

/** Deploys OrderAnchor with dev wallet #0 as admin and anchorer unless told otherwise. */
export function deployTestAnchor(chain: TestChain, roles: { admin?: string; anchorer?: string } = {}): Promise<DeployedOrderAnchor> {
  const deployer = chain.wallets[0];
  return deployOrderAnchor(deployer, { admin: roles.admin ?? deployer.address, anchorer: roles.anchorer ?? deployer.address });
}
