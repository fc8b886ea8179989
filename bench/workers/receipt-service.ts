import { statSync } from 'node:fs'
import { systemClock } from '../../src/core/clock.js'
import { connect, migrateToLatest } from '../../src/db/connect.js'
import { parseCommand, runOperation } from '../../src/modules/operations/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { serveWorker } from '../lib/child.js'
import { ACTOR, ledgerRanges, seedReferenceData, SITE, SKU, SUPPLIER } from '../lib/fixtures.js'
import { pragmasOf } from '../lib/raw.js'

export interface ReceiptInput {
  dbFile: string
  /** A postgres:// database to receive into instead of the SQLite file (already migrated and seeded). */
  url?: string
  units: number
  synchronous: 'FULL' | 'NORMAL'
}

export interface ReceiptOutput {
  seconds: number
  units: number
  rssBeforeBytes: number
  dbBytes: number
  walBytes: number
  pragmas: Record<string, unknown>
  detail?: Record<string, unknown>
}

/**
 * Benchmark 1, service side: a fresh database file, reference data through the services, then one
 * timed `receiveUnits` of the range PHX-{0000001..N}. The file is kept: it is the ledger the other
 * benchmarks run against.
 */
serveWorker<ReceiptInput, ReceiptOutput>(async ({ dbFile, url, units, synchronous }) => {
  const db = connect(url ?? `sqlite:${dbFile}`, { sqliteSynchronous: synchronous })
  const ctx = { db, clock: systemClock }
  if (!url) {
    await migrateToLatest(db)
    await seedReferenceData(ctx)
  }
  const cmd = parseCommand(receive, {
    supplier: SUPPLIER,
    location: SITE,
    number: 'RCV-BENCH-1',
    lines: ledgerRanges(units).map((range) => ({ sku: SKU, range })),
  })
  global.gc?.()
  const rssBeforeBytes = process.memoryUsage().rss
  const t0 = performance.now()
  const { result } = await runOperation(ctx, receive, { actor: ACTOR, request: { ranges: ledgerRanges(units) } }, cmd)
  const seconds = (performance.now() - t0) / 1000
  if (result.unitCount !== units) throw new Error(`received ${result.unitCount} units, expected ${units}`)
  const pragmas = db.sqlite ? pragmasOf(db.sqlite) : {}
  const walBytes = fileSize(`${dbFile}-wal`)
  await db.close()
  return {
    seconds,
    units,
    rssBeforeBytes,
    dbBytes: fileSize(dbFile),
    walBytes,
    pragmas,
    detail: { eventSeq: result.eventSeq },
  }
})

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
