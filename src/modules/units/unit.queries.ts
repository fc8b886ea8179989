import { type CompiledQuery, sql } from 'kysely'
import { AppError } from '../../core/errors.js'
import { fromMinor } from '../../core/money.js'
import { startsWith } from '../../db/sql.js'
import type { Db } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { getLocationByCode } from '../locations/index.js'
import { getPartyByCode } from '../parties/index.js'
import { getSkuByCode } from '../catalog/index.js'
import { gtin14, lookupCodes, parseScan } from '../gs1/index.js'
import { findDocumentByNumber } from '../documents/index.js'
import { awaitSequenced, PENDING_HASH } from '../ledger/index.js'
import type { ListUnitsQuery, Provenance, TimelineEntry, UnitPage, UnitView } from './unit.schemas.js'
import { lineTransitionOf, TRANSITIONS, type UnitEventType, type UnitStatus } from './unit-status.rules.js'

/**
 * The unit projection (`u`) joined with its SKU (`s`), location (`l`), lot, receipt (`r`), transfer (`t`),
 * supplier (`sup`) and customer (`cus`): the one join that the unit view and the CSV export both read.
 */
export function unitsWithNames(db: Executor) {
  return db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('location as l', 'l.id', 'u.location_id')
    .leftJoin('lot', 'lot.id', 'u.lot_id')
    .leftJoin('document as r', 'r.id', 'u.receipt_id')
    .leftJoin('document as t', 't.id', 'u.transfer_id')
    .leftJoin('party as sup', 'sup.id', 'u.supplier_id')
    .leftJoin('party as cus', 'cus.id', 'u.customer_id')
}

/**
 * The unit projection with the names a person wants to read: one unit, or a page of them. The receipt,
 * transfer, supplier and customer are looked up by key for each row (subqueries), not joined: PostgreSQL
 * planned those joins as merge joins whenever the units' references were old (the common case after a
 * large receipt), and a merge join reads the referenced table's key index from its first row to the key
 * it wants: for a unit received or sold a moment ago, every document or party ever made. The location and
 * lot stay joined, as the list filters on them.
 */
function unitViews(db: Executor) {
  return db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('location as l', 'l.id', 'u.location_id')
    .leftJoin('lot', 'lot.id', 'u.lot_id')
    .select(['u.id', 'u.serial', 'u.status', 'u.cost_minor', 'u.received_at', 'u.order_ref', 'u.sale_price_minor'])
    .select(['u.sold_at', 'u.parent_unit_id', 'u.attributes', 'u.version', 'u.updated_at', 'u.receipt_id'])
    .select(['s.code as sku_code', 's.gtin as sku_gtin', 's.name as sku_name', 's.tracking', 's.warranty_months'])
    .select(['s.return_window_days', 'u.container_code'])
    .select(['l.code as loc_code', 'l.name as loc_name', 'l.path as loc_path', 'lot.code as lot_code'])
    .select((eb) => [
      eb.selectFrom('document as r').select('r.number').whereRef('r.id', '=', 'u.receipt_id').as('receipt_number'),
      eb.selectFrom('document as t').select('t.number').whereRef('t.id', '=', 'u.transfer_id').as('transfer_number'),
      eb.selectFrom('party as sup').select('sup.code').whereRef('sup.id', '=', 'u.supplier_id').as('sup_code'),
      eb.selectFrom('party as sup').select('sup.name').whereRef('sup.id', '=', 'u.supplier_id').as('sup_name'),
      eb.selectFrom('party as cus').select('cus.code').whereRef('cus.id', '=', 'u.customer_id').as('cus_code'),
      eb.selectFrom('party as cus').select('cus.name').whereRef('cus.id', '=', 'u.customer_id').as('cus_name'),
    ])
}

/**
 * One unit's own reference (its receipt, supplier or customer id) as a subquery: a join on it finds the
 * referenced row by its key, for the one unit, and can never be planned as a merge join (see unitViews).
 */
export const referenceOf = (db: Executor, unitId: string, column: 'receipt_id' | 'supplier_id' | 'customer_id') =>
  db.selectFrom('unit').select(column).where('id', '=', unitId)

type UnitViewRow = Awaited<ReturnType<ReturnType<typeof unitViews>['executeTakeFirstOrThrow']>>

/** Adds whole months to a date, clamping to the month's last day (Jan 31 + 1 month = Feb 28). */
export function addMonths(isoDate: string, months: number): string {
  const d = new Date(isoDate)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return target.toISOString().slice(0, 10)
}

