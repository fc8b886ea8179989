import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import type { HeldWrites } from '../../db/held-writes.js'
import { runShaped } from '../../db/shaped-query.js'
import { isObservation, lineTransitionOf, TRANSITIONS, unitPatch } from '../units/unit-status.rules.js'
import { projectCountedQuantities, projectCountedUnits, projectCountHeader } from './count-projector.js'
import { projectContainerQuantities, TAKES_CONTAINERS } from './container-projector.js'
import type { EventHeader, EventPayload, QuantityLine, UnitLine } from './event.js'
import { heldUnitStockDelta, type UnitBucketRow, type UnitStockChanges } from './unit-stock-projector.js'

/*
 * Projections are a pure function of the ledger: the live write path and `verify`'s replay both call
 * these two functions, so replaying every event from empty must reproduce the `unit` and `stock` tables.
 * A unit's new state depends only on the event and its line (never on a read), which is what lets one
 * UPDATE move a hundred thousand units.
 */

/**
 * Whether an event type's unit lines project as one patch per group of units (`held` may take them): not a
 * receipt (it inserts the units) nor a count's observation (it reads the units it tallies).
 */
export const projectsByPatch = (type: EventHeader['type']): boolean => !isObservation(type) && type !== 'received'

/**
 * Applies one batch of an event's unit lines to the `unit` projection, and collects what they change in
 * the unit counts (`unit_stock`) into `counts`, which the caller applies once per event. With `held` (the
 * ledger writer's on PostgreSQL, on a type that `projectsByPatch`), the updates are held there instead of
 * run, and so is each group's count change: worked out in SQL from the units as they are before the
 * update (the held items of one statement share one snapshot) and written to `unit_stock_delta`, since a
 * held write answers no rows to collect.
 */
export async function projectUnitLines(
  db: Executor,
  h: EventHeader,
  lines: readonly UnitLine[],
  counts: UnitStockChanges,
  held?: HeldWrites,
): Promise<void> {
  if (lines.length === 0) return
  // A count's scans see units without changing them: they become the count's tally instead.
  if (isObservation(h.type)) return projectCountedUnits(db, h, lines)
  const payload = JSON.parse(h.payload) as EventPayload
  if (h.type === 'received') {
    for (const l of lines)
      counts.add({ status: 'in_stock', skuId: l.skuId, locationId: h.locationId, lotId: l.lotId }, 1)
    return insertReceivedUnits(db, h, payload, lines)
  }
  // Group lines whose patch is identical (a sale with one price per unit makes a few groups; a count's
  // close, whose lines name their own transition, one per transition and location). Unless its lines name
  // their own transition, the patch depends on the event and the line's price only, so it is worked out
  // once per price, not per line.
  type Group = { patch: ReturnType<typeof unitPatch>; ids: string[] }
  const groups = new Map<string, Group>()
  const byPrice = new Map<number | null, Group>()
  const perLine = TRANSITIONS[h.type].perLine !== undefined
  const base = { documentId: h.documentId, occurredAt: h.occurredAt, payload }
  for (const line of lines) {
    let group = perLine ? undefined : byPrice.get(line.priceMinor)
    if (!group) {
      const t = lineTransitionOf(h.type, h.locationId, line.attributes)
      const patch = unitPatch(t.type, { ...base, locationId: t.locationId, priceMinor: line.priceMinor })
      const key = JSON.stringify(patch)
      group = groups.get(key) ?? groups.set(key, { patch, ids: [] }).get(key)!
      if (!perLine) byPrice.set(line.priceMinor, group)
    }
    group.ids.push(line.unitId)
  }
  for (const { patch, ids } of groups.values()) {
    const columns = Object.keys(patch).join(',')
    // Only a new status or location moves a unit to another count bucket (no event changes SKU or lot).
    const recount = 'status' in patch || 'location_id' in patch
    for (const chunk of chunks(ids, 5000)) {
      const parameters = [...Object.values(patch), h.seq, h.recordedAt, ...chunk]
      const update = () =>
        db
          .updateTable('unit')
          .set({ ...patch, version: sql`version + 1`, last_event_seq: h.seq, updated_at: h.recordedAt })
          .where('id', 'in', chunk)
      if (held?.holds) {
        // The delta first: should the held writes be sent between the two, it still reads the units before.
        if (recount) {
          await heldUnitStockDelta(db, held, h, patch, chunk)
          counts.queuedInSql = true
        }
        await held.add(`unit-update:${h.type}:${columns}:${chunk.length}`, parameters, update)
        continue
      }
      if (recount) await counts.takeOut(db, chunk)
      const { rows } = await runShaped(
        db,
        `unit-update:${h.type}:${columns}:${recount}:${chunk.length}`,
        parameters,
        () => (recount ? update().returning(['status', 'sku_id', 'location_id', 'lot_id']) : update()),
      )
      // The update answers the units' new buckets only when asked to (`recount`); else rows is empty.
      counts.putIn(rows as unknown as readonly UnitBucketRow[])
    }
  }
}

