import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { judgeUnit } from '../counts/counts.rules.js'
import type { EventHeader, QuantityLine, UnitLine } from './event.js'

/*
 * The projection of a count's events: its session (started, closed) and its scans (the tally). Like the
 * unit projection it is a function of the ledger in order, run by the live writer and by `verify`'s
 * replay alike. A scan records the unit as the projection has it at that point of the ledger (status,
 * location, last event), which is what lets a count be judged while the store keeps trading.
 */

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

/** Which of `unitIds` a count has scanned (scans a recount set aside do not count). */
export async function scannedIn(db: Executor, countId: string, unitIds: readonly string[]): Promise<Set<string>> {
  if (unitIds.length === 0) return new Set()
  const ids = [...new Set(unitIds)]
  const { rows } = await runShaped(db, `count-scanned:${ids.length}`, [countId, ...ids], () =>
    db
      .selectFrom('count_scan')
      .select('unit_id')
      .where('count_id', '=', countId)
      .where('unit_id', 'in', ids)
      .where('voided_seq', 'is', null),
  )
  return new Set(rows.map((r) => r.unit_id!))
}

/** What a `counted` event says besides its lines: its count, the keys of its quantity lines, unknown serials. */
export interface CountedPayload {
  count: string
  quantityKeys: string[]
  unknown: { key: string; serial: string }[]
}

/** What a `count_started` event says: the SKUs the count is limited to, and whether it is blind. */
export interface CountStartedPayload {
  skuIds: string[]
  isBlind: boolean
}

/** A scan's key, carried on its unit line (`attributes`) so the line alone rebuilds the tally row. */
export const scanKeyOf = (line: UnitLine): string => (JSON.parse(line.attributes ?? '{}') as { key?: string }).key ?? ''

const base = (h: EventHeader, countId: string) => ({
  count_id: countId,
  event_seq: h.seq,
  location_id: h.locationId ?? '',
  actor: h.actor,
  scanned_at: h.occurredAt,
  voided_seq: null,
})

/** The unit columns of a tally row that is not a known unit (a counted quantity, an unknown serial). */
const notAUnit = {
  unit_id: null,
  unit_status: null,
  unit_location_id: null,
  unit_seq: null,
  unit_cost_minor: null,
  judgement: null,
  is_repeat: 0,
} as const

/** Tally rows for units seen by a `counted` event, each with the unit's state at that moment. */
export async function projectCountedUnits(db: Executor, h: EventHeader, lines: readonly UnitLine[]): Promise<void> {
  const { count } = JSON.parse(h.payload) as CountedPayload
  for (const batch of chunks(lines, 500)) {
    const ids = [...new Set(batch.map((l) => l.unitId))]
    // The tally copies each unit's state, so the scan must be ordered with the unit's own events: it
    // writes the unit rows (changing nothing) instead of only reading them, so on the sequenced path a
    // concurrent event of the same unit conflicts with it and runs again with a later seq (see sequencer.ts).
    const { rows: units } = await runShaped(db, `count-scanned-units:${ids.length}`, ids, () =>
      db
        .updateTable('unit')
        .set({ version: sql`version` })
        .where('id', 'in', ids)
        .returning(['id', 'status', 'location_id', 'last_event_seq', 'cost_minor']),
    )
    const byId = new Map(units.map((u) => [u.id, u]))
    const placeIds = [...new Set([h.locationId ?? '', ...units.map((u) => u.location_id ?? '')])].filter(Boolean)
    const places = await runShaped(db, `count-scan-places:${placeIds.length}`, placeIds, () =>
      db.selectFrom('location').select(['id', 'path']).where('id', 'in', placeIds),
    )
    const paths = new Map(places.rows.map((l) => [l.id, l.path]))
    const scannedPath = paths.get(h.locationId ?? '') ?? ''
    const seen = await scannedIn(db, count, ids)
    const rows = batch.map((l) => {
      const u = byId.get(l.unitId)
      const isRepeat = seen.has(l.unitId) ? 1 : 0
      seen.add(l.unitId)
      return {
        ...base(h, count),
        scan_key: scanKeyOf(l),
        kind: 'unit',
        unit_id: l.unitId,
        serial: l.serial,
        sku_id: l.skuId,
        lot_id: l.lotId,
        quantity: 1,
        unit_status: u?.status ?? null,
        unit_location_id: u?.location_id ?? null,
        unit_seq: u ? Number(u.last_event_seq) : null,
        unit_cost_minor: u?.cost_minor ?? null,
        judgement: judgeUnit(u?.status ?? null, paths.get(u?.location_id ?? '') ?? null, scannedPath),
        is_repeat: isRepeat,
      }
    })
    await db.insertInto('count_scan').values(rows).execute()
  }
}

