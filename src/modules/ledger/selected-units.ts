import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import type { Database, Executor, UnitTable } from '../../db/database.js'
import { isObservation, lineTransitionOf, TRANSITIONS, type UnitPatch, unitPatch } from '../units/unit-status.rules.js'
import type { EventHeader, EventPayload, LinesHasher, UnitLine } from './event.js'
import type { UnitStockChanges } from './unit-stock-projector.js'

/*
 * An event over the units a condition selects (a recall's quarantine of a hundred thousand units), written
 * set-based: one INSERT … SELECT writes the event's lines straight from the rows the condition's index
 * finds, then one UPDATE (no RETURNING) checks and moves the same units, and the lines are read back by
 * their key for the hash. No unit row goes to JS and back as parameters. The row-by-row path (read the
 * units, insert their lines, then UPDATE … WHERE id IN (…) looking each one up again by id) does the same
 * work plus a read and a lookup per unit.
 *
 * Replay (`verify`) projects the lines with `projectUnitLines`, which must leave the rows as this does: so
 * only an event whose patch is the same on every unit comes here (no per-line transition, no price), and
 * the SET below is the one `projectUnitLines` writes. A projection `projectUnitLines` feeds besides the
 * unit row must be fed here too.
 */

/** A condition over `unit as u`: which units an event applies to. */
export type UnitFilter = (eb: ExpressionBuilder<Database & { u: UnitTable }, 'u'>) => Expression<SqlBool>

/**
 * Moves the units `where` selects as event `h` moves each of its lines' units, records them as its lines
 * numbered from `after + 1`, feeds the lines to `hasher` in line order and collects what the move changes
 * in the unit counts into `counts`; returns how many units.
 *
 * Set-based: the lines are inserted by one INSERT … SELECT over the selection (numbered in the order of
 * the units' ids), then the units are moved by one UPDATE without RETURNING, so no unit row goes through
 * JS on the way in; the lines are read back once, by their key, for the hash.
 */
export async function projectSelectedUnits(
  db: Executor,
  h: EventHeader,
  where: UnitFilter,
  counts: UnitStockChanges,
  after: number,
  hasher: LinesHasher,
): Promise<number> {
  if (h.type === 'received' || isObservation(h.type) || TRANSITIONS[h.type].perLine !== undefined)
    throw new Error(`a ${h.type} event names its units line by line`)
  const t = lineTransitionOf(h.type, h.locationId, null)
  const patch = unitPatch(t.type, {
    documentId: h.documentId,
    occurredAt: h.occurredAt,
    payload: JSON.parse(h.payload) as EventPayload,
    locationId: t.locationId,
    priceMinor: null,
  })
  // As in projectUnitLines: a new status or location moves the units to other count buckets. One grouped
  // read of the selection, on the same snapshot as the update (one writer on SQLite and on the locked path;
  // on the sequenced path a unit changed meanwhile fails the update with 40001), gives the buckets they
  // leave; the bucket each group enters is the same one with the patch's status and location, as every
  // unit the update moves gets the same patch.
  const recount = 'status' in patch || 'location_id' in patch
  let selected = 0
  if (recount) {
    const before = await db
      .selectFrom('unit as u')
      .select(['u.status', 'u.sku_id', 'u.location_id', 'u.lot_id', sql<number>`count(*)`.as('n')])
      .where(where)
      .groupBy(['u.status', 'u.sku_id', 'u.location_id', 'u.lot_id'])
      .execute()
    for (const b of before) {
      const from = { status: b.status, skuId: b.sku_id, locationId: b.location_id, lotId: b.lot_id }
      const n = Number(b.n)
      counts.add(from, -n)
      counts.add({ ...from, status: patch.status ?? from.status, locationId: movedTo(patch, from.locationId) }, n)
      selected += n
    }
    if (selected === 0) return 0
  }
  // The lines first: the update changes what `where` selects (a quarantine's status check). Cost, price
  // and attributes stay null, as the row-by-row path writes them for these events.
  const inserted = await db
    .insertInto('event_unit')
    .columns(['event_seq', 'line_no', 'unit_id', 'sku_id', 'serial', 'lot_id'])
    .expression(
      db
        .selectFrom('unit as u')
        .select([
          sql<number>`cast(${h.seq} as bigint)`.as('event_seq'),
          sql<number>`cast(row_number() over (order by u.id) + ${after} as integer)`.as('line_no'),
          'u.id',
          'u.sku_id',
          'u.serial',
          'u.lot_id',
        ])
        .where(where),
    )
    .executeTakeFirst()
  const n = Number(inserted.numInsertedOrUpdatedRows ?? 0)
  if (recount && n !== selected)
    throw new Error(`the unit counts read ${selected} units of event ${h.seq}, its lines are ${n}`)
  if (n === 0) return 0
  const updated = await db
    .updateTable('unit as u')
    .set({ ...patch, version: sql<number>`version + 1`, last_event_seq: h.seq, updated_at: h.recordedAt })
    .where(where)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) !== n)
    throw new Error(`event ${h.seq} has ${n} lines for the units selected, the update moved ${updated.numUpdatedRows}`)
  for (let from = after; from < after + n; from += HASH_PAGE) {
    const rows = await db
      .selectFrom('event_unit')
      .select(['unit_id', 'sku_id', 'serial', 'lot_id'])
      .where('event_seq', '=', h.seq)
      .where('line_no', '>', from)
      .where('line_no', '<=', Math.min(from + HASH_PAGE, after + n))
      .orderBy('line_no')
      .execute()
    hasher.addUnits(rows.map(lineOf))
  }
  return n
}

/** Lines read back a page at a time for the hash. */
const HASH_PAGE = 10_000

/** The line of a unit an event selected (no cost, price or attributes: see projectSelectedUnits). */
const lineOf = (r: { unit_id: string; sku_id: string; serial: string; lot_id: string | null }): UnitLine => ({
  unitId: r.unit_id,
  skuId: r.sku_id,
  serial: r.serial,
  lotId: r.lot_id,
  costMinor: null,
  priceMinor: null,
  attributes: null,
})

/** The location a unit at `locationId` has after `patch`. */
const movedTo = (patch: UnitPatch, locationId: string | null) =>
  'location_id' in patch ? (patch.location_id ?? null) : locationId

/** The `event_unit` row of line number `lineNo` of event `seq`. */
export const eventUnitRow = (seq: number, lineNo: number, l: UnitLine) => ({
  event_seq: seq,
  line_no: lineNo,
  unit_id: l.unitId,
  sku_id: l.skuId,
  serial: l.serial,
  lot_id: l.lotId,
  cost_minor: l.costMinor,
  price_minor: l.priceMinor,
  attributes: l.attributes,
})
