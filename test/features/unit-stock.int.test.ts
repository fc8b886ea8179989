/*
 * The unit counts (`unit_stock`): the projection stock on hand and the dashboard read instead of every
 * unit row. On every dialect it follows each kind of event, `verify` holds it to the replay and to the
 * `unit` table, and its migration backfills it from `unit`. On PostgreSQL's sequenced path a command
 * queues its changes and the sequencer folds them in: reads stay exact before the fold, and two sales of
 * two units of one SKU at one store do not conflict on a count row.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import type { Db } from '../../src/db/connect.js'
import * as unitStockMigration from '../../src/db/migrations/2026_12_03_0300_unit_stock.js'
import { pack } from '../../src/modules/containers/index.js'
import { closeCount, scanCount, startCount } from '../../src/modules/counts/index.js'
import { awaitSequenced, verifyLedger } from '../../src/modules/ledger/index.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { applyOperation, parseCommand, runCommand } from '../../src/modules/operations/index.js'
import { openRecall, quarantine, quarantineRecall, release } from '../../src/modules/quality/index.js'
import { dashboard, DashboardQuery } from '../../src/modules/reports/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import { stockOnHand, StockQuery } from '../../src/modules/stock/index.js'
import { DIALECTS, SEQUENCED_POSTGRES } from '../dialects.js'
import { useTestDb } from '../factories.js'

/** Stock on hand of one SKU, as `GET /stock` answers it: location code → units. */
async function onHand(db: Db, sku: string): Promise<Record<string, number>> {
  const rows = await stockOnHand(db.kysely, StockQuery.parse({ sku }))
  return Object.fromEntries(rows.map((r) => [r.location, r.onHand]))
}

/** The non-empty count rows (with queued changes) and the same counted from `unit`, both as sorted text. */
async function countsAndUnits(db: Db): Promise<[string[], string[]]> {
  const counts = await sql<{ k: string; n: number }>`
    select status || '/' || sku_id || '/' || location_key || '/' || lot_key as k, sum(units) as n
    from (select * from unit_stock union all
          select status, sku_id, location_key, lot_key, units from unit_stock_delta) c
    group by status, sku_id, location_key, lot_key having sum(units) <> 0
  `.execute(db.kysely)
  const units = await sql<{ k: string; n: number }>`
    select status || '/' || sku_id || '/' || coalesce(location_id, '') || '/' || coalesce(lot_id, '') as k,
      count(*) as n
    from unit group by status, sku_id, coalesce(location_id, ''), coalesce(lot_id, '')
  `.execute(db.kysely)
  const text = (rows: { k: string; n: number }[]) => rows.map((r) => `${r.k}=${Number(r.n)}`).sort()
  return [text(counts.rows), text(units.rows)]
}