/** Adds days to a date: the last day of a window that starts on `isoDate` (day 0). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(isoDate)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days)).toISOString().slice(0, 10)
}

function toView(r: UnitViewRow): UnitView {
  return {
    id: r.id,
    serial: r.serial,
    sku: { code: r.sku_code, name: r.sku_name, tracking: r.tracking, gtin: r.sku_gtin },
    status: r.status as UnitStatus,
    location: r.loc_code ? { code: r.loc_code, name: r.loc_name!, path: r.loc_path! } : null,
    lot: r.lot_code,
    receipt: r.receipt_id && r.receipt_number ? { id: r.receipt_id, number: r.receipt_number } : null,
    supplier: r.sup_code ? { code: r.sup_code, name: r.sup_name! } : null,
    cost: fromMinor(r.cost_minor === null ? null : Number(r.cost_minor)),
    receivedAt: r.received_at,
    customer: r.cus_code ? { code: r.cus_code, name: r.cus_name! } : null,
    orderRef: r.order_ref,
    salePrice: fromMinor(r.sale_price_minor === null ? null : Number(r.sale_price_minor)),
    soldAt: r.sold_at,
    warrantyEndsOn: r.sold_at && r.warranty_months > 0 ? addMonths(r.sold_at, r.warranty_months) : null,
    returnWindowEndsOn: r.sold_at ? addDays(r.sold_at, r.return_window_days) : null,
    transfer: r.transfer_number,
    container: r.container_code ?? null,
    parentUnitId: r.parent_unit_id,
    identifiers: r.attributes ? (JSON.parse(r.attributes) as Record<string, string>) : {},
    version: r.version,
    updatedAt: r.updated_at,
  }
}

export async function getUnit(db: Executor, id: string): Promise<UnitView> {
  const row = await unitViews(db).where('u.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('unit.not_found', `no unit ${id}`)
  return toView(row)
}

/**
 * The scan box's query: every unit whose serial (as typed, upper- or lower-cased) or whose extra
 * identifier (IMEI, MAC…) equals the code. Usually one; several when SKUs share a serial.
 */
export async function lookupUnits(db: Db, scanned: string): Promise<UnitView[]> {
  // A GS1 barcode (element string, Digital Link) names its unit by GTIN and serial: look up the serial,
  // and keep the units of that GTIN's SKU. Anything else is looked up as it was typed.
  const scan = parseScan(scanned)
  if (scan.kind !== 'gs1') return lookupCode(db, scanned)
  for (const code of lookupCodes(scan)) {
    const units = await lookupCode(db, code)
    const ofGtin = scan.gtin ? units.filter((u) => u.sku.gtin !== null && gtin14(u.sku.gtin) === scan.gtin) : units
    if (ofGtin.length > 0) return ofGtin
  }
  return []
}

/** The units whose serial (as typed, upper- or lower-cased) or extra identifier equals the code. */
async function lookupCode(db: Db, code: string): Promise<UnitView[]> {
  const t = code.trim()
  if (t === '') return []
  // Always three candidates (repeats are harmless), so the query's SQL never changes and is built once.
  const candidates = [t, t.toUpperCase(), t.toLowerCase()]
  const q =
    lookupQueries.get(db.kysely) ??
    lookupQueries.set(db.kysely, lookupQueryOf(db.kysely, db.dialect, candidates)).get(db.kysely)!
  const rows = await db.read<UnitViewRow>({ ...q, parameters: [...candidates, ...candidates, ...candidates] })
  return rows.map(toView)
}

const LOOKUP_LIMIT = 50

/**
 * The scan box is the hottest read: building its eight-join query with Kysely cost more than running it,
 * so its query is compiled once per database and re-run with new parameters, on the read connection.
 */
const lookupQueries = new WeakMap<Executor, CompiledQuery<UnitViewRow>>()

/**
 * The units of a serial, then those of an extra identifier that are not already among them, as one
 * statement: one read (one read transaction on SQLite, one round trip on PostgreSQL); as two reads a
 * lookup took 26.5 µs in process against 21.4 µs now (SQLite, 200,000 units). `serial in (…) or id in
 * (identifiers)` in one WHERE costs SQLite twice the serial lookup alone; the two arms of a UNION ALL
 * each keep their own index.
 */
const lookupQueryOf = (db: Executor, dialect: Db['dialect'], candidates: string[]) => {
  const identified = db.selectFrom('unit_identifier').select('unit_id').where('value', 'in', candidates)
  return (
    unitViews(db)
      .where('u.serial', 'in', candidates)
      .unionAll(
        unitViews(db)
          .where(
            // PostgreSQL planned `id in (subquery)` as a hash semi-join over a parallel scan of every unit: two
            // workers and ~6 ms a lookup at 200,000 units while no unit had an identifier, 0.07 ms this way
            // (the ids first, once, then `unit_pkey`). SQLite searches the primary key for either.
            dialect === 'postgres'
              ? sql<boolean>`${sql.ref('u.id')} = any(array(${identified}))`
              : (eb) => eb('u.id', 'in', identified),
          )
          .where('u.serial', 'not in', candidates),
      )
      // A literal limit, not a parameter: SQLite's planner reads a bound LIMIT, so binding it (on every run)
      // makes SQLite prepare the statement again each time, which made this scan-box lookup 4x slower.
      .limit(sql.lit(LOOKUP_LIMIT))
      .compile()
  )
}

