/**
 * The dev chain launcher the service, tests and scripts share: a real Hardhat node started and
 * stopped as a child process.
 */
import { createServer, type Server } from 'node:net';
import { Wallet } from 'ethers';
import { readChainId } from '../../proof/rpc-chain-reader';
import {
  DEV_ACCOUNT_0_ADDRESS,
  DEV_ACCOUNT_0_PRIVATE_KEY,
  DEV_CHAIN_ID,
  DevChainStartError,
  DevChainSupervisor,
  startDevChain,
} from '../../server/anchoring/dev-chain';
import { waitFor } from '../support/anchoring-fixture';
import { freePort, portOpen } from '../support/chain';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startDevChain', () => {
  it('starts a Hardhat node that answers on the given port, and stop() ends the process and frees the port', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const chain = await startDevChain({ port, log: (l) => lines.push(l) });
    const pid = chain.process.pid!;
    try {
      expect(chain.rpcUrl).toBe(`http://127.0.0.1:${port}`);
      expect(chain.port).toBe(port);
      expect(await readChainId(chain.rpcUrl, { timeoutMs: 2_000 })).toBe(DEV_CHAIN_ID);
      expect(lines.some((l) => l.includes(`Started HTTP and WebSocket JSON-RPC server at http://127.0.0.1:${port}/`))).toBe(true);
      expect(isAlive(pid)).toBe(true);
    } finally {
      await chain.stop();
    }
    expect(isAlive(pid)).toBe(false);
    expect(chain.process.exitCode !== null || chain.process.signalCode !== null).toBe(true);
    await expect(readChainId(chain.rpcUrl, { timeoutMs: 2_000 })).rejects.toThrow();
    await chain.stop(); // a second stop is harmless
    // The port can be used again at once.
    const again = await startDevChain({ port });
    await again.stop();
  });

  it('fails with a clear error, and leaves no process, when the port is taken', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const attempt = startDevChain({ port });
      await expect(attempt).rejects.toBeInstanceOf(DevChainStartError);
      await expect(attempt).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('does not mistake another chain already on the port for its own', async () => {
    const port = await freePort();
    const first = await startDevChain({ port });
    try {
      await expect(startDevChain({ port })).rejects.toThrow('already in use');
      expect(await readChainId(first.rpcUrl, { timeoutMs: 2_000 })).toBe(DEV_CHAIN_ID);
    } finally {
      await first.stop();
    }
  });

  it('rejects an invalid port before spawning anything', async () => {
    await expect(startDevChain({ port: 0 })).rejects.toThrow('invalid dev chain port 0');
    await expect(startDevChain({ port: 70000 })).rejects.toThrow('invalid dev chain port');
  });

  it('the dev account #0 key matches its published address', () => {
    expect(new Wallet(DEV_ACCOUNT_0_PRIVATE_KEY).address).toBe(DEV_ACCOUNT_0_ADDRESS);
  });
});

describe('DevChainSupervisor', () => {
  it('starts the node again when it dies, tells its owner first, and stops it for good on stop()', async () => {
    const port = await freePort();
    const errors: string[] = [];
    const restarts: string[] = [];
    let exits = 0;
    const supervisor = new DevChainSupervisor(
      { port, restartDelayMs: 50, onExit: () => exits++ },
      { log: (m) => restarts.push(m), error: (m) => errors.push(m) },
    );
    try {
      expect(supervisor.rpcUrl).toBeNull();
      await supervisor.start();
      const rpcUrl = supervisor.rpcUrl!;
      expect(await readChainId(rpcUrl, { timeoutMs: 2_000 })).toBe(DEV_CHAIN_ID);
      const firstPid = supervisor.pid!;

      process.kill(firstPid, 'SIGKILL');
      await waitFor('the node restarted', async () => restarts.length > 0);
      expect(supervisor.pid).not.toBe(firstPid);
      expect(exits).toBe(1);
      expect(errors[0]).toContain(`the dev chain on ${rpcUrl} exited (SIGKILL)`);
      expect(restarts).toEqual([`dev chain restarted on ${rpcUrl}`]);
      expect(supervisor.rpcUrl).toBe(rpcUrl);
      expect(await readChainId(rpcUrl, { timeoutMs: 2_000 })).toBe(DEV_CHAIN_ID);
      expect(isAlive(firstPid)).toBe(false);

      const secondPid = supervisor.pid!;
      await supervisor.stop();
      expect(supervisor.pid).toBeNull();
      expect(isAlive(secondPid)).toBe(false);
      expect(await portOpen(port)).toBe(false);
      // Stopped means stopped: neither start() nor the exit of the stopped node brings it back.
      await supervisor.start();
      expect(supervisor.pid).toBeNull();
      expect(exits).toBe(1);
    } finally {
      await supervisor.stop();
    }
  });
});
