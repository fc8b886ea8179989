import type { ExpressionBuilder } from 'kysely'
import type { Database, Executor, UnitTable } from '../../db/database.js'
import { mapRead, queryRead, type Read, runRead } from '../../db/reads-together.js'
import { type Sku, SKU_JOINED_COLUMNS, skuOfJoined } from '../catalog/index.js'
import type { UnitEventType, UnitFact, UnitStatus } from './unit-status.rules.js'

const LOOKUP_CHUNK = 2000

/** Loads units whose serial is one of `serials` (any SKU), in chunks to stay under parameter limits. */
export async function findUnitsBySerials(db: Executor, serials: readonly string[]): Promise<UnitFact[]> {
  return (await unitRowsBySerials(db, serials, false)).map(toUnitFact)
}

export interface UnitsAndSkus {
  units: UnitFact[]
  skus: Map<string, Sku>
}

/**
 * The units whose serial is one of `serials`, each with its SKU read in the same query (one round trip, not
 * two), as a read that may go with others (`readTogether`); a list longer than a chunk reads on its own.
 */
export function unitsAndSkusBySerialsRead(db: Executor, serials: readonly string[]): Read<UnitsAndSkus> {
  const answer = (rows: readonly JoinedRow[]) => ({
    units: rows.map(toUnitFact),
    skus: new Map(rows.map((r) => [r.sku_id, skuOfJoined(r)])),
  })
  return serials.length > 0 && serials.length <= LOOKUP_CHUNK
    ? mapRead(unitsBySerialRead(db, serials, true), answer)
    : { alone: async (db) => answer(await unitRowsBySerials(db, serials, true)) }
}

type JoinedRow = UnitFactRow & Record<string, unknown>

async function unitRowsBySerials(db: Executor, serials: readonly string[], withSku: boolean): Promise<JoinedRow[]> {
  const out: JoinedRow[] = []
  for (let i = 0; i < serials.length; i += LOOKUP_CHUNK)
    out.push(...(await runRead(db, unitsBySerialRead(db, serials.slice(i, i + LOOKUP_CHUNK), withSku))))
  return out
}

/** The units of up to LOOKUP_CHUNK serials, with their SKU's columns when asked (`SKU_JOINED_COLUMNS`). */
function unitsBySerialRead(db: Executor, serials: readonly string[], withSku: boolean): Read<JoinedRow[]> {
  const query = () =>
    db
      .selectFrom('unit')
      .innerJoin('sku', 'sku.id', 'unit.sku_id')
      .leftJoin('location', 'location.id', 'unit.location_id')
      .select(['unit.id', 'unit.sku_id', 'sku.code as sku_code', 'unit.serial', 'unit.status', 'unit.version'])
      .select(['unit.location_id', 'location.path as location_path', 'unit.lot_id', 'unit.transfer_id'])
      .select(['unit.customer_id', 'unit.order_ref', 'unit.container_code', 'unit.list_price_minor'])
      // The latest event by its key, not a join: PostgreSQL's plan for any value of a join to `event`
      // could be a merge join that reads the event index from its first row up to the unit's latest event
      // (chosen when most units' latest event is an early receipt), which grows with the ledger; a subquery
      // can only look the one event up. One a column (two primary-key probes a unit): SQLite has no LATERAL.
      .select((eb) => [lastEvent(eb, 'type').as('last_event_type'), lastEvent(eb, 'occurred_at').as('last_event_at')])
      .$if(withSku, (q) => q.select(SKU_JOINED_COLUMNS))
      .where('unit.serial', 'in', serials)
  const shape = `units-by-serial${withSku ? '+sku' : ''}:${serials.length}`
  return queryRead(shape, serials, query, (rows) => rows as JoinedRow[])
}

const lastEvent = (eb: ExpressionBuilder<Database, 'unit'>, column: 'type' | 'occurred_at') =>
  eb.selectFrom('event').select(`event.${column}`).whereRef('event.seq', '=', 'unit.last_event_seq')

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