/** Tally rows for the quantities a `counted` event records (its quantity lines are counts, not deltas). */
export async function projectCountedQuantities(
  db: Executor,
  h: EventHeader,
  lines: readonly QuantityLine[],
): Promise<void> {
  if (lines.length === 0) return
  const { count, quantityKeys } = JSON.parse(h.payload) as CountedPayload
  const rows = lines.map((l, i) => ({
    ...base(h, count),
    location_id: l.locationId,
    scan_key: quantityKeys[i] ?? `line-${h.seq}-${i + 1}`,
    ...notAUnit,
    kind: 'quantity',
    serial: null,
    sku_id: l.skuId,
    lot_id: l.lotId,
    quantity: l.delta,
  }))
  for (const batch of chunks(rows, 500)) await db.insertInto('count_scan').values(batch).execute()
}

/** The header-level facts of count events: a session opens or closes, a zone's scans are set aside, unknowns. */
export async function projectCountHeader(db: Executor, h: EventHeader): Promise<void> {
  if (h.type === 'count_started') {
    const p = JSON.parse(h.payload) as CountStartedPayload
    await db
      .insertInto('count_session')
      .values({
        id: h.documentId ?? '',
        location_id: h.locationId ?? '',
        sku_ids: JSON.stringify(p.skuIds),
        is_blind: p.isBlind ? 1 : 0,
        status: 'open',
        started_seq: h.seq,
        started_at: h.occurredAt,
        started_by: h.actor,
        closed_seq: null,
        closed_at: null,
        closed_by: null,
      })
      .execute()
  } else if (h.type === 'count_closed') {
    await db
      .updateTable('count_session')
      .set({ status: 'closed', closed_seq: h.seq, closed_at: h.occurredAt, closed_by: h.actor })
      .where('id', '=', h.documentId ?? '')
      .execute()
  } else if (h.type === 'count_recounted') {
    const zone = await db
      .selectFrom('location')
      .select('path')
      .where('id', '=', h.locationId ?? '')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('count_scan')
      .set({ voided_seq: h.seq })
      .where('count_id', '=', h.documentId ?? '')
      .where('voided_seq', 'is', null)
      .where('location_id', 'in', (eb) => eb.selectFrom('location').select('id').where('path', 'like', `${zone.path}%`))
      .execute()
    await promoteRepeats(db, h.documentId ?? '')
  } else if (h.type === 'counted') {
    const { count, unknown } = JSON.parse(h.payload) as CountedPayload
    const rows = unknown.map((u) => ({
      ...base(h, count),
      scan_key: u.key,
      ...notAUnit,
      kind: 'unknown',
      serial: u.serial,
      sku_id: null,
      lot_id: null,
      quantity: 1,
    }))
    for (const batch of chunks(rows, 500)) await db.insertInto('count_scan').values(batch).execute()
  }
}

/**
 * After a recount set a unit's first scan aside, one of its remaining scans (the smallest key) counts
 * instead of being a repeat, so every unit still scanned counts exactly once.
 */
async function promoteRepeats(db: Executor, countId: string): Promise<void> {
  await db
    .updateTable('count_scan as c')
    .set({ is_repeat: 0 })
    .where('c.count_id', '=', countId)
    .where('c.voided_seq', 'is', null)
    .where('c.is_repeat', '=', 1)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('count_scan as o')
            .select('o.scan_key')
            .whereRef('o.count_id', '=', 'c.count_id')
            .whereRef('o.unit_id', '=', 'c.unit_id')
            .where('o.voided_seq', 'is', null)
            .where('o.is_repeat', '=', 0),
        ),
      ),
    )
    .where('c.scan_key', '=', (eb) =>
      eb
        .selectFrom('count_scan as m')
        .select((m) => m.fn.min('m.scan_key').as('k'))
        .whereRef('m.count_id', '=', 'c.count_id')
        .whereRef('m.unit_id', '=', 'c.unit_id')
        .where('m.voided_seq', 'is', null),
    )
    .execute()
}
