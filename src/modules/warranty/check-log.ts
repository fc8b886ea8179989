import type { Executor } from '../../db/database.js'
import type { PublicCheckHitTable } from './warranty.tables.js'

/** How long checks wait to be logged together, and how many are logged at once at most. */
const HIT_FLUSH_MS = 200
const HIT_BATCH = 500
const pendingHits = new WeakMap<
  Executor,
  { rows: PublicCheckHitTable[]; timer?: NodeJS.Timeout; writing?: Promise<void> }
>()

/**
 * Logs a check in the background, batched: one durable commit per check would cap the public page at
 * the disk's commit rate. A crash loses at most the last HIT_FLUSH_MS of the log (a signal, not a fact).
 */
export function logHit(db: Executor, row: PublicCheckHitTable): void {
  const p = pendingHits.get(db) ?? pendingHits.set(db, { rows: [] }).get(db)!
  p.rows.push(row)
  if (p.rows.length >= HIT_BATCH) void flushHits(db)
  else p.timer ??= setTimeout(() => void flushHits(db), HIT_FLUSH_MS).unref()
}

/**
 * Writes the checks waiting to be logged, and resolves once every check logged before the call is written
 * (the cloned-label signals read the log after this). A write the timer started may still be in flight,
 * so each write waits for the one before it and the caller for the last: a reader that found nothing
 * waiting had read the log before the timer's write committed.
 */
export async function flushHits(db: Executor): Promise<void> {
  const p = pendingHits.get(db)
  if (!p) return
  if (p.rows.length > 0) {
    clearTimeout(p.timer)
    p.timer = undefined
    const rows = p.rows.splice(0)
    const before = p.writing
    p.writing = (async () => {
      await before
      try {
        await db.insertInto('public_check_hit').values(rows).execute()
      } catch {
        // The log is a signal, not a fact: a failed write (a closed database) drops its rows rather than
        // failing a public request or retrying forever.
      }
    })()
  }
  await p.writing
}
