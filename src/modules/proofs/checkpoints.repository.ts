import { newId } from '../../core/ids.js'
import type { CheckpointTable, Executor } from '../../db/database.js'
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.rules.js'
import { type CompactRange, fromHex, toHex } from './merkle.rules.js'

/** A checkpoint as the database keeps it, with the right edge of its tree to extend it from. */
export interface StoredCheckpoint extends Checkpoint {
  range: CompactRange
}

export const toCheckpoint = (r: CheckpointTable): Checkpoint => ({
  format: CHECKPOINT_FORMAT,
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  issuedAt: r.issued_at,
  keyId: r.key_id,
  signature: r.signature,
})

const toStored = (r: CheckpointTable): StoredCheckpoint => ({
  ...toCheckpoint(r),
  range: { size: Number(r.tree_size), hashes: (JSON.parse(r.compact_range) as string[]).map(fromHex) },
})

export async function insertCheckpoint(db: Executor, c: Checkpoint, range: CompactRange): Promise<void> {
  await db
    .insertInto('checkpoint')
    .values({
      id: newId(),
      tree_size: c.treeSize,
      root_hash: c.rootHash,
      issued_at: c.issuedAt,
      key_id: c.keyId,
      signature: c.signature,
      compact_range: JSON.stringify(range.hashes.map(toHex)),
    })
    .execute()
}

/** The latest checkpoint (largest tree, then newest), or of exactly `size` events when given. */
export async function findLatestCheckpoint(db: Executor, size?: number): Promise<StoredCheckpoint | undefined> {
  let q = db.selectFrom('checkpoint').selectAll()
  if (size !== undefined) q = q.where('tree_size', '=', size)
  const row = await q.orderBy('tree_size', 'desc').orderBy('issued_at', 'desc').limit(1).executeTakeFirst()
  return row && toStored(row)
}

/** Every checkpoint row, oldest first (for verify, which trusts none of them). */
export async function listCheckpoints(db: Executor, limit = Number.MAX_SAFE_INTEGER): Promise<Checkpoint[]> {
  const rows = await db
    .selectFrom('checkpoint')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .orderBy('issued_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toCheckpoint).reverse()
}
