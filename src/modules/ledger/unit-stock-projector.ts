import { sql } from 'kysely'
import type { Executor, Trx } from '../../db/database.js'
import type { HeldWrites } from '../../db/held-writes.js'
import { runShaped } from '../../db/shaped-query.js'

/*
 * The `unit_stock` projection: serial units per status, SKU, location and lot, what stock on hand and the
 * dashboard read instead of aggregating every `unit` row. An event's unit lines change it by the units
 * that leave one bucket (their status, location and lot before the event) and enter another (after).
 *
 * Where an event's changes go depends on the write path:
 * - SQLite and PostgreSQL's locked path: straight into `unit_stock`, in the event's transaction. One
 *   writer at a time (SQLite's, or the ledger head lock's holder), so the count rows are never contended.
 * - PostgreSQL's sequenced path: into `unit_stock_delta`, rows of the event's own (keyed by its seq). Two
 *   sales of two units of one SKU at one store would both update one count row, and the later would fail
 *   with 40001 and run again: a hot row. An insert of rows no other command writes conflicts with nothing.
 *   The sequencer, which places events one batch at a time under the head lock, folds the rows of the
 *   events it places into `unit_stock` in the same transaction (`foldUnitStock`): a single writer again,
 *   one statement per batch, and the delta table only ever holds the events still in flight.
 * Readers add the two (`unitStockRows` in the stock module): one statement, one snapshot, so a sale
 * committed a moment ago counts whether or not the sequencer has placed it yet.
 *
 * Count rows are never deleted: a bucket emptied keeps a row of 0 (as `stock` does), and the comparisons
 * (`verify`) and readers ignore zero rows, so a ledger backfilled from `unit` (which has no empty buckets)
 * compares equal to its replay.
 */

/** One bucket of `unit_stock`; '' for no location or no lot. */
export interface UnitBucket {
  status: string
  skuId: string
  locationId: string | null
  lotId: string | null
}

/** A unit's bucket columns as `unit` has them. */
export interface UnitBucketRow {
  status: string
  sku_id: string
  location_id: string | null
  lot_id: string | null
}

/** The net changes one event makes to `unit_stock`, collected while its lines are projected. */
export class UnitStockChanges {
  private readonly byKey = new Map<
    string,
    { status: string; sku_id: string; location_key: string; lot_key: string; units: number }
  >()
  /** Whether some of the event's changes went to `unit_stock_delta` as held SQL (heldUnitStockDelta). */
  queuedInSql = false

  add(b: UnitBucket, units: number): void {
    const row = { status: b.status, sku_id: b.skuId, location_key: b.locationId ?? '', lot_key: b.lotId ?? '' }
    const key = `${row.status}/${row.sku_id}/${row.location_key}/${row.lot_key}`
    const seen = this.byKey.get(key)
    if (seen) seen.units += units
    else this.byKey.set(key, { ...row, units })
  }

  /** The buckets whose count changes (a unit moved within one bucket changes none). */
  rows() {
    return [...this.byKey.values()].filter((r) => r.units !== 0)
  }

  /** Puts units into the buckets they are in now (after the event changed them). */
  putIn(units: readonly UnitBucketRow[]): void {
    for (const u of units)
      this.add({ status: u.status, skuId: u.sku_id, locationId: u.location_id, lotId: u.lot_id }, 1)
  }

  /** Takes `ids` out of the buckets they are in now (before the event changes them). */
  async takeOut(db: Executor, ids: readonly string[]): Promise<void> {
    const { rows } = await runShaped(db, `unit-stock-before:${ids.length}`, ids, () =>
      db
        .selectFrom('unit')
        .select(['status', 'sku_id', 'location_id', 'lot_id', sql<number>`count(*)`.as('n')])
        .where('id', 'in', ids)
        .groupBy(['status', 'sku_id', 'location_id', 'lot_id']),
    )
    for (const r of rows)
      this.add({ status: r.status, skuId: r.sku_id, locationId: r.location_id, lotId: r.lot_id }, -Number(r.n))
  }
}

/**
 * Holds, in `held` (PostgreSQL), the count change of `ids` patched by `patch` as `unit_stock_delta` rows of
 * the event `seq`: each unit leaves the bucket it is in as the statement runs (before the held update of
 * the same units, whose effects the held items of one statement do not see) and enters the one the patch
 * gives it. The ledger writer has no rows to collect from a held update; the delta is worked out in SQL.
 */