/** The lines of the events a unit took part in (`eu`), each with its event (`e`) and the event's document (`d`). */
export const unitEventLines = (db: Executor, unitId: string) =>
  db
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .leftJoin('document as d', 'd.id', 'e.document_id')
    .where('eu.unit_id', '=', unitId)

const timelineQuery = (db: Executor, unitId: string) =>
  unitEventLines(db, unitId)
    .leftJoin('location as l', 'l.id', 'e.location_id')
    .leftJoin('location as f', 'f.id', 'e.from_location_id')
    .leftJoin('party as p', 'p.id', 'd.party_id')
    .select(['e.seq', 'e.id', 'e.type', 'e.occurred_at', 'e.recorded_at', 'e.actor', 'e.reason', 'e.payload'])
    .select(['e.hash', 'l.code as loc', 'f.code as from_loc', 'd.type as doc_type', 'd.number as doc_number'])
    .select(['p.code as party_code', 'p.name as party_name', 'eu.price_minor', 'eu.attributes'])
    .orderBy('e.seq')

type TimelineRow = Awaited<ReturnType<ReturnType<typeof timelineQuery>['execute']>>[number]

const timelineQueries = new WeakMap<Executor, CompiledQuery<TimelineRow>>()
const compiledTimeline = (db: Executor) =>
  timelineQueries.get(db) ?? timelineQueries.set(db, timelineQuery(db, '').compile()).get(db)!

/** Every event that touched the unit, oldest first, with who, when, where and why. */
export async function unitTimeline(db: Executor | Db, unitId: string): Promise<TimelineEntry[]> {
  // Given the database (not a transaction), the timeline is a hot read like the scan box: compiled once
  // and run on the read path (a prepared statement; SQLite's read connection).
  const read = () =>
    'read' in db
      ? db.read<TimelineRow>({ ...compiledTimeline(db.kysely), parameters: [unitId] })
      : timelineQuery(db, unitId).execute()
  let rows = await read()
  // An event the sequencer has not placed yet has no hash: wait for it (bounded), then read again.
  if ('read' in db && rows.some((r) => r.hash === null)) {
    await awaitSequenced(db)
    rows = await read()
  }
  const own = rows.map((r) => {
    const type = r.type as UnitEventType
    return TRANSITIONS[type].perLine ? lineTransitionOf(type, null, r.attributes) : null
  })
  const places = await locationCodes(
    db,
    own.flatMap((t) => (t?.locationId ? [t.locationId] : [])),
  )
  return rows.map((r, i) => ({
    seq: Number(r.seq),
    eventId: r.id,
    type: r.type,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    actor: r.actor,
    // A line naming its own transition (a count's close) goes where it says: moved or found there, or lost.
    location: own[i] ? (places.get(own[i]!.locationId ?? '') ?? null) : r.loc,
    fromLocation: r.from_loc,
    transition: own[i]?.type ?? null,
    reason: r.reason,
    document: r.doc_type && r.doc_number ? { type: r.doc_type, number: r.doc_number } : null,
    party: r.party_code ? { code: r.party_code, name: r.party_name! } : null,
    orderRef: (JSON.parse(r.payload) as { orderRef?: string }).orderRef ?? null,
    price: fromMinor(r.price_minor === null ? null : Number(r.price_minor)),
    hash: r.hash ?? PENDING_HASH,
  }))
}

