import { AppError } from '../../core/errors.js'
import type { Db } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { inReadSnapshot } from '../../db/transaction.js'
import type { Checkpoint } from './checkpoint.rules.js'
import { findLatestCheckpoint } from './checkpoints.repository.js'
import { consistencyProof, inclusionPath, merkleRoot, toHex } from './merkle.rules.js'
import type { ConsistencyProof, InclusionProof } from './proofs.schemas.js'
import { readLeafHashes } from './tree.js'

/** The latest checkpoint (of exactly `size` events when given); refuses when there is none. */
export async function getCheckpoint(ex: Executor, size?: number): Promise<Checkpoint> {
  const c = await findLatestCheckpoint(ex, size)
  if (!c)
    throw new AppError(
      'proof.no_checkpoint',
      size === undefined
        ? 'no checkpoint has been made yet: run "serial-ledger checkpoint"'
        : `no checkpoint of ${size} events was made`,
    )
  const { range: _range, ...checkpoint } = c
  return checkpoint
}

/** The inclusion proof of event `seq` in the tree of the latest checkpoint (or of `treeSize` events). */
export async function proveInclusion(db: Db, seq: number, treeSize?: number): Promise<InclusionProof> {
  return inReadSnapshot(db, async (ex) => {
    const checkpoint = await getCheckpoint(ex, treeSize)
    // The event's place in the log is its leaf (equal to its seq on the locked path).
    const row = await ex.selectFrom('event').select('log_pos').where('seq', '=', seq).executeTakeFirst()
    const logPos = row === undefined ? seq : row.log_pos === null ? Number.MAX_SAFE_INTEGER : Number(row.log_pos)
    if (logPos > checkpoint.treeSize)
      throw new AppError(
        'proof.out_of_range',
        `event ${seq} is newer than the checkpoint (${checkpoint.treeSize} events): make a checkpoint first`,
      )
    const leaves = await readLeafHashes(ex, checkpoint.treeSize, db.kysely)
    return {
      seq,
      leafIndex: logPos - 1,
      treeSize: checkpoint.treeSize,
      leafHash: toHex(leaves[logPos - 1]!),
      path: inclusionPath(leaves, logPos - 1).map(toHex),
      checkpoint,
    }
  })
}

/** The consistency proof from the tree of `from` events to that of `to` (the latest checkpoint by default). */
export async function proveConsistency(db: Db, from: number, to?: number): Promise<ConsistencyProof> {
  return inReadSnapshot(db, async (ex) => {
    const target = to ?? (await getCheckpoint(ex)).treeSize
    if (from > target) throw new AppError('proof.out_of_range', `from (${from}) must not be larger than to (${target})`)
    const leaves = await readLeafHashes(ex, target, db.kysely)
    const [fromCheckpoint, toCheckpoint] = await Promise.all([
      findLatestCheckpoint(ex, from),
      findLatestCheckpoint(ex, target),
    ])
    const strip = (c: typeof fromCheckpoint): Checkpoint | undefined => {
      if (!c) return undefined
      const { range: _range, ...rest } = c
      return rest
    }
    return {
      fromSize: from,
      toSize: target,
      fromRoot: toHex(merkleRoot(leaves.slice(0, from))),
      toRoot: toHex(merkleRoot(leaves)),
      proof: consistencyProof(leaves, from).map(toHex),
      from: strip(fromCheckpoint),
      to: strip(toCheckpoint),
    }
  })
}
