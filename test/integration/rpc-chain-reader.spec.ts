import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { id as ethersId, Transaction } from 'ethers';
import { ANCHORED_TOPIC, type Hex, MerkleTree, ProofError, randomSalt, uintWord, ZERO32 } from '../../proof';
import { EthersChainReader } from '../../proof/ethers-chain-reader';
import { BATCH_SELECTOR, chainCalls, encodeBatchCall, JsonRpcChainReader, RPC_BATCH_LIMIT } from '../../proof/rpc-chain-reader';
import { orderAnchorInterface } from '../../server/anchoring/order-anchor.contract';
import { deployTestAnchor, freePort, startTestChain, type TestChain } from '../support/chain';

// The browser's chain reader against a real Hardhat node and a real OrderAnchor, cross-checked
// with the ethers-backed reader; transport faults come from real local HTTP servers.

async function expectUnavailable(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProofError);
  expect((err as ProofError).code).toBe('CHAIN_UNAVAILABLE');
  expect((err as ProofError).message).toMatch(message);
}

/** A real HTTP server on 127.0.0.1 answering every request with `handler`. */
async function fakeNode(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

describe(JsonRpcChainReader.name, () => {
  let chain: TestChain;
  let contract: Hex;
  let reader: JsonRpcChainReader;
  let ethersReader: EthersChainReader;
  let root: Hex;
  let anchorTx: { hash: Hex; blockNumber: number; blockHash: Hex };
  let revertedTx: Hex;

  beforeAll(async () => {
    chain = await startTestChain();
    const deployed = await deployTestAnchor(chain);
    contract = deployed.address.toLowerCase() as Hex;
    reader = new JsonRpcChainReader(chain.rpcUrl);
    ethersReader = new EthersChainReader(chain.provider);

    const tree = MerkleTree.build([randomSalt(), randomSalt(), randomSalt()]);
    root = tree.root;
    const receipt = (await (await deployed.contract.anchor(1, root, 3)).wait())!;
    anchorTx = { hash: receipt.hash as Hex, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash as Hex };

    // Out of order (seq 5 after 1): mined but reverted. Hardhat mines it yet answers the send with an
    // error, so the transaction is signed here and its hash taken from the signed bytes.
    const wallet = chain.wallets[0];
    const populated = await wallet.populateTransaction({
      to: deployed.address,
      data: orderAnchorInterface.encodeFunctionData('anchor', [5, randomSalt(), 1]),
      gasLimit: 200_000,
    });
    const signed = await wallet.signTransaction(populated);
    revertedTx = Transaction.from(signed).hash as Hex;
    await chain.provider.send('eth_sendRawTransaction', [signed]).catch(() => undefined);
    expect(await chain.provider.waitForTransaction(revertedTx, 1, 30_000)).not.toBeNull();
  });

  afterAll(async () => {
    await chain?.stop();
  });

  describe('encoding', () => {
    it('uses the selector of batch(uint64)', () => {
      expect(BATCH_SELECTOR).toBe(ethersId('batch(uint64)').slice(0, 10));
    });

    it('encodes batch(seq) exactly as the ABI does', () => {
      for (const seq of [0, 1, 255, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
        expect(encodeBatchCall(seq)).toBe(orderAnchorInterface.encodeFunctionData('batch', [seq]));
      }
    });

    it('refuses a seq that is not a uint64 it can represent', () => {
      for (const seq of [-1, 1.5, Number.NaN, 2 ** 53]) {
        expect(() => encodeBatchCall(seq)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'seq' }));
      }
    });
  });

  describe('reads from a real node', () => {
    it('reads the chain id and the head block', async () => {
      expect(await reader.getChainId()).toBe(31337);
      expect(await reader.getBlockNumber()).toBe(await chain.provider.getBlockNumber());
    });

    it('reads an anchored root and zero for a batch never anchored', async () => {
      expect(await reader.getBatchRoot(contract, 1)).toBe(root);
      expect(await reader.getBatchRoot(contract, 2)).toBe(ZERO32);
      expect(await reader.getBatchRoot(contract, 0)).toBe(ZERO32);
    });

    it('reads zero at an address without code', async () => {
      expect(await reader.getBatchRoot('0x000000000000000000000000000000000000dead', 1)).toBe(ZERO32);
    });

    it("returns the anchoring receipt with the contract's Anchored log, lowercase", async () => {
      const receipt = await reader.getTransactionReceipt(anchorTx.hash);
      expect(receipt).toMatchObject({ status: 1, blockNumber: anchorTx.blockNumber, blockHash: anchorTx.blockHash });
      const anchored = receipt!.logs.filter((l) => l.topics[0] === ANCHORED_TOPIC);
      expect(anchored).toEqual([
        { address: contract, topics: [ANCHORED_TOPIC, uintWord(1), root], data: expect.stringMatching(/^0x0{63}3$/) },
      ]);
    });

    it('reports a reverted transaction with status 0', async () => {
      const receipt = await reader.getTransactionReceipt(revertedTx);
      expect(receipt?.status).toBe(0);
      expect(receipt?.logs).toEqual([]);
    });

    it('returns null for a transaction the chain does not know', async () => {
      expect(await reader.getTransactionReceipt(randomSalt())).toBeNull();
    });

    it("reads a block's timestamp", async () => {
      const block = await chain.provider.getBlock(anchorTx.blockNumber);
      expect(await reader.getBlockTimestamp(anchorTx.blockNumber)).toBe(block!.timestamp);
    });

    it('agrees with the ethers reader on every read', async () => {
      const pairs: [unknown, unknown][] = await Promise.all(
        [
          (r: JsonRpcChainReader | EthersChainReader) => r.getChainId(),
          (r: JsonRpcChainReader | EthersChainReader) => r.getBatchRoot(contract, 1),
          (r: JsonRpcChainReader | EthersChainReader) => r.getBatchRoot(contract, 9),
          (r: JsonRpcChainReader | EthersChainReader) => r.getTransactionReceipt(anchorTx.hash),
          (r: JsonRpcChainReader | EthersChainReader) => r.getTransactionReceipt(revertedTx).then((x) => x?.status),
          (r: JsonRpcChainReader | EthersChainReader) => r.getBlockTimestamp(anchorTx.blockNumber),
        ].map(async (read) => [await read(reader), await read(ethersReader)] as [unknown, unknown]),
      );
      for (const [ours, theirs] of pairs) expect(ours).toEqual(theirs);
    });
  });

  describe('batches', () => {
    /** A real HTTP relay in front of the Hardhat node that records each request body it passes on. */
    async function recordingRelay(refuseBatches = false): Promise<{ url: string; server: Server; bodies: unknown[] }> {
      const bodies: unknown[] = [];
      const { url, server } = await fakeNode((req, res) => {
        let text = '';
        req.on('data', (c) => (text += c));
        req.on('end', () => {
          const body = JSON.parse(text) as unknown;
          bodies.push(body);
          if (refuseBatches && Array.isArray(body)) {
            res
              .writeHead(400, { 'content-type': 'application/json' })
              .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"no batches"}}');
            return;
          }
          void fetch(chain.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })
            .then((r) => r.text())
            .then((answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
        });
      });
      return { url, server, bodies };
    }

    const reads = (r: JsonRpcChainReader): Promise<unknown>[] => [
      r.getChainId(),
      r.getBatchRoot(contract, 1),
      r.getBatchRoot(contract, 9),
      r.getTransactionReceipt(anchorTx.hash),
      r.getBlockTimestamp(anchorTx.blockNumber),
    ];

    it('sends the calls made together as one batch, with the answers a call at a time gives', async () => {
      const relay = await recordingRelay();
      try {
        const batched = await Promise.all(reads(new JsonRpcChainReader(relay.url, undefined, { batchLimit: RPC_BATCH_LIMIT })));
        expect(relay.bodies).toHaveLength(1);
        expect(relay.bodies[0]).toHaveLength(5);
        expect(batched).toEqual(await Promise.all(reads(new JsonRpcChainReader(chain.rpcUrl))));
      } finally {
        relay.server.close();
      }
    });

    it("splits a turn's calls into batches of at most the limit", async () => {
      const relay = await recordingRelay();
      try {
        const few = new JsonRpcChainReader(relay.url, undefined, { batchLimit: 2 });
        const roots = await Promise.all([1, 2, 3, 4, 5].map((seq) => few.getBatchRoot(contract, seq)));
        expect(roots[0]).toBe(root);
        expect(roots.slice(1)).toEqual([ZERO32, ZERO32, ZERO32, ZERO32]);
        expect(relay.bodies.map((b) => (Array.isArray(b) ? b.length : 1))).toEqual([2, 2, 1]);
      } finally {
        relay.server.close();
      }
    });

    it('fails only the call the node answered with an error inside a batch', async () => {
      const relay = await recordingRelay();
      try {
        const r = new JsonRpcChainReader(relay.url, undefined, { batchLimit: RPC_BATCH_LIMIT });
        const [good, bad] = await Promise.allSettled([r.getChainId(), r.call('eth_noSuchMethod', [])]);
        expect(good).toEqual({ status: 'fulfilled', value: 31337 });
        expect(bad.status).toBe('rejected');
        expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(ProofError);
        expect(((bad as PromiseRejectedResult).reason as ProofError).message).toMatch(/eth_noSuchMethod: the RPC node answered an error/);
        expect(relay.bodies).toHaveLength(1);
      } finally {
        relay.server.close();
      }
    });

    it('asks a call at a time, from then on, a node that refuses batches', async () => {
      const relay = await recordingRelay(true);
      try {
        const r = new JsonRpcChainReader(relay.url, undefined, { batchLimit: RPC_BATCH_LIMIT });
        expect(await Promise.all(reads(r))).toEqual(await Promise.all(reads(new JsonRpcChainReader(chain.rpcUrl))));
        // One refused batch, then the five calls alone; the next turn goes alone straight away.
        expect(relay.bodies.map((b) => Array.isArray(b))).toEqual([true, false, false, false, false, false]);
        await Promise.all([r.getBlockNumber(), r.getBatchRoot(contract, 1)]);
        expect(relay.bodies.slice(6).map((b) => Array.isArray(b))).toEqual([false, false]);
      } finally {
        relay.server.close();
      }
    });

    it('takes an answer asked early instead of asking, and asks itself when the early one never came', async () => {
      const relay = await recordingRelay();
      try {
        const early = new Map<string, Promise<unknown>>([
          [JSON.stringify(chainCalls.chainId()), Promise.resolve({ jsonrpc: '2.0', id: 0, result: '0x7a69' })],
          [JSON.stringify(chainCalls.batchRoot(contract, 1)), Promise.reject(new Error('the early request failed'))],
          [JSON.stringify(chainCalls.blockNumber()), Promise.resolve(undefined)],
          [
            JSON.stringify(chainCalls.receipt(anchorTx.hash)),
            Promise.resolve({ jsonrpc: '2.0', id: 3, error: { code: -32000, message: 'early no' } }),
          ],
        ]);
        const r = new JsonRpcChainReader(relay.url, undefined, {
          batchLimit: RPC_BATCH_LIMIT,
          early: (call) => early.get(JSON.stringify(call)),
        });
        expect(await r.getChainId()).toBe(31337);
        expect(await r.getBatchRoot(contract, 1)).toBe(root);
        expect(await r.getBlockNumber()).toBeGreaterThanOrEqual(anchorTx.blockNumber);
        // An answer that came is judged like any other: an error stays an error.
        await expectUnavailable(
          r.getTransactionReceipt(anchorTx.hash),
          /eth_getTransactionReceipt: the RPC node answered an error: early no/,
        );
        // Only the two calls without an early answer reached the node.
        expect((relay.bodies as { method: string }[]).map((b) => b.method).sort()).toEqual(['eth_blockNumber', 'eth_call']);
      } finally {
        relay.server.close();
      }
    });

    it('fails every call of a batch when the node cannot be reached', async () => {
      const r = new JsonRpcChainReader(`http://127.0.0.1:${await freePort()}`, undefined, { batchLimit: RPC_BATCH_LIMIT });
      const results = await Promise.allSettled([r.getBlockNumber(), r.getBatchRoot(contract, 1)]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason as ProofError;
        expect(reason.code).toBe('CHAIN_UNAVAILABLE');
        expect(reason.message).toMatch(/a batch of 2 calls .*cannot reach the RPC node/);
      }
    });
  });

  describe('faults', () => {
    it('is CHAIN_UNAVAILABLE when nothing listens', async () => {
      const port = await freePort();
      await expectUnavailable(new JsonRpcChainReader(`http://127.0.0.1:${port}`).getChainId(), /cannot reach the RPC node/);
    });

    it('is CHAIN_UNAVAILABLE on an HTTP error', async () => {
      const { url, server } = await fakeNode((_req, res) => res.writeHead(502).end('bad gateway'));
      try {
        await expectUnavailable(new JsonRpcChainReader(url).getBlockNumber(), /HTTP 502/);
      } finally {
        server.close();
      }
    });

    it("is CHAIN_UNAVAILABLE with the node's message on a JSON-RPC error", async () => {
      await expectUnavailable(reader.call('eth_noSuchMethod', []), /eth_noSuchMethod: the RPC node answered an error: .+/);
    });

    it('is CHAIN_UNAVAILABLE on a malformed answer', async () => {
      const { url, server } = await fakeNode((_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":"31337"}'),
      );
      try {
        await expectUnavailable(new JsonRpcChainReader(url).getChainId(), /malformed chain id/);
        await expectUnavailable(new JsonRpcChainReader(url).getBatchRoot(contract, 1), /malformed eth_call result/);
      } finally {
        server.close();
      }
    });

    it('is CHAIN_UNAVAILABLE when the node does not answer in time', async () => {
      const hung: ServerResponse[] = [];
      const { url, server } = await fakeNode((_req, res) => hung.push(res));
      try {
        const started = Date.now();
        await expectUnavailable(new JsonRpcChainReader(url, undefined, { timeoutMs: 300 }).getChainId(), /no answer within 300 ms/);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        hung.forEach((res) => res.destroy());
        server.close();
      }
    });

    it('asks for the chain id again after a failure rather than caching it', async () => {
      let calls = 0;
      const { url, server } = await fakeNode((req, res) => {
        calls++;
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (calls === 1) {
            res.writeHead(503).end();
            return;
          }
          const { id } = JSON.parse(body) as { id: number };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x7a69' }));
        });
      });
      try {
        const flaky = new JsonRpcChainReader(url);
        await expectUnavailable(flaky.getChainId(), /HTTP 503/);
        expect(await flaky.getChainId()).toBe(31337);
        expect(await flaky.getChainId()).toBe(31337);
        expect(calls).toBe(2);
      } finally {
        server.close();
      }
    });
  });
});
