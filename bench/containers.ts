import { join } from 'node:path'
import { systemClock } from '../src/core/clock.js'
import { newId } from '../src/core/ids.js'
import { connect, migrateToLatest } from '../src/db/connect.js'
import { pack } from '../src/modules/containers/index.js'
import { verifyLedger } from '../src/modules/ledger/index.js'
import { createLocation } from '../src/modules/locations/index.js'
import { move } from '../src/modules/movements/index.js'
import { execute } from '../src/modules/operations/index.js'
import { receive } from '../src/modules/receiving/index.js'
import type { BenchEnv } from './lib/env.js'
import { ACTOR, LEDGER_PREFIX, ledgerRanges, seedReferenceData, SITE, SKU, SUPPLIER } from './lib/fixtures.js'
import { EVENT_UNIT_COLUMNS, insertReceivedRows, MultiRowInsert, receiptRowIds } from './lib/raw.js'
import { rateRow } from './lib/report.js'
import { fmt } from './lib/stats.js'

const UNITS = 10_000
const CASES = 100
const PER_CASE = UNITS / CASES
const ZONE = 'WH1-Z2'
const ROWS_PER_STATEMENT = 250

const caseCode = (i: number) => `CASE-${String(i).padStart(3, '0')}`

/** A fresh SQLite ledger with the reference data, a second place to move to and UNITS units received. */
async function ledgerOf(file: string, synchronous: 'FULL' | 'NORMAL') {
  const db = connect(`sqlite:${file}`, { sqliteSynchronous: synchronous })
  await migrateToLatest(db)
  const ctx = { db, clock: systemClock }
  await seedReferenceData(ctx)
  await createLocation(ctx, { code: ZONE, name: 'Zone 2', level: 'zone', parent: SITE })
  return { db, ctx }
}

/**
 * The raw baseline of the same rows: the units inserted as received, then per case one transaction that
 * sets `container_code` on its units, inserts their event lines and the case row; the pallet's nesting;
 * then one transaction moving every unit (an UPDATE of location by container and 10,000 event lines).
 */
async function rawSeconds(file: string, synchronous: 'FULL' | 'NORMAL'): Promise<{ pack: number; move: number }> {
  const { db } = await ledgerOf(file, synchronous)
  const raw = db.sqlite!
  const { skuId, place } = receiptRowIds(raw, newId)
  const one = (sql: string, p: string) => (raw.prepare(sql).get(p) as { id: string }).id
  insertReceivedRows(raw, UNITS, { skuId, place, prefix: LEDGER_PREFIX }, ROWS_PER_STATEMENT, newId)
  const units = raw.prepare('select id, serial from unit order by serial').all() as { id: string; serial: string }[]
  const lines = new MultiRowInsert(raw, 'event_unit', EVENT_UNIT_COLUMNS, PER_CASE)
  const setCase = raw.prepare(
    `update unit set container_code = ?, version = version + 1 where id in (${units
      .slice(0, PER_CASE)
      .map(() => '?')
      .join(',')})`,
  )
  const container = raw.prepare(
    "insert into container (code, kind, parent_code, created_seq, last_event_seq) values (?, 'own', null, ?, ?)",
  )
  const t0 = performance.now()
  for (let c = 0; c < CASES; c++) {
    const batch = units.slice(c * PER_CASE, (c + 1) * PER_CASE)
    raw.exec('begin immediate')
    setCase.run(caseCode(c), ...batch.map((u) => u.id))
    lines.run(batch.flatMap((u, k) => [c + 2, k + 1, u.id, skuId, u.serial, null, null, null, null]))
    container.run(caseCode(c), c + 2, c + 2)
    raw.exec('commit')
  }
  raw.exec('begin immediate')
  raw
    .prepare(
      'insert into container (code, kind, parent_code, created_seq, last_event_seq) ' +
        "values ('PAL-1', 'own', null, 1, 1)",
    )
    .run()
  raw.prepare("update container set parent_code = 'PAL-1' where code like 'CASE-%'").run()
  raw.exec('commit')
  const packSeconds = (performance.now() - t0) / 1000
  const zone = one('select id from location where code = ?', ZONE)
  const moveLines = new MultiRowInsert(raw, 'event_unit', EVENT_UNIT_COLUMNS, ROWS_PER_STATEMENT)
  const t1 = performance.now()
  raw.exec('begin immediate')
  raw
    .prepare(
      'update unit set location_id = ?, version = version + 1 where container_code in ' +
        "(select code from container where parent_code = 'PAL-1')",
    )
    .run(zone)
  for (let from = 0; from < UNITS; from += ROWS_PER_STATEMENT)
    moveLines.run(
      units
        .slice(from, from + ROWS_PER_STATEMENT)
        .flatMap((u, k) => [CASES + 3, from + k + 1, u.id, skuId, u.serial, null, null, null, null]),
    )
  raw.exec('commit')
  const moveSeconds = (performance.now() - t1) / 1000
  await db.close()
  return { pack: packSeconds, move: moveSeconds }
}

