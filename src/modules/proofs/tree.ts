import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { readEvents, type StoredEvent } from '../ledger/index.js'
import { eventLeafHash } from './leaf.rules.js'
import type { Hash } from './merkle.rules.js'

/** The ledger's size: the seq of its last event, as its head says. */
export async function ledgerSize(ex: Executor): Promise<number> {
  const head = await ex.selectFrom('ledger_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()
  return Number(head.seq)
}

/** Streams events after `after` up to `upTo` with their leaf hashes, refusing a gap in the seqs. */
export async function* eventLeaves(
  ex: Executor,
  upTo: number,
  after = 0,
): AsyncGenerator<{ event: StoredEvent; leaf: Hash }> {
  let expected = after + 1
  for await (const event of readEvents(ex, upTo, after)) {
    if (event.seq !== expected)
      throw new AppError('ledger.broken', `event seq ${event.seq} follows ${expected - 1}: events are missing`)
    expected++
    yield { event, leaf: eventLeafHash(event) }
  }
  if (expected - 1 !== upTo)
    throw new AppError(
      'proof.out_of_range',
      `the ledger has ${expected - 1} events, not ${upTo}: events ${expected}…${upTo} are missing`,
    )
}

/** The leaf hashes of the first `size` events (an inclusion or consistency proof is computed from them). */
export async function readLeafHashes(ex: Executor, size: number): Promise<Hash[]> {
  const leaves: Hash[] = []
  for await (const { leaf } of eventLeaves(ex, size)) leaves.push(leaf)
  return leaves
}
