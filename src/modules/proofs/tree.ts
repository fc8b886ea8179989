import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { readEvents, type StoredEvent } from '../ledger/index.js'
import { eventLeafHash } from './leaf.rules.js'
import type { Hash } from './merkle.rules.js'

/** The log's size: the place of its last sequenced event, as its head says. */
export async function ledgerSize(ex: Executor): Promise<number> {
  const head = await ex.selectFrom('ledger_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()
  return Number(head.seq)
}

/** Streams the log's events after place `after` up to `upTo` with their leaf hashes, refusing a gap. */
export async function* eventLeaves(
  ex: Executor,
  upTo: number,
  after = 0,
): AsyncGenerator<{ event: StoredEvent; leaf: Hash }> {
  let expected = after + 1
  for await (const event of readEvents(ex, upTo, after)) {
    if (event.logPos !== expected)
      throw new AppError('ledger.broken', `log place ${event.logPos} follows ${expected - 1}: events are missing`)
    expected++
    yield { event, leaf: eventLeafHash(event) }
  }
  if (expected - 1 !== upTo)
    throw new AppError(
      'proof.out_of_range',
      `the ledger has ${expected - 1} events, not ${upTo}: events ${expected}…${upTo} are missing`,
    )
}

/** The leaf hashes read so far for one database, 32 bytes each, and the chain hash of the last event read. */
interface LeafCache {
  bytes: Buffer
  count: number
  lastHash: string
}
const caches = new WeakMap<object, LeafCache>()

/**
 * The leaf hashes of the first `size` events (an inclusion or consistency proof is computed from them).
 * With a `cacheKey` (the database), the leaves read before are kept in memory (32 bytes an event) and only
 * the events since are read; the cache is dropped when the event it ends at no longer has the hash it had,
 * so a rewritten or truncated history is read afresh. `verify` never uses the cache.
 */
export async function readLeafHashes(ex: Executor, size: number, cacheKey?: object): Promise<Hash[]> {
  let cache = cacheKey ? caches.get(cacheKey) : undefined
  if (cache && !(await endsAtSameEvent(ex, cache))) cache = undefined
  cache ??= { bytes: Buffer.alloc(0), count: 0, lastHash: '' }
  if (size > cache.count) {
    const grown = Buffer.alloc(32 * size)
    cache.bytes.copy(grown, 0, 0, 32 * cache.count)
    let count = cache.count
    let lastHash = cache.lastHash
    for await (const { event, leaf } of eventLeaves(ex, size, cache.count)) {
      leaf.copy(grown, 32 * count++)
      lastHash = event.hash
    }
    cache = { bytes: grown, count, lastHash }
  }
  if (cacheKey) caches.set(cacheKey, cache)
  return Array.from({ length: size }, (_, i) => cache.bytes.subarray(32 * i, 32 * i + 32))
}

async function endsAtSameEvent(ex: Executor, cache: LeafCache): Promise<boolean> {
  const row = await ex.selectFrom('event').select('hash').where('log_pos', '=', cache.count).executeTakeFirst()
  return row?.hash === cache.lastHash
}