/**
 * Containers: 10,000 units received, packed into 100 cases of 100 (one `pack` operation each, through
 * load → decide → write), the 100 cases nested in one pallet (one `pack` each), then the pallet moved in one
 * `move` (one event, 10,000 unit lines); each next to the raw insert/update rate of the same rows.
 */
export async function benchContainers(env: BenchEnv): Promise<void> {
  env.log(`containers: receive ${fmt(UNITS)} units, pack ${CASES} cases, nest them in a pallet`)
  const { db, ctx } = await ledgerOf(join(env.dir, 'containers.db'), env.o.synchronous)
  try {
    const who = { actor: ACTOR }
    await execute(ctx, receive, who, {
      supplier: SUPPLIER,
      location: SITE,
      lines: ledgerRanges(UNITS).map((range) => ({ sku: SKU, range })),
    })
    const serials = (await db.kysely.selectFrom('unit').select('serial').orderBy('serial').execute()).map(
      (r) => r.serial,
    )
    const t0 = performance.now()
    for (let c = 0; c < CASES; c++)
      await execute(ctx, pack, who, { container: caseCode(c), units: serials.slice(c * PER_CASE, (c + 1) * PER_CASE) })
    const packSeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    for (let c = 0; c < CASES; c++) await execute(ctx, pack, who, { container: caseCode(c), parent: 'PAL-1' })
    const nestSeconds = (performance.now() - t1) / 1000
    env.log('containers: move the pallet (one event)')
    const t2 = performance.now()
    const { result: moved } = await execute(ctx, move, who, { to: ZONE, containers: ['PAL-1'] })
    const moveSeconds = (performance.now() - t2) / 1000
    if (moved.unitCount !== UNITS) throw new Error(`the pallet moved ${moved.unitCount} units, not ${UNITS}`)
    const verified = await verifyLedger(db)
    if (!verified.ok) throw new Error(`verify failed after the container bench: ${verified.problem?.reason}`)
    env.log('containers: raw baseline of the same rows')
    const raw = await rawSeconds(join(env.dir, 'containers-raw.db'), env.o.synchronous)
    const bench = '12 containers'
    env.rows.push(
      rateRow({
        bench,
        metric: `pack ${fmt(UNITS)} units into ${CASES} cases + nest in 1 pallet`,
        unit: 'units/s',
        service: UNITS / (packSeconds + nestSeconds),
        raw: UNITS / raw.pack,
        note: `${fmt((2 * CASES) / (packSeconds + nestSeconds))} pack operations/s (nesting ${fmt(nestSeconds, 2)} s)`,
      }),
      rateRow({
        bench,
        metric: `move the pallet (1 event, ${fmt(UNITS)} units)`,
        unit: 'units/s',
        service: UNITS / moveSeconds,
        raw: UNITS / raw.move,
        note: `${fmt(moveSeconds, 3)} s for the one move`,
      }),
    )
    env.details.containers = { units: UNITS, cases: CASES, packSeconds, nestSeconds, moveSeconds, raw }
  } finally {
    await db.close()
  }
}
