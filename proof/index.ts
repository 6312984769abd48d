/**
 * The ordertrace proof core (proof specification v1, docs/proof-spec.md), importable as
 * `ordertrace/proof`. Browser-safe: no Node built-ins; the chain is read with `fetch`.
 */
export * from './bytes';
export * from './errors';
export * from './canonical';
export * from './keccak';
export * from './hashes';
export * from './record';
export * from './merkle';
export * from './bundle';
export * from './chain-reader';
export * from './verify';
export * from './trust';
export * from './rpc-chain-reader';
export * from './consensus-chain-reader';
export * from './audit-entry';