export async function heldUnitStockDelta(
  db: Executor,
  held: HeldWrites,
  h: { type: string; seq: number },
  patch: { status?: string; location_id?: string | null },
  ids: readonly string[],
): Promise<void> {
  const moves = { status: 'status' in patch, location: 'location_id' in patch }
  const bucket = (after: boolean) =>
    db
      .selectFrom('unit')
      .select([
        after && moves.status ? sql<string>`${patch.status}::text`.as('status') : sql<string>`status`.as('status'),
        'sku_id',
        after && moves.location
          ? sql<string>`coalesce(${patch.location_id ?? null}::text, '')`.as('location_key')
          : sql<string>`coalesce(location_id, '')`.as('location_key'),
        sql<string>`coalesce(lot_id, '')`.as('lot_key'),
        sql<number>`${sql.lit(after ? 1 : -1)}`.as('units'),
      ])
      .where('id', 'in', ids)
  const parameters = [
    h.seq,
    ...ids,
    ...(moves.status ? [patch.status] : []),
    ...(moves.location ? [patch.location_id ?? null] : []),
    ...ids,
  ]
  await held.add(`unit-stock-delta:${moves.status}:${moves.location}:${ids.length}`, parameters, () =>
    db
      .insertInto('unit_stock_delta')
      .columns(['event_seq', 'status', 'sku_id', 'location_key', 'lot_key', 'units'])
      .expression(
        db
          .selectFrom(bucket(false).unionAll(bucket(true)).as('d'))
          .select([
            sql<number>`${h.seq}::bigint`.as('event_seq'),
            'd.status',
            'd.sku_id',
            'd.location_key',
            'd.lot_key',
            sql<number>`sum(d.units)`.as('units'),
          ])
          .groupBy(['d.status', 'd.sku_id', 'd.location_key', 'd.lot_key'])
          .having(sql<boolean>`sum(d.units) <> 0`),
      ),
  )
}

/** Adds an event's changes to `unit_stock` (SQLite, PostgreSQL's locked path, `verify`'s replay). */
export async function applyUnitStock(db: Executor, changes: UnitStockChanges): Promise<void> {
  const rows = changes.rows()
  if (rows.length === 0) return
  await runShaped(db, `unit-stock-apply:${rows.length}`, rows.flatMap(Object.values), () =>
    db
      .insertInto('unit_stock')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['status', 'sku_id', 'location_key', 'lot_key'])
          .doUpdateSet({ units: sql`unit_stock.units + excluded.units` }),
      ),
  )
}

/** Records an event's changes for the sequencer to fold (PostgreSQL's sequenced path). */
export async function queueUnitStock(db: Executor, seq: number, changes: UnitStockChanges): Promise<void> {
  const rows = changes.rows().map((r) => ({ event_seq: seq, ...r }))
  if (rows.length === 0) return
  await runShaped(db, `unit-stock-queue:${rows.length}`, rows.flatMap(Object.values), () =>
    db.insertInto('unit_stock_delta').values(rows),
  )
}

/**
 * The sequencer's step: moves the queued changes of the events it just placed into `unit_stock`, in its
 * pass's transaction (PostgreSQL only, as the sequencer is). One statement for the whole batch.
 */
export async function foldUnitStock(trx: Trx, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return
  await sql`
    with folded as (
      delete from unit_stock_delta where event_seq = any(${seqs.map(String)}::bigint[])
      returning status, sku_id, location_key, lot_key, units
    )
    insert into unit_stock (status, sku_id, location_key, lot_key, units)
    select status, sku_id, location_key, lot_key, sum(units) from folded
    group by status, sku_id, location_key, lot_key
    on conflict (status, sku_id, location_key, lot_key) do update set units = unit_stock.units + excluded.units
  `.execute(trx)
}

/**
 * The unit counts as of one snapshot: `unit_stock` plus the changes still queued for the sequencer, per
 * bucket, empty buckets left out. Optionally of one status and one SKU (the arms' primary-key prefix).
 */
export function unitStockCounts(db: Executor, only: { status?: string; skuId?: string } = {}) {
  const arm = (table: 'unit_stock' | 'unit_stock_delta') => {
    let q = db.selectFrom(table).select(['status', 'sku_id', 'location_key', 'lot_key', 'units'])
    if (only.status !== undefined) q = q.where('status', '=', only.status)
    if (only.skuId !== undefined) q = q.where('sku_id', '=', only.skuId)
    return q
  }
  return db
    .selectFrom(arm('unit_stock').unionAll(arm('unit_stock_delta')).as('c'))
    .select(['c.status', 'c.sku_id', 'c.location_key', 'c.lot_key', sql<number>`sum(c.units)`.as('units')])
    .groupBy(['c.status', 'c.sku_id', 'c.location_key', 'c.lot_key'])
    .having(sql`sum(c.units)`, '<>', 0)
}

/** The same counts worked out from `unit` itself: what `verify` holds the projection to. */
export function unitStockFromUnits(db: Executor) {
  const locationKey = sql<string>`coalesce(location_id, '')`
  const lotKey = sql<string>`coalesce(lot_id, '')`
  return db
    .selectFrom('unit')
    .select([
      'status',
      'sku_id',
      locationKey.as('location_key'),
      lotKey.as('lot_key'),
      sql<number>`count(*)`.as('units'),
    ])
    .groupBy(['status', 'sku_id', locationKey, lotKey])
}
