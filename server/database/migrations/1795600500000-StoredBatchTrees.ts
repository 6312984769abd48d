import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every node of a sealed batch's Merkle tree, stored when the batch is sealed (32 bytes per node,
 * level after level: proofNodeOffsets in proof/merkle.ts gives where a proof lies). A bundle then
 * reads its proofs' few nodes instead of rebuilding each batch's tree from all its leaves. Stored
 * uncompressed (EXTERNAL), so that PostgreSQL reads only the slices asked for. Batches sealed
 * before this migration have no row, and their proofs are rebuilt from the leaves as before.
 */
export class StoredBatchTrees1795600500000 implements MigrationInterface {
  name = 'StoredBatchTrees1795600500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE batch_trees (
        seq integer PRIMARY KEY REFERENCES batches (seq) ON DELETE CASCADE,
        nodes bytea NOT NULL
      )`);
    await q.query(`ALTER TABLE batch_trees ALTER COLUMN nodes SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE batch_trees`);
  }
}