/** Location codes by id (a few: the places a count's close moved a unit to). */
async function locationCodes(db: Executor | Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const ex = 'read' in db ? db.kysely : db
  const rows = await ex
    .selectFrom('location')
    .select(['id', 'code'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((l) => [l.id, l.code]))
}

/** Where the unit came from: its receipt (with the supplier's references), supplier, lot and cost. */
export async function unitProvenance(db: Executor, unitId: string): Promise<Provenance> {
  const r = await db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    // The receipt and the supplier by key, never a merge join (see unitViews).
    .innerJoin('document as d', (j) => j.on('d.id', '=', referenceOf(db, unitId, 'receipt_id')))
    .innerJoin('event as e', (j) => j.onRef('e.document_id', '=', 'd.id').on('e.type', '=', 'received'))
    .leftJoin('location as l', 'l.id', 'd.location_id')
    .leftJoin('party as p', (j) => j.on('p.id', '=', referenceOf(db, unitId, 'supplier_id')))
    .leftJoin('lot', 'lot.id', 'u.lot_id')
    .select([
      'u.id',
      'u.serial',
      's.code as sku',
      'u.cost_minor',
      'd.id as doc_id',
      'd.number',
      'd.data',
      'd.occurred_at',
      'l.code as loc',
      'e.id as event_id',
      'e.hash',
      'e.unit_count',
      'p.code as sup_code',
      'p.name as sup_name',
      'lot.code as lot_code',
      'lot.expires_on',
    ])
    .where('u.id', '=', unitId)
    .executeTakeFirstOrThrow(() => new AppError('unit.not_found', `no unit ${unitId}`))
  const data = JSON.parse(r.data) as { supplierRef?: string; po?: string; asn?: string }
  return {
    unitId: r.id,
    serial: r.serial,
    sku: r.sku,
    receipt: {
      id: r.doc_id,
      number: r.number,
      supplierRef: data.supplierRef ?? null,
      po: data.po ?? null,
      asn: data.asn ?? null,
      receivedAt: r.occurred_at,
      location: r.loc,
      eventId: r.event_id,
      eventHash: r.hash ?? PENDING_HASH,
      unitsInReceipt: r.unit_count,
    },
    supplier: r.sup_code ? { code: r.sup_code, name: r.sup_name! } : null,
    lot: r.lot_code ? { code: r.lot_code, expiresOn: r.expires_on } : null,
    cost: fromMinor(r.cost_minor === null ? null : Number(r.cost_minor)),
  }
}

/** A serial-order cursor: the unit id (fixed width, UUIDv7) then the serial. */
const ID_WIDTH = 36

/**
 * Lists units by the usual filters with a keyset cursor, oldest or newest first (by id: UUIDv7, so in the
 * order they were recorded) or by serial; with `totals`, also the count and cost of all that match.
 */
export async function listUnits(db: Executor, q: ListUnitsQuery): Promise<UnitPage> {
  let query = unitViews(db)
  if (q.sku) query = query.where('u.sku_id', '=', (await getSkuByCode(db, q.sku)).id)
  if (q.status) query = query.where('u.status', '=', q.status)
  if (q.location) query = query.where(startsWith('l.path', (await getLocationByCode(db, q.location)).path))
  if (q.lot) query = query.where('lot.code', '=', q.lot)
  if (q.supplier) query = query.where('u.supplier_id', '=', (await getPartyByCode(db, q.supplier)).id)
  // Resolve the receipt number first: filtering on the joined number would scan every unit.
  if (q.receipt)
    query = query.where('u.receipt_id', '=', (await findDocumentByNumber(db, 'receipt', q.receipt))?.id ?? '')
  if (q.receivedFrom) query = query.where('u.received_at', '>=', new Date(q.receivedFrom).toISOString())
  if (q.receivedTo) query = query.where('u.received_at', '<', new Date(q.receivedTo).toISOString())
  if (q.soldFrom) query = query.where('u.sold_at', '>=', new Date(q.soldFrom).toISOString())
  if (q.soldTo) query = query.where('u.sold_at', '<', new Date(q.soldTo).toISOString())
  const totals = q.totals ? await unitTotals(query) : undefined
  const c = q.cursor
  if (q.sort === 'serial') {
    query = query.orderBy('u.serial').orderBy('u.id')
    if (c) {
      const [id, serial] = [c.slice(0, ID_WIDTH), c.slice(ID_WIDTH)]
      query = query.where((eb) =>
        eb.or([eb('u.serial', '>', serial), eb.and([eb('u.serial', '=', serial), eb('u.id', '>', id)])]),
      )
    }
  } else if (q.sort === 'newest') {
    query = query.orderBy('u.id', 'desc')
    if (c) query = query.where('u.id', '<', c)
  } else {
    query = query.orderBy('u.id')
    if (c) query = query.where('u.id', '>', c)
  }
  const rows = await query.limit(q.limit + 1).execute()
  const items = rows.slice(0, q.limit).map(toView)
  const last = items[items.length - 1]
  const nextCursor = rows.length > q.limit && last ? (q.sort === 'serial' ? last.id + last.serial : last.id) : null
  return { items, nextCursor, ...(totals && { totals }) }
}

/** How many units a filtered list holds and their summed cost. */
async function unitTotals(query: ReturnType<typeof unitViews>): Promise<{ count: number; cost: number }> {
  const r = await query
    .clearSelect()
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('u.cost_minor').as('cost')])
    .executeTakeFirstOrThrow()
  return { count: Number(r.n), cost: fromMinor(r.cost === null ? 0 : Number(r.cost))! }
}
