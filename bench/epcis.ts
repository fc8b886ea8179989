import { createWriteStream, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { systemClock } from '../src/core/clock.js'
import { newId } from '../src/core/ids.js'
import { connect, migrateToLatest } from '../src/db/connect.js'
import { captureEpcis, exportEpcis } from '../src/modules/epcis/index.js'
import { LabelsQuery, writeLabels } from '../src/modules/labels/index.js'
import type { BenchEnv } from './lib/env.js'
import { ACTOR, LEDGER_PREFIX, seedReferenceData } from './lib/fixtures.js'
import { insertReceivedRows, receiptRowIds } from './lib/raw.js'
import { rateRow, timeRow } from './lib/report.js'
import { fmt } from './lib/stats.js'

const LABELS = 1000
const ROWS_PER_STATEMENT = 250

/** The raw baseline: the same rows (unit + event_unit) inserted with prepared multi-row INSERTs, one transaction. */
async function rawInsertSeconds(file: string, units: number, synchronous: 'FULL' | 'NORMAL'): Promise<number> {
  const db = connect(`sqlite:${file}`, { sqliteSynchronous: synchronous })
  await migrateToLatest(db)
  await seedReferenceData({ db, clock: systemClock })
  const raw = db.sqlite!
  const { skuId, place } = receiptRowIds(raw, newId)
  const t0 = performance.now()
  insertReceivedRows(raw, units, { skuId, place, prefix: LEDGER_PREFIX }, ROWS_PER_STATEMENT, newId)
  const seconds = (performance.now() - t0) / 1000
  await db.close()
  return seconds
}

/**
 * EPCIS: the ledger's receipt (`--units` serials in one event) exported as one EPCIS document to a file,
 * then that document captured into an empty ledger with the same reference data (schema validation,
 * planning and the receive operation included); both next to a raw insert of the same rows. Then a label
 * PDF of 1,000 units (thermal layout, GS1 DataMatrix): time and size.
 */
export async function benchEpcis(env: BenchEnv): Promise<void> {
  const n = env.o.units
  const ledger = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: env.o.synchronous })
  const docFile = join(env.dir, 'epcis.jsonld')
  try {
    const events = Number(
      (
        (await ledger.kysely
          .selectFrom('event')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()) as { n: number }
      ).n,
    )
    env.log(`epcis: export of ${fmt(events)} events, ${fmt(n)} serials`)
    const t0 = performance.now()
    await pipeline(Readable.from(exportEpcis(ledger.kysely, {}, new Date().toISOString())), createWriteStream(docFile))
    const exportSeconds = (performance.now() - t0) / 1000
    const docBytes = statSync(docFile).size

    env.log('epcis: raw insert of the same rows')
    const rawSeconds = await rawInsertSeconds(join(env.dir, 'epcis-raw.db'), n, env.o.synchronous)

    env.log('epcis: capture into an empty ledger')
    const target = connect(`sqlite:${join(env.dir, 'epcis-capture.db')}`, { sqliteSynchronous: env.o.synchronous })
    await migrateToLatest(target)
    await seedReferenceData({ db: target, clock: systemClock })
    const t1 = performance.now()
    const result = await captureEpcis(
      { db: target, clock: systemClock },
      ACTOR,
      JSON.parse(readFileSync(docFile, 'utf8')),
    )
    const captureSeconds = (performance.now() - t1) / 1000
    await target.close()

    env.log(`epcis: label PDF of ${LABELS} units`)
    const serials = (
      await ledger.kysely.selectFrom('unit').select('serial').orderBy('serial').limit(LABELS).execute()
    ).map((r) => r.serial)
    const pdfFile = join(env.dir, 'labels.pdf')
    const t2 = performance.now()
    const labels = await writeLabels(
      ledger.kysely,
      LabelsQuery.parse({ serials: serials.join(',') }),
      createWriteStream(pdfFile),
    )
    const labelSeconds = (performance.now() - t2) / 1000
    const pdfBytes = statSync(pdfFile).size

    const bench = '11 epcis'
    env.rows.push(
      rateRow({
        bench,
        metric: 'export',
        unit: 'serials/s',
        service: n / exportSeconds,
        raw: n / rawSeconds,
        note: `${fmt(events / exportSeconds)} events/s, ${fmt(docBytes / 1e6)} MB document`,
      }),
      rateRow({
        bench,
        metric: 'capture',
        unit: 'serials/s',
        service: n / captureSeconds,
        raw: n / rawSeconds,
        note: `${fmt(result.captured / captureSeconds)} events/s (schema check included)`,
      }),
      timeRow({
        bench,
        metric: `label PDF, ${fmt(labels)} units`,
        unit: 's',
        service: labelSeconds,
        note: `${fmt(pdfBytes / 1e6, 2)} MB`,
      }),
    )
    env.details.epcis = {
      serials: n,
      events,
      exportSeconds,
      captureSeconds,
      rawSeconds,
      docBytes,
      labels,
      labelSeconds,
      pdfBytes,
    }
  } finally {
    await ledger.close()
    rmSync(docFile, { force: true })
  }
}