for (const dialect of [...DIALECTS, ...(SEQUENCED_POSTGRES ? [SEQUENCED_POSTGRES] : [])]) {
  const path = dialect === SEQUENCED_POSTGRES ? ', sequenced path' : ''
  describe(`${dialect.name}${path}: the unit counts`, () => {
    const t = useTestDb(dialect)

    /** Receives `n` units of a new SKU at a new store; answers the serials, the store, another site and a customer. */
    async function stockOf(n: number) {
      const g = t.given
      const { header, site } = await g.place()
      const other = await g.site()
      const sku = await g.sku()
      const customer = await g.customer()
      const serials = Array.from({ length: n }, () => g.uniq('US'))
      await g.receipt({ ...header, lines: [{ sku: sku.code, serials }] })
      return { g, sku: sku.code, serials, a: site.code, b: other.code, customer: customer.code }
    }

    it('follow receipt, move, sale, return, transfer, quarantine, recall, count close and packing', async () => {
      const { g, sku, serials: s, a, b, customer } = await stockOf(10)
      const expectStock = async (want: Record<string, number>) => {
        expect(await onHand(t.db, sku)).toEqual(want)
        const [counts, units] = await countsAndUnits(t.db)
        expect(counts).toEqual(units)
      }
      await expectStock({ [a]: 10 })
      await g.op(move, { to: b, units: [s[0]!] })
      await expectStock({ [a]: 9, [b]: 1 })
      await g.op(sell, { customer, orderRef: g.uniq('O'), units: [s[1]!, s[2]!] })
      await expectStock({ [a]: 7, [b]: 1 })
      // A returned unit is at the store but not on hand until it is restocked.
      await g.op(returnGoods, { location: a, customer, units: [s[1]!] })
      await expectStock({ [a]: 7, [b]: 1 })
      const transfer = await g.op(shipTransfer, { from: a, to: b, units: [s[3]!, s[4]!] })
      await expectStock({ [a]: 5, [b]: 1 })
      await g.op(receiveTransfer, { number: transfer.number })
      await expectStock({ [a]: 5, [b]: 3 })
      await g.op(quarantine, { units: [s[5]!], reason: 'dented box' })
      await expectStock({ [a]: 4, [b]: 3 })
      await g.op(release, { units: [s[5]!], reason: 'box only' })
      await expectStock({ [a]: 5, [b]: 3 })
      const recall = await g.op(openRecall, { title: 'swelling', criteria: { serials: [s[6]!] } })
      await g.op(quarantineRecall, { number: recall.number })
      await expectStock({ [a]: 4, [b]: 3 })
      // A count of the other site finds two of its three units: the close posts the third as lost.
      const count = (await g.op(startCount, { location: b } as never)) as { number: string }
      const scans = [s[0]!, s[3]!].map((serial) => ({ key: g.uniq('K'), serial }))
      await g.op(scanCount, { number: count.number, location: b, scans } as never)
      await g.op(closeCount, { number: count.number } as never)
      await expectStock({ [a]: 4, [b]: 2 })
      // Packed units stay on hand where they are.
      await g.op(pack, { container: g.uniq('BOX'), units: [s[7]!, s[8]!] } as never)
      await expectStock({ [a]: 4, [b]: 2 })
      // The dashboard's status counts come from the same rows, and agree with the units.
      const { unitsByStatus } = await dashboard(t.db.kysely, new Date(), DashboardQuery.parse({}))
      const units = await t.db.kysely
        .selectFrom('unit')
        .select(['status', sql<number>`count(*)`.as('n')])
        .groupBy('status')
        .execute()
      expect(Object.fromEntries(unitsByStatus.filter((r) => r.count > 0).map((r) => [r.status, r.count]))).toEqual(
        Object.fromEntries(units.map((r) => [r.status, Number(r.n)])),
      )
      expect(unitsByStatus.find((r) => r.status === 'sold')?.count).toBe(1)
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('verify names a count row changed, removed or added behind the ledger', async () => {
      const { sku } = await stockOf(3)
      expect(await verifyLedger(t.db)).toVerify()
      if (dialect === SEQUENCED_POSTGRES) await awaitSequenced(t.db)
      const skuId = (await t.db.kysely.selectFrom('sku').select('id').where('code', '=', sku).executeTakeFirstOrThrow())
        .id
      const row = () =>
        t.db.kysely.updateTable('unit_stock').where('sku_id', '=', skuId).where('status', '=', 'in_stock')
      await row()
        .set({ units: sql`units + 1` })
        .execute()
      expect((await verifyLedger(t.db)).problem).toMatchObject({
        table: 'unit_stock',
        key: expect.stringContaining(skuId),
        reason: expect.stringContaining('units differs'),
      })
      await row().set({ units: 0 }).execute()
      expect((await verifyLedger(t.db)).problem).toMatchObject({
        table: 'unit_stock',
        reason: expect.stringContaining('missing from the live projection'),
      })
      await row().set({ units: 3 }).execute()
      expect(await verifyLedger(t.db)).toVerify()
      await t.db.kysely
        .insertInto('unit_stock')
        .values({ status: 'sold', sku_id: skuId, location_key: '', lot_key: '', units: 2 })
        .execute()
      expect((await verifyLedger(t.db)).problem).toMatchObject({
        table: 'unit_stock',
        reason: expect.stringContaining('not produced by replaying the ledger'),
      })
      await t.db.kysely.deleteFrom('unit_stock').where('sku_id', '=', skuId).where('status', '=', 'sold').execute()
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('its migration backfills the counts from the unit table', async () => {
      const { g, sku, serials, a, b, customer } = await stockOf(4)
      await g.op(move, { to: b, units: [serials[0]!] })
      await g.op(sell, { customer, orderRef: g.uniq('O'), units: [serials[1]!] })
      await awaitSequenced(t.db)
      const before = await countsAndUnits(t.db)
      await unitStockMigration.down(t.db.kysely)
      await unitStockMigration.up(t.db.kysely)
      expect(await countsAndUnits(t.db)).toEqual(before)
      expect(await onHand(t.db, sku)).toEqual({ [a]: 2, [b]: 1 })
      // The backfill has no row for a bucket that emptied (the replay has one of 0): still equal.
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}

describe.skipIf(!SEQUENCED_POSTGRES)('postgres, sequenced path: the unit counts off the write path', () => {
  const t = useTestDb(SEQUENCED_POSTGRES!)

  /** Holds the ledger head row lock on a connection of its own: no sequencer pass can run until released. */
  async function holdSequencer(db: Db) {
    const client = new pg.Client({ connectionString: (db as { url: string }).url })
    await client.connect()
    await client.query('begin')
    await client.query('select seq from ledger_head where id = 1 for update')
    return async () => {
      await client.query('rollback')
      await client.end()
    }
  }

  it('a sale not yet placed in the log is already off stock on hand; the sequencer folds it in', async () => {
    const g = t.given
    const { header, site } = await g.place()
    const sku = await g.sku()
    const customer = await g.customer()
    const serials = [g.uniq('US'), g.uniq('US'), g.uniq('US')]
    await g.receipt({ ...header, lines: [{ sku: sku.code, serials }] })
    await awaitSequenced(t.db)
    expect(await onHand(t.db, sku.code)).toEqual({ [site.code]: 3 })
    const releaseLock = await holdSequencer(t.db)
    try {
      await g.op(sell, { customer: customer.code, orderRef: g.uniq('O'), units: [serials[0]!] })
      const queued = await t.db.kysely.selectFrom('unit_stock_delta').selectAll().execute()
      expect(queued.map((r) => [r.status, Number(r.units)]).sort()).toEqual([
        ['in_stock', -1],
        ['sold', 1],
      ])
      expect(await onHand(t.db, sku.code)).toEqual({ [site.code]: 2 })
    } finally {
      await releaseLock()
    }
    await awaitSequenced(t.db)
    expect(await t.db.kysely.selectFrom('unit_stock_delta').selectAll().execute()).toEqual([])
    expect(await onHand(t.db, sku.code)).toEqual({ [site.code]: 2 })
    expect(await verifyLedger(t.db)).toVerify()
  })

  it('two sales of two units of one SKU at one store: neither waits for nor conflicts with the other', async () => {
    const g = t.given
    const { header, site } = await g.place()
    const sku = await g.sku()
    const customer = await g.customer()
    const [a, b] = [g.uniq('US'), g.uniq('US')]
    await g.receipt({ ...header, lines: [{ sku: sku.code, serials: [a, b] }] })
    const ctx = { db: t.db, clock: systemClock }
    const tries = { a: 0, b: 0 }
    let releaseA!: () => void
    const gate = new Promise<void>((resolve) => (releaseA = resolve))
    let holding!: () => void
    const held = new Promise<void>((resolve) => (holding = resolve))
    // A sale of A that has written its rows (its unit, its count changes) and waits, uncommitted.
    const saleOfA = runCommand(ctx, { actor: 'test' }, async (scope) => {
      tries.a++
      const result = await applyOperation(
        scope,
        sell,
        parseCommand(sell, { customer: customer.code, orderRef: 'A', units: [a] }),
      )
      holding()
      await gate
      return result
    })
    await held
    try {
      const saleOfB = runCommand(ctx, { actor: 'test' }, async (scope) => {
        tries.b++
        return applyOperation(scope, sell, parseCommand(sell, { customer: customer.code, orderRef: 'B', units: [b] }))
      })
      const outcome = await Promise.race([saleOfB, new Promise((resolve) => setTimeout(resolve, 5000, 'waited'))])
      expect(outcome).not.toBe('waited')
      expect(await onHand(t.db, sku.code)).toEqual({ [site.code]: 1 })
    } finally {
      releaseA()
    }
    await saleOfA
    // Each ran once: no 40001 on a shared count row, for either.
    expect(tries).toEqual({ a: 1, b: 1 })
    expect(await onHand(t.db, sku.code)).toEqual({})
    expect(await verifyLedger(t.db)).toVerify()
  })
})
