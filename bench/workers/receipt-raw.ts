import { rmSync, statSync } from 'node:fs'
import { systemClock } from '../../src/core/clock.js'
import { newId } from '../../src/core/ids.js'
import { connect, migrateToLatest } from '../../src/db/connect.js'
import { serveWorker } from '../lib/child.js'
import { LEDGER_PREFIX, seedReferenceData, SITE, SKU, SUPPLIER } from '../lib/fixtures.js'
import { insertReceivedRows, pragmasOf } from '../lib/raw.js'
import type { ReceiptInput, ReceiptOutput } from './receipt-service.js'

/** Rows per prepared multi-row INSERT (unit has 20 columns: 250 rows = 5,000 parameters). */
const ROWS_PER_STATEMENT = 250

/**
 * Benchmark 1, raw side: the same migrated schema (so the same indexes on `unit`, including the
 * unique (sku_id, serial)), the same pragmas, then one transaction of prepared multi-row INSERTs:
 * N rows into `unit` and N rows into `event_unit`, ids from the same UUIDv7 generator.
 */
serveWorker<ReceiptInput, ReceiptOutput>(async ({ dbFile, units, synchronous }) => {
  const db = connect(`sqlite:${dbFile}`, { sqliteSynchronous: synchronous })
  await migrateToLatest(db)
  await seedReferenceData({ db, clock: systemClock })
  const raw = db.sqlite!
  const one = <T>(sql: string, ...params: unknown[]) => raw.prepare(sql).get(...params) as T
  const skuId = one<{ id: string }>('select id from sku where code = ?', SKU).id
  const locationId = one<{ id: string }>('select id from location where code = ?', SITE).id
  const supplierId = one<{ id: string }>('select id from party where code = ?', SUPPLIER).id
  const receiptId = newId()
  const place = { locationId, receiptId, supplierId }
  global.gc?.()
  const rssBeforeBytes = process.memoryUsage().rss
  const t0 = performance.now()
  insertReceivedRows(raw, units, { skuId, place, prefix: LEDGER_PREFIX }, ROWS_PER_STATEMENT, newId)
  const seconds = (performance.now() - t0) / 1000
  const count = (raw.prepare('select count(*) as n from unit').get() as { n: number }).n
  if (count !== units) throw new Error(`raw insert left ${count} units, expected ${units}`)
  const pragmas = pragmasOf(raw)
  const walBytes = statSync(`${dbFile}-wal`).size
  const dbBytes = statSync(dbFile).size
  await db.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true })
  return {
    seconds,
    units,
    rssBeforeBytes,
    dbBytes,
    walBytes,
    pragmas,
    detail: { rowsPerStatement: ROWS_PER_STATEMENT },
  }
})
