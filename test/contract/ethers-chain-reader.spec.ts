/**
 * EthersChainReader against a real Hardhat node, cross-checked with the fetch-based reader the
 * verifier page uses: both must read the chain identically.
 */
import { randomBytes } from 'node:crypto';
import { hexlify, JsonRpcProvider, Network, type TransactionReceipt } from 'ethers';
import { ZERO32, type Hex } from '../../proof/bytes';
import { ANCHORED_TOPIC, uintWord } from '../../proof/chain-reader';
import { ProofError } from '../../proof/errors';
import { EthersChainReader } from '../../proof/ethers-chain-reader';
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { type OrderAnchorContract } from '../../server/anchoring/order-anchor.contract';
import { deployTestAnchor, freePort, startTestChain, type TestChain } from '../support/chain';

describe('EthersChainReader', () => {
  let chain: TestChain;
  let reader: EthersChainReader;
  let rpcReader: JsonRpcChainReader;
  let contract: OrderAnchorContract;
  let address: Hex;
  let root: Hex;
  let receipt: TransactionReceipt;

  beforeAll(async () => {
    chain = await startTestChain();
    reader = new EthersChainReader(chain.provider);
    rpcReader = new JsonRpcChainReader(chain.rpcUrl);
    const deployed = await deployTestAnchor(chain);
    contract = deployed.contract;
    address = deployed.address.toLowerCase() as Hex;
    root = hexlify(randomBytes(32)) as Hex;
    receipt = (await (await contract.anchor(1, root, 9)).wait())!;
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('reads the chain id and the block number', async () => {
    expect(await reader.getChainId()).toBe(31337);
    const before = await reader.getBlockNumber();
    expect(before).toBe(receipt.blockNumber);
    await (await chain.wallets[1].sendTransaction({ to: chain.wallets[2].address, value: 1n })).wait();
    expect(await reader.getBlockNumber()).toBe(before + 1);
  });

  it('reads an anchored root, and zero for a batch not anchored or an address without code', async () => {
    expect(await reader.getBatchRoot(address, 1)).toBe(root);
    expect(await reader.getBatchRoot(address, 2)).toBe(ZERO32);
    expect(await reader.getBatchRoot(chain.wallets[3].address.toLowerCase() as Hex, 1)).toBe(ZERO32);
  });

  it('rejects a seq that is not a uint64 as an argument error', async () => {
    await expect(reader.getBatchRoot(address, -1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('maps the anchoring receipt with its Anchored log, all hex lowercase', async () => {
    const mapped = await reader.getTransactionReceipt(receipt.hash as Hex);
    expect(mapped).toEqual({
      status: 1,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      logs: [{ address, topics: [ANCHORED_TOPIC, uintWord(1), root], data: uintWord(9) }],
    });
  });

  it('returns null for an unknown transaction', async () => {
    expect(await reader.getTransactionReceipt(`0x${'ab'.repeat(32)}`)).toBeNull();
  });

  it('reads block timestamps', async () => {
    const block = await chain.provider.getBlock(receipt.blockNumber);
    expect(await reader.getBlockTimestamp(receipt.blockNumber)).toBe(block!.timestamp);
    await expect(reader.getBlockTimestamp(1_000_000)).rejects.toMatchObject({ code: 'CHAIN_UNAVAILABLE' });
  });

  it('reads exactly what the fetch-based JsonRpcChainReader reads', async () => {
    const tx = receipt.hash as Hex;
    expect(await reader.getChainId()).toBe(await rpcReader.getChainId());
    for (const seq of [0, 1, 2]) expect(await reader.getBatchRoot(address, seq)).toBe(await rpcReader.getBatchRoot(address, seq));
    expect(await reader.getTransactionReceipt(tx)).toEqual(await rpcReader.getTransactionReceipt(tx));
    expect(await reader.getBlockTimestamp(receipt.blockNumber)).toBe(await rpcReader.getBlockTimestamp(receipt.blockNumber));
  });

  it('reports an unreachable node as CHAIN_UNAVAILABLE, within its time limit', async () => {
    const port = await freePort(); // nothing listens there
    const provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, Network.from(31337), { staticNetwork: true });
    const offline = new EthersChainReader(provider, { timeoutMs: 2_000 });
    try {
      const started = Date.now();
      const err: unknown = await offline.getBatchRoot(address, 1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProofError);
      expect(err).toMatchObject({ code: 'CHAIN_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(offline.getBlockNumber()).rejects.toMatchObject({ code: 'CHAIN_UNAVAILABLE' });
    } finally {
      provider.destroy();
    }
  });
});
