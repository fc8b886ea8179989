import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { inReadSnapshot } from '../../db/transaction.js'
import type { Executor } from '../../db/database.js'
import type { Checkpoint } from './checkpoint.rules.js'
import { findLatestCheckpoint, insertCheckpoint, type StoredCheckpoint } from './checkpoints.repository.js'
import {
  appendLeaves,
  type CompactRange,
  emptyRange,
  type Hash,
  rangeLength,
  rangeRoot,
  toHex,
} from './merkle.rules.js'
import { isSignedBy, readSigningKey, type SigningKey, signTreeHead } from './signing.js'
import { eventLeaves, ledgerSize } from './tree.js'
import { writeToWitness } from './witness.js'

/** Where the signing key is and where checkpoints are witnessed (from the configuration). */
export interface ProofSettings {
  signingKeyFile: string
  witness: string
}

export interface MadeCheckpoint {
  checkpoint: Checkpoint
  /** Where the witness copy went. */
  witnessedAt: string
}

/**
 * Makes, signs, stores and witnesses a checkpoint of the ledger as it is now. The tree is extended from
 * the latest stored checkpoint's right edge when that one checks out (its signature is ours and its edge
 * gives its root), so a checkpoint hashes only the events since; otherwise it is rebuilt from event 1.
 * With `onlyIfGrown`, nothing is made when no event was added since the latest checkpoint.
 */
export async function makeCheckpoint(
  ctx: AppContext,
  settings: ProofSettings,
  options: { onlyIfGrown?: boolean } = {},
): Promise<MadeCheckpoint | undefined> {
  const key = readSigningKey(settings.signingKeyFile)
  const range = await inReadSnapshot(ctx.db, async (ex) => {
    const size = await ledgerSize(ex)
    const last = await findLatestCheckpoint(ex)
    if (options.onlyIfGrown && last && last.treeSize >= size) return undefined
    return extendRange(ex, isSoundBase(last, key, size) ? last.range : emptyRange(), size)
  })
  if (!range) return undefined
  const checkpoint = signRange(range, ctx.clock.now(), key)
  await insertCheckpoint(ctx.db.kysely, checkpoint, range)
  return { checkpoint, witnessedAt: await writeToWitness(settings.witness, checkpoint) }
}

const signRange = (range: CompactRange, now: Date, key: SigningKey): Checkpoint =>
  signTreeHead({ treeSize: range.size, rootHash: toHex(rangeRoot(range)), issuedAt: now.toISOString() }, key)

/** A stored checkpoint is a base to extend only if it is ours, not past the ledger, and its edge is whole. */
function isSoundBase(c: StoredCheckpoint | undefined, key: SigningKey, size: number): c is StoredCheckpoint {
  return (
    c !== undefined &&
    c.treeSize <= size &&
    c.range.hashes.length === rangeLength(c.treeSize) &&
    toHex(rangeRoot(c.range)) === c.rootHash &&
    c.keyId === key.keyId &&
    isSignedBy(c, key.publicKey)
  )
}

/** Adds the leaves of events after the range up to `size`, checking each new event links to the last. */
async function extendRange(ex: Executor, range: CompactRange, size: number): Promise<CompactRange> {
  let prevHash =
    range.size === 0
      ? '0'.repeat(64)
      : (await ex.selectFrom('event').select('hash').where('log_pos', '=', range.size).executeTakeFirst())?.hash
  const leaves: Hash[] = []
  let result = range
  for await (const { event, leaf } of eventLeaves(ex, size, range.size)) {
    if (event.prevHash !== prevHash)
      throw new AppError(
        'ledger.broken',
        `the event at place ${event.logPos} does not link to the one before it: not signed`,
      )
    prevHash = event.hash
    leaves.push(leaf)
    if (leaves.length === 4096) result = appendLeaves(result, leaves.splice(0))
  }
  return appendLeaves(result, leaves)
}
