/**
 * The OrderAnchor contract as seen from TypeScript: its ABI, a typed ethers binding and deployment.
 *
 * The ABI is written out here (and checked against the compiled artifact by test/contract) so that
 * talking to an already deployed contract needs no build output; only deploying reads the Hardhat
 * artifact, for the bytecode.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type BaseContract,
  type BaseContractMethod,
  type BigNumberish,
  type BytesLike,
  Contract,
  type ContractRunner,
  ContractFactory,
  type ContractTransactionResponse,
  type Log,
  type Signer,
  type TransactionReceipt,
  getAddress,
  Interface,
} from 'ethers';

export const ORDER_ANCHOR_ABI = [
  'constructor(address admin, address anchorer)',
  'function anchor(uint64 seq, bytes32 root, uint32 leafCount)',
  'function lastSeq() view returns (uint64)',
  'function batch(uint64 seq) view returns (bytes32 root)',
  'function verify(uint64 seq, bytes32 leaf, bytes32[] proof) view returns (bool)',
  'function ANCHORER_ROLE() view returns (bytes32)',
  'function DEFAULT_ADMIN_ROLE() view returns (bytes32)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
  'function getRoleAdmin(bytes32 role) view returns (bytes32)',
  'function grantRole(bytes32 role, address account)',
  'function revokeRole(bytes32 role, address account)',
  'function renounceRole(bytes32 role, address callerConfirmation)',
  'function supportsInterface(bytes4 interfaceId) view returns (bool)',
  'event Anchored(uint64 indexed seq, bytes32 indexed root, uint32 leafCount)',
  'event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)',
  'event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)',
  'event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)',
  'error OrderAnchorOutOfOrder(uint64 expected, uint64 given)',
  'error OrderAnchorZeroRoot()',
  'error OrderAnchorEmptyBatch()',
  'error OrderAnchorInvalidAccount(address account)',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error AccessControlBadConfirmation()',
] as const;

/** Decodes calls, logs and custom errors (`parseError`, `parseLog`) of OrderAnchor. */
export const orderAnchorInterface = new Interface(ORDER_ANCHOR_ABI);

type Write<A extends unknown[]> = BaseContractMethod<A, void, ContractTransactionResponse>;
type View<A extends unknown[], R> = BaseContractMethod<A, R, R>;

/** An ethers Contract bound to OrderAnchor, with its methods typed. */
export interface OrderAnchorContract extends BaseContract {
  anchor: Write<[seq: BigNumberish, root: BytesLike, leafCount: BigNumberish]>;
  lastSeq: View<[], bigint>;
  /** The batch's root; zero when not anchored. */
  batch: View<[seq: BigNumberish], string>;
  verify: View<[seq: BigNumberish, leaf: BytesLike, proof: BytesLike[]], boolean>;
  ANCHORER_ROLE: View<[], string>;
  DEFAULT_ADMIN_ROLE: View<[], string>;
  hasRole: View<[role: BytesLike, account: string], boolean>;
  getRoleAdmin: View<[role: BytesLike], string>;
  grantRole: Write<[role: BytesLike, account: string]>;
  revokeRole: Write<[role: BytesLike, account: string]>;
  renounceRole: Write<[role: BytesLike, callerConfirmation: string]>;
}

export function orderAnchorAt(address: string, runner: ContractRunner | null): OrderAnchorContract {
  return new Contract(address, orderAnchorInterface, runner) as unknown as OrderAnchorContract;
}

/** One `Anchored` event, decoded. */
export interface AnchoredEvent {
  seq: number;
  root: string;
  leafCount: number;
  /** Index of the log within the receipt. */
  logIndex: number;
}

/**
 * The `Anchored` events that `contract` emitted in `receipt`; logs of other contracts are ignored,
 * since anyone can emit an event with the same signature.
 */
export function anchoredEvents(receipt: { logs: readonly Log[] }, contract: string): AnchoredEvent[] {
  const address = getAddress(contract);
  const topic = orderAnchorInterface.getEvent('Anchored')!.topicHash;
  const events: AnchoredEvent[] = [];
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== address || log.topics[0] !== topic) continue;
    const parsed = orderAnchorInterface.parseLog(log)!;
    events.push({
      seq: Number(parsed.args.seq),
      root: parsed.args.root as string,
      leafCount: Number(parsed.args.leafCount),
      logIndex: log.index,
    });
  }
  return events;
}

/**
 * The folder holding ordertrace's package.json, found by walking up from this file so that the same
 * code works from the TypeScript sources and from the compiled `dist/`.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === 'ordertrace') return dir;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ordertrace package root above ${from}`);
  }
}

export interface OrderAnchorArtifact {
  abi: unknown[];
  /** Creation code. */
  bytecode: string;
  /** Runtime code, as `eth_getCode` returns it for a deployment (the contract has no immutables). */
  deployedBytecode: string;
}

export function orderAnchorArtifactPath(): string {
  return join(packageRoot(), 'artifacts', 'contracts', 'OrderAnchor.sol', 'OrderAnchor.json');
}

let artifactCache: OrderAnchorArtifact | undefined;

/** The compiled contract from `npx hardhat compile`. */
export function loadOrderAnchorArtifact(): OrderAnchorArtifact {
  if (artifactCache) return artifactCache;
  const path = orderAnchorArtifactPath();
  if (!existsSync(path)) {
    throw new Error(`the OrderAnchor artifact is missing at ${path}: run \`npx hardhat compile\` (npm run build does) first`);
  }
  const artifact = JSON.parse(readFileSync(path, 'utf8')) as OrderAnchorArtifact;
  artifactCache = { abi: artifact.abi, bytecode: artifact.bytecode, deployedBytecode: artifact.deployedBytecode };
  return artifactCache;
}

export interface DeployOrderAnchorOptions {
  /** Receives DEFAULT_ADMIN_ROLE: may grant and revoke ANCHORER_ROLE later. */
  admin: string;
  /** Receives ANCHORER_ROLE. */
  anchorer: string;
  /** Blocks to wait for after the deployment is mined; default 1. */
  confirmations?: number;
}

export interface DeployedOrderAnchor {
  address: string;
  receipt: TransactionReceipt;
  contract: OrderAnchorContract;
}

export async function deployOrderAnchor(signer: Signer, options: DeployOrderAnchorOptions): Promise<DeployedOrderAnchor> {
  const { bytecode } = loadOrderAnchorArtifact();
  const factory = new ContractFactory(orderAnchorInterface, bytecode, signer);
  const deployed = await factory.deploy(getAddress(options.admin), getAddress(options.anchorer));
  const tx = deployed.deploymentTransaction();
  if (!tx) throw new Error('OrderAnchor deployment returned no transaction');
  const receipt = await tx.wait(options.confirmations ?? 1);
  if (!receipt || receipt.status !== 1 || !receipt.contractAddress) {
    throw new Error(`OrderAnchor deployment transaction ${tx.hash} failed`);
  }
  const address = getAddress(receipt.contractAddress);
  return { address, receipt, contract: orderAnchorAt(address, signer) };
}
