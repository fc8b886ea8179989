import { sql } from 'kysely'
import { startsWith } from '../../db/sql.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode } from '../catalog/index.js'
import { unitStockCounts } from '../ledger/index.js'
import { getLocationByCode } from '../locations/index.js'
import type { LatestEvent, UnitEventType } from '../units/unit-status.rules.js'
import type { StockQuery, StockRow } from './stock.schemas.js'

/**
 * Stock on hand per SKU, location and lot for mixed inventory: serial-tracked units in stock come from
 * the unit counts (`unit_stock`, a projection, so this reads a row per bucket rather than every unit),
 * lot- and quantity-tracked SKUs from the quantity projection. One list, one shape.
 */
export async function stockOnHand(db: Executor, q: StockQuery): Promise<StockRow[]> {
  const skuId = q.sku ? (await getSkuByCode(db, q.sku)).id : undefined
  const path = q.location ? (await getLocationByCode(db, q.location)).path : undefined
  let units = db
    .selectFrom(unitStockCounts(db, { status: 'in_stock', skuId }).as('u'))
    .innerJoin('location as l', 'l.id', 'u.location_key')
    .leftJoin('lot', 'lot.id', 'u.lot_key')
    .select(['u.sku_id', 'l.code as location', 'lot.code as lot', sql<number>`sum(u.units)`.as('on_hand')])
    .groupBy(['u.sku_id', 'l.code', 'lot.code'])
  let quantities = db
    .selectFrom('stock as st')
    .innerJoin('location as l', 'l.id', 'st.location_id')
    .leftJoin('lot', 'lot.id', 'st.lot_id')
    .select(['st.sku_id', 'l.code as location', 'lot.code as lot', sql<number>`sum(st.quantity)`.as('on_hand')])
    .where('st.quantity', '!=', 0)
    .groupBy(['st.sku_id', 'l.code', 'lot.code'])
  if (skuId) quantities = quantities.where('st.sku_id', '=', skuId)
  if (path) {
    units = units.where(startsWith('l.path', path))
    quantities = quantities.where(startsWith('l.path', path))
  }
  const rows = await db
    .selectFrom(units.unionAll(quantities).as('x'))
    .innerJoin('sku as s', 's.id', 'x.sku_id')
    .select(['s.code', 's.name', 's.tracking', 's.cost_minor', 'x.location', 'x.lot', 'x.on_hand'])
    .orderBy('s.code')
    .orderBy('x.location')
    .orderBy('x.lot')
    .limit(q.limit)
    .execute()
  return rows.map((r) => ({
    sku: r.code,
    skuName: r.name,
    tracking: r.tracking,
    location: r.location,
    lot: r.lot,
    onHand: Number(r.on_hand),
    value: (Number(r.on_hand) * Number(r.cost_minor)) / 100,
  }))
}

/** Quantity on hand of one SKU (and lot) at one location; 0 when there never was any. */
export async function findOnHand(
  db: Executor,
  key: { skuId: string; locationId: string; lotId: string | null },
): Promise<number> {
  const row = await db
    .selectFrom('stock')
    .select(['quantity'])
    .where('sku_id', '=', key.skuId)
    .where('location_id', '=', key.locationId)
    .where('lot_key', '=', key.lotId ?? '')
    .executeTakeFirst()
  return Number(row?.quantity ?? 0)
}

/**
 * The latest ledger event (by business time) that changed a stock row (SKU, location, lot), or undefined
 * when none has: what a new event's business time may not precede.
 */
export async function findLatestStockEvent(
  db: Executor,
  key: { skuId: string; locationId: string; lotId: string | null },
): Promise<LatestEvent | undefined> {
  const lotId = key.lotId
  const row = await db
    .selectFrom('event_quantity as q')
    .innerJoin('event as e', 'e.seq', 'q.event_seq')
    .select(['e.type', 'e.occurred_at'])
    .where('q.sku_id', '=', key.skuId)
    .where('q.location_id', '=', key.locationId)
    .where((eb) => (lotId === null ? eb('q.lot_id', 'is', null) : eb('q.lot_id', '=', lotId)))
    .orderBy('e.occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && { type: row.type as UnitEventType, occurredAt: row.occurred_at }
}