const UNIT_INSERT_BATCH = 1000

async function insertReceivedUnits(
  db: Executor,
  h: EventHeader,
  payload: EventPayload,
  lines: readonly UnitLine[],
): Promise<void> {
  for (const batch of chunks(lines, UNIT_INSERT_BATCH)) {
    await db
      .insertInto('unit')
      .values(
        batch.map((l) => ({
          id: l.unitId,
          sku_id: l.skuId,
          serial: l.serial,
          status: 'in_stock',
          location_id: h.locationId,
          lot_id: l.lotId,
          receipt_id: h.documentId,
          supplier_id: payload.supplierId ?? null,
          cost_minor: l.costMinor,
          received_at: h.occurredAt,
          customer_id: null,
          order_ref: null,
          sale_price_minor: null,
          sold_at: null,
          transfer_id: null,
          parent_unit_id: null,
          attributes: l.attributes,
          version: 1,
          last_event_seq: h.seq,
          updated_at: h.recordedAt,
        })),
      )
      .execute()
  }
  const identifiers = lines.filter((l) => l.attributes !== null)
  if (identifiers.length > 0) await insertIdentifiers(db, identifiers)
}

/** Extra identifiers become searchable rows; the SKU's rule says which are unique across all units. */
async function insertIdentifiers(db: Executor, lines: readonly UnitLine[]): Promise<void> {
  const skuIds = [...new Set(lines.map((l) => l.skuId))]
  const skus = await db.selectFrom('sku').select(['id', 'identifiers']).where('id', 'in', skuIds).execute()
  const uniqueNames = new Map(
    skus.map((s) => [
      s.id,
      new Set(
        (JSON.parse(s.identifiers) as { name: string; isUnique: boolean }[])
          .filter((r) => r.isUnique)
          .map((r) => r.name),
      ),
    ]),
  )
  const rows = lines.flatMap((l) =>
    Object.entries(JSON.parse(l.attributes!) as Record<string, string>).map(([name, value]) => ({
      unit_id: l.unitId,
      name,
      value,
      is_unique: uniqueNames.get(l.skuId)?.has(name) ? 1 : 0,
    })),
  )
  for (const batch of chunks(rows, 2000)) await db.insertInto('unit_identifier').values(batch).execute()
}

/** Applies an event's quantity lines to the `stock` projection (quantity on hand per SKU/location/lot). */
export async function projectQuantityLines(
  db: Executor,
  h: EventHeader,
  lines: readonly QuantityLine[],
): Promise<void> {
  if (isObservation(h.type)) return projectCountedQuantities(db, h, lines)
  for (const l of lines) {
    await db
      .insertInto('stock')
      .values({
        sku_id: l.skuId,
        location_id: l.locationId,
        lot_key: l.lotId ?? '',
        lot_id: l.lotId,
        quantity: l.delta,
        updated_at: h.recordedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['sku_id', 'location_id', 'lot_key'])
          .doUpdateSet({ quantity: sql`stock.quantity + ${l.delta}`, updated_at: h.recordedAt }),
      )
      .execute()
  }
}

/** Applies what an event says besides its lines (a count opens, closes, recounts a zone). */
export async function projectEventHeader(db: Executor, h: EventHeader): Promise<void> {
  if (h.type.startsWith('count')) await projectCountHeader(db, h)
  if (h.type === 'packed' || h.type === 'unpacked') await projectContainer(db, h)
  if (h.type === 'packed' || h.type === 'unpacked' || TAKES_CONTAINERS.has(h.type))
    await projectContainerQuantities(db, h)
}

/**
 * A container's own row: its first `packed` creates it (and its parent, when nested into a new one); a
 * `packed` naming a parent nests it; an `unpacked` taking it out of its parent, or emptying it, un-nests.
 */
async function projectContainer(db: Executor, h: EventHeader): Promise<void> {
  const p = JSON.parse(h.payload) as {
    container: string
    kind: string
    parent?: string
    parentKind?: string
    fromParent?: boolean
    emptied?: boolean
  }
  const touch = { last_event_seq: h.seq }
  const ensure = (code: string, kind: string) =>
    db
      .insertInto('container')
      .values({ code, kind, parent_code: null, created_seq: h.seq, last_event_seq: h.seq })
      .onConflict((oc) => oc.column('code').doUpdateSet(touch))
      .execute()
  if (h.type === 'packed') {
    await ensure(p.container, p.kind)
    if (p.parent !== undefined) {
      await ensure(p.parent, p.parentKind ?? p.kind)
      await db.updateTable('container').set({ parent_code: p.parent }).where('code', '=', p.container).execute()
    }
    return
  }
  await db.updateTable('container').set(touch).where('code', '=', p.container).execute()
  if (p.fromParent)
    await db.updateTable('container').set({ parent_code: null }).where('code', '=', p.container).execute()
  if (p.emptied)
    await db
      .updateTable('container')
      .set({ parent_code: null, ...touch })
      .where('parent_code', '=', p.container)
      .execute()
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}
