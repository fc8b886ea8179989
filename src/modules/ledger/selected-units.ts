import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import type { Database, Executor, UnitTable } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { isObservation, lineTransitionOf, TRANSITIONS, type UnitPatch, unitPatch } from '../units/unit-status.rules.js'
import type { EventHeader, EventPayload, UnitLine } from './event.js'
import type { UnitStockChanges } from './unit-stock-projector.js'

/*
 * An event over the units a condition selects (a recall's quarantine of a hundred thousand units), written
 * set-based: one UPDATE … RETURNING finds the units, checks them and moves them in one pass over the rows
 * the condition's index finds, and what it returns becomes the event's lines. The row-by-row path (read
 * the units, insert their lines, then UPDATE … WHERE id IN (…) looking each one up again by id) does the
 * same work plus a read and a lookup per unit.
 *
 * Replay (`verify`) projects the lines with `projectUnitLines`, which must leave the rows as this does: so
 * only an event whose patch is the same on every unit comes here (no per-line transition, no price), and
 * the SET below is the one `projectUnitLines` writes. A projection `projectUnitLines` feeds besides the
 * unit row must be fed here too.
 */

/** A condition over `unit as u`: which units an event applies to. */
export type UnitFilter = (eb: ExpressionBuilder<Database & { u: UnitTable }, 'u'>) => Expression<SqlBool>

/**
 * Moves the units `where` selects as event `h` moves each of its lines' units, and collects what that
 * changes in the unit counts into `counts`; returns their lines.
 */
export async function projectSelectedUnits(
  db: Executor,
  h: EventHeader,
  where: UnitFilter,
  counts: UnitStockChanges,
): Promise<UnitLine[]> {
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
  // unit the update moves gets the same patch. So the update need not return the units' buckets.
  const recount = 'status' in patch || 'location_id' in patch
  let moved = 0
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
      moved += n
    }
  }
  const rows = await db
    .updateTable('unit as u')
    .set({ ...patch, version: sql<number>`version + 1`, last_event_seq: h.seq, updated_at: h.recordedAt })
    .where(where)
    .returning(['id', 'sku_id', 'serial', 'lot_id'])
    .execute()
  if (recount && moved !== rows.length)
    throw new Error(`the unit counts read ${moved} units of event ${h.seq}, the update moved ${rows.length}`)
  return rows.map((r) => ({
    unitId: r.id,
    skuId: r.sku_id,
    serial: r.serial,
    lotId: r.lot_id,
    costMinor: null,
    priceMinor: null,
    attributes: null,
  }))
}

/** The location a unit at `locationId` has after `patch`. */
const movedTo = (patch: UnitPatch, locationId: string | null) =>
  'location_id' in patch ? (patch.location_id ?? null) : locationId

/**
 * Inserts lines already projected, numbered from `after + 1`, as one multi-row INSERT whose SQL is built
 * once per batch size; the values go flat, without a row object per line.
 */
export async function insertProjectedLines(
  db: Executor,
  seq: number,
  after: number,
  lines: readonly UnitLine[],
): Promise<void> {
  const flat: unknown[] = []
  lines.forEach((l, i) =>
    flat.push(seq, after + i + 1, l.unitId, l.skuId, l.serial, l.lotId, l.costMinor, l.priceMinor, l.attributes),
  )
  await runShaped(db, `event-unit-insert-flat:${lines.length}`, flat, () =>
    db.insertInto('event_unit').values(lines.map((l, i) => eventUnitRow(seq, after + i + 1, l))),
  )
}

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
