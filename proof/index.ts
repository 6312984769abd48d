/** The ordertrace proof core (proof specification v1, docs/proof-spec.md). Browser-safe. */
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
