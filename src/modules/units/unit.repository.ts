import type { Executor, UnitTable } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import type { UnitEventType, UnitFact, UnitStatus } from './unit-status.rules.js'

const LOOKUP_CHUNK = 2000

/** Loads units whose serial is one of `serials` (any SKU), in chunks to stay under parameter limits. */
export async function findUnitsBySerials(db: Executor, serials: readonly string[]): Promise<UnitFact[]> {
  const out: UnitFact[] = []
  for (let i = 0; i < serials.length; i += LOOKUP_CHUNK) {
    const chunk = serials.slice(i, i + LOOKUP_CHUNK)
    const query = () =>
      db
        .selectFrom('unit')
        .innerJoin('sku', 'sku.id', 'unit.sku_id')
        .leftJoin('location', 'location.id', 'unit.location_id')
        .leftJoin('event', 'event.seq', 'unit.last_event_seq')
        .select(['unit.id', 'unit.sku_id', 'sku.code as sku_code', 'unit.serial', 'unit.status', 'unit.version'])
        .select(['unit.location_id', 'location.path as location_path', 'unit.lot_id', 'unit.transfer_id'])
        .select(['unit.customer_id', 'unit.order_ref', 'event.type as last_event_type'])
        .select(['event.occurred_at as last_event_at', 'unit.container_code', 'unit.list_price_minor'])
        .where('unit.serial', 'in', chunk)
    const { rows } = await runShaped(db, `units-by-serial:${chunk.length}`, chunk, query)
    for (const r of rows) out.push(toUnitFact(r))
  }
  return out
}

/** A unit row as queries select it (the unit joined with its SKU's code and its location's path). */
export interface UnitFactRow {
  id: string
  sku_id: string
  sku_code: string
  serial: string
  status: string
  version: number
  location_id: string | null
  location_path: string | null
  lot_id: string | null
  transfer_id: string | null
  customer_id: string | null
  order_ref: string | null
  /** The latest event's type and business time, when the query joined it. */
  last_event_type?: string | null
  last_event_at?: string | null
  /** The container the unit is packed in, when the query selected it. */
  container_code?: string | null
  /** The unit's own price (its latest price change), when the query selected it. */
  list_price_minor?: number | null
}

/** The one unit-row → `UnitFact` mapping every query of units uses. */
export function toUnitFact(r: UnitFactRow): UnitFact {
  return {
    id: r.id,
    skuId: r.sku_id,
    skuCode: r.sku_code,
    serial: r.serial,
    status: r.status as UnitStatus,
    locationId: r.location_id,
    locationPath: r.location_path,
    lotId: r.lot_id,
    transferId: r.transfer_id,
    customerId: r.customer_id,
    orderRef: r.order_ref,
    version: Number(r.version),
    latestEvent:
      r.last_event_type && r.last_event_at
        ? { type: r.last_event_type as UnitEventType, occurredAt: r.last_event_at }
        : undefined,
    ...(r.container_code ? { containerCode: r.container_code } : {}),
    ...(r.list_price_minor === null || r.list_price_minor === undefined
      ? {}
      : { ownPriceMinor: Number(r.list_price_minor) }),
  }
}

export async function findUnitRow(db: Executor, id: string): Promise<UnitTable | undefined> {
  return db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst()
}
