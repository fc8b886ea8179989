/*
 * Kysely table interfaces of this module. A checkpoint row is a copy for convenience (the latest tree
 * head, the right edge to extend it from): nothing trusts it, verification is against the witness copies
 * and the public key.
 */

export interface CheckpointTable {
  id: string
  tree_size: number
  root_hash: string
  issued_at: string
  key_id: string
  signature: string
  /** JSON array of hex subtree roots: the tree's right edge (merkle.rules.ts CompactRange). */
  compact_range: string
}

export interface ProofTables {
  checkpoint: CheckpointTable
}
