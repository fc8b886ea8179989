import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { Executor } from '../../db/database.js'
import { flushHits, logHit } from './check-log.js'
import type { PublicCheckHitTable } from './warranty.tables.js'

/** An executor whose inserts commit only when the test lets them, recording what was committed. */
function gatedLog() {
  const committed: PublicCheckHitTable[] = []
  const started: PublicCheckHitTable[][] = []
  let open: () => void = () => {}
  const gate = new Promise<void>((resolve) => (open = resolve))
  const db = {
    insertInto: () => ({
      values: (rows: PublicCheckHitTable[]) => ({
        execute: async () => {
          started.push(rows)
          await gate
          committed.push(...rows)
        },
      }),
    }),
  } as unknown as Executor
  return { db, committed, started, open: () => open() }
}

const hit = (n: number): PublicCheckHitTable => ({
  token_hash: `t${n}`,
  client_hash: `c${n}`,
  checked_at: '2026-12-03T00:00:00.000Z',
  unit_status: 'in_stock',
})

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10)
  expect(condition()).toBe(true)
}

describe('the public check log', () => {
  it('answers a reader only once a write the timer started has committed', async () => {
    const log = gatedLog()
    logHit(log.db, hit(1))
    await until(() => log.started.length === 1) // the flush timer started the write
    let flushed = false
    const flush = flushHits(log.db).then(() => (flushed = true))
    await sleep(20)
    expect(flushed).toBe(false)
    log.open()
    await flush
    expect(log.committed).toEqual([hit(1)])
  })

  it('writes what waits after what is in flight, in the order logged', async () => {
    const log = gatedLog()
    logHit(log.db, hit(1))
    await until(() => log.started.length === 1)
    logHit(log.db, hit(2))
    const flush = flushHits(log.db)
    await sleep(20)
    // The second write waits for the first to commit.
    expect(log.started).toHaveLength(1)
    log.open()
    await flush
    expect(log.committed).toEqual([hit(1), hit(2)])
  })
})
