import { sql } from 'kysely'
import { AppError } from '../../core/errors.js'
import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { unitStockCounts } from '../ledger/index.js'
import { unitAges } from '../lifecycle/index.js'
import { findLotId } from '../lots/index.js'
import { loadActiveLocation, loadSku, type QuantityFact, type UnitFact } from '../operations/index.js'
import { findLatestStockEvent, findOnHand } from '../stock/index.js'
import { unitEventLines } from '../units/index.js'
import type { ChangePriceFacts, MarkdownCandidate, PricedStock, PricedUnit } from './change-price.rules.js'
import type { MarkdownPolicy, PriceFacts } from './markdown.rules.js'
import { policiesByGroup } from './policies.repository.js'
import type { ChangePriceRequest } from './pricing.schemas.js'

const CHUNK = 1000

function* chunksOf<T>(xs: readonly T[]): Generator<T[]> {
  for (let i = 0; i < xs.length; i += CHUNK) yield xs.slice(i, i + CHUNK)
}

/** Business times of each unit's markdowns (price changes that lowered prices), by unit id. */
export async function markdownTimes(db: Executor, unitIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (const ids of chunksOf(unitIds)) {
    const rows = await db
      .selectFrom('event_unit as eu')
      .innerJoin('event as e', 'e.seq', 'eu.event_seq')
      .select(['eu.unit_id', 'e.occurred_at'])
      .where('e.type', '=', sql.lit('price_changed'))
      .where('e.reason', '=', 'markdown')
      .where('eu.unit_id', 'in', ids)
      .execute()
    for (const r of rows) (out.get(r.unit_id) ?? out.set(r.unit_id, []).get(r.unit_id)!).push(r.occurred_at)
  }
  return out
}

/**
 * Business times of the markdowns of one SKU's lot or quantity stock at one location (its zero-delta
 * price lines in price changes that lowered prices): the cap's frequency counts them as it does a unit's.
 */
async function stockMarkdownTimes(
  db: Executor,
  key: { skuId: string; locationId: string; lotId: string | null },
): Promise<string[]> {
  const rows = await db
    .selectFrom('event_quantity as q')
    .innerJoin('event as e', 'e.seq', 'q.event_seq')
    .select('e.occurred_at')
    .where('e.type', '=', sql.lit('price_changed'))
    .where('e.reason', '=', 'markdown')
    .where('q.sku_id', '=', key.skuId)
    .where('q.location_id', '=', key.locationId)
    .where('q.lot_id', key.lotId === null ? 'is' : '=', key.lotId)
    .execute()
  return rows.map((r) => r.occurred_at)
}

interface PriceRow {
  id: string
  list_price_minor?: number | null
  cost_minor: number | null
  price_minor: number
  sku_cost: number
  below_cost_allowed?: number
  sku_group?: string | null
}

const priceFactsOf = (r: PriceRow, times: readonly string[]): PriceFacts => ({
  listMinor: Number(r.price_minor),
  currentMinor: Number(r.list_price_minor ?? r.price_minor),
  costMinor: Number(r.cost_minor ?? r.sku_cost),
  belowCostAllowed: Number(r.below_cost_allowed ?? 0) === 1,
  markdownTimes: times,
})

/** The price rows of units by id: own price, cost, the SKU's list price, floor rule and group. */
async function priceRows(db: Executor, unitIds: readonly string[]): Promise<Map<string, PriceRow>> {
  const out = new Map<string, PriceRow>()
  for (const ids of chunksOf(unitIds)) {
    const rows = await db
      .selectFrom('unit as u')
      .innerJoin('sku as s', 's.id', 'u.sku_id')
      .select(['u.id', 'u.list_price_minor', 'u.cost_minor', 's.price_minor', 's.cost_minor as sku_cost'])
      .select(['s.below_cost_allowed', 's.sku_group'])
      .where('u.id', 'in', ids)
      .execute()
    for (const r of rows) out.set(r.id, r)
  }
  return out
}

/** Each unit's current price: its own (latest price change) or else its SKU's list price. */
export async function currentUnitPrices(db: Executor, unitIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await priceRows(db, unitIds)
  return new Map([...rows].map(([id, r]) => [id, Number(r.list_price_minor ?? r.price_minor)]))
}

/** Prices, floors and caps of the units a price change names. */
export async function pricedUnits(db: Executor, units: readonly UnitFact[]): Promise<PricedUnit[]> {
  const ids = units.map((u) => u.id)
  const [rows, times] = [await priceRows(db, ids), await markdownTimes(db, ids)]
  const policies = await policiesByGroup(db)
  return units.map((unit) => {
    const r = rows.get(unit.id)!
    return { unit, price: priceFactsOf(r, times.get(unit.id) ?? []), cap: policyOf(policies, r)?.cap }
  })
}

const policyOf = (policies: ReadonlyMap<string, MarkdownPolicy>, r: { sku_group?: string | null }) =>
  r.sku_group ? policies.get(r.sku_group) : undefined

/** The current price of lot or quantity stock: its latest price change there, else the SKU's list price. */
async function stockPrice(
  db: Executor,
  key: { skuId: string; lotId: string | null; locationId: string },
  listMinor: number,
): Promise<number> {
  let q = db
    .selectFrom('event_quantity as eq')
    .innerJoin('event as e', 'e.seq', 'eq.event_seq')
    .select('eq.price_minor')
    .where('e.type', '=', sql.lit('price_changed'))
    .where('eq.sku_id', '=', key.skuId)
    .where('eq.location_id', '=', key.locationId)
  q = key.lotId === null ? q.where('eq.lot_id', 'is', null) : q.where('eq.lot_id', '=', key.lotId)
  const row = await q.orderBy('eq.event_seq', 'desc').limit(1).executeTakeFirst()
  return row?.price_minor === null || row?.price_minor === undefined ? listMinor : Number(row.price_minor)
}

/** Loads what a price change names: its units with their prices, and its stock rows. */
export async function loadPriceChange(
  db: Executor,
  cmd: ChangePriceRequest,
  units: UnitFact[],
): Promise<ChangePriceFacts> {
  const policies = await policiesByGroup(db)
  const stock: PricedStock[] = []
  for (const [i, q] of cmd.quantities.entries()) {
    const sku = await loadSku(db, q.sku)
    const lotId = sku.tracking === 'lot' && q.lot ? ((await findLotId(db, sku.id, q.lot)) ?? null) : null
    const location = await loadActiveLocation(db, q.location)
    const key = { skuId: sku.id, locationId: location.id, lotId }
    const currentMinor = await stockPrice(db, key, sku.priceMinor)
    stock.push({
      field: `quantities[${i}]`,
      sku,
      lotId,
      location,
      onHand: await findOnHand(db, key),
      latestEvent: await findLatestStockEvent(db, key),
      price: {
        listMinor: sku.priceMinor,
        currentMinor,
        costMinor: sku.costMinor,
        belowCostAllowed: sku.belowCostAllowed ?? false,
        markdownTimes: await stockMarkdownTimes(db, key),
      },
      cap: sku.skuGroup ? policies.get(sku.skuGroup)?.cap : undefined,
    })
  }
  return { units: await pricedUnits(db, units), stock }
}

/** Unit lines of the candidates query. */
interface CandidateRow extends PriceRow {
  serial: string
  sku_id: string
  sku_code: string
  status: string
  location_id: string | null
  path: string | null
  lot_id: string | null
  version: number
  received_at: string
  back_in_stock_at?: string | null
}

/** In-stock units of SKUs whose group has a markdown policy, optionally only these SKUs or serials. */
export async function markdownCandidates(
  db: Executor,
  selection: { skus: readonly string[]; serials: readonly string[] },
): Promise<MarkdownCandidate[]> {
  const policies = await policiesByGroup(db)
  if (policies.size === 0) return []
  let q = db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('location as l', 'l.id', 'u.location_id')
    .select(['u.id', 'u.serial', 'u.sku_id', 's.code as sku_code', 'u.status', 'u.location_id', 'l.path'])
    .select(['u.lot_id', 'u.version', 'u.received_at', 'u.back_in_stock_at', 'u.list_price_minor', 'u.cost_minor'])
    .select(['s.price_minor', 's.cost_minor as sku_cost', 's.below_cost_allowed', 's.sku_group'])
    .where('u.status', '=', sql.lit('in_stock'))
    .where('s.sku_group', 'in', [...policies.keys()])
  const { skus, serials } = selection
  if (skus.length > 0 || serials.length > 0)
    q = q.where((eb) =>
      eb.or([
        ...(skus.length > 0 ? [eb('s.code', 'in', skus)] : []),
        ...(serials.length > 0 ? [eb('u.serial', 'in', serials)] : []),
      ]),
    )
  const rows: CandidateRow[] = await q.execute()
  const times = await markdownTimes(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    unit: {
      id: r.id,
      serial: r.serial,
      skuId: r.sku_id,
      skuCode: r.sku_code,
      status: 'in_stock',
      locationId: r.location_id,
      locationPath: r.path,
      lotId: r.lot_id,
      transferId: null,
      customerId: null,
      orderRef: null,
      version: r.version,
    },
    price: priceFactsOf(r, times.get(r.id) ?? []),
    cap: policyOf(policies, r)!.cap,
    policy: policyOf(policies, r)!,
    inStockSince: r.back_in_stock_at ?? r.received_at,
  }))
}

/** Units and quantity on hand per SKU id (the stock whose weeks of cover a rise looks at). */
export async function onHandBySku(db: Executor, skuIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(skuIds.map((id) => [id, 0]))
  if (skuIds.length === 0) return out
  // Serial units from the unit counts (a row per bucket), not from every unit of the SKUs.
  const units = await db
    .selectFrom(unitStockCounts(db, { status: 'in_stock' }).as('c'))
    .select(['c.sku_id', sql<number | string>`sum(c.units)`.as('n')])
    .where('c.sku_id', 'in', skuIds)
    .groupBy('c.sku_id')
    .execute()
  const { rows } = await sql<{ sku_id: string; n: number | string }>`
    select sku_id, sum(quantity) as n from stock where sku_id in (${sql.join(skuIds)}) group by sku_id`.execute(db)
  for (const r of [...units, ...rows]) out.set(r.sku_id, (out.get(r.sku_id) ?? 0) + Number(r.n))
  return out
}

/** A unit's price history: its receipt (cost), every price change (open-box restocks too), its sales, oldest first. */
export async function unitPriceHistory(db: Executor, unitId: string) {
  const rows = await unitEventLines(db, unitId)
    .select(['e.occurred_at', 'e.type', 'eu.price_minor', 'eu.cost_minor', 'e.reason', 'e.actor', 'd.number'])
    .where('e.type', 'in', ['received', 'price_changed', 'restocked_open_box', 'sold', 'returned'])
    .orderBy('eu.event_seq')
    .execute()
  return rows.map((r) => ({
    at: r.occurred_at,
    type: r.type,
    price: fromMinor(r.type === 'received' ? null : r.price_minor),
    reason: r.reason,
    actor: r.actor,
    number: r.number,
  }))
}

/** Per SKU and store: units sold, and how many below the SKU's list price (sold at a discount). */
export async function discountShare(db: Executor) {
  // Where a unit was sold from: the sale's named store, else the location of its previous located event.
  const { rows } = await sql<{ sku: string; path: string | null; n: number | string; discounted: number | string }>`
    select s.code as sku, l.path, count(*) as n,
      sum(case when x.price_minor < s.price_minor then 1 else 0 end) as discounted
    from (
      select eu.sku_id, eu.price_minor, coalesce(e.from_location_id, (
        select e2.location_id from event_unit eu2 join event e2 on e2.seq = eu2.event_seq
        where eu2.unit_id = eu.unit_id and eu2.event_seq < eu.event_seq and e2.location_id is not null
        order by eu2.event_seq desc limit 1)) as location_id
      from event e join event_unit eu on eu.event_seq = e.seq where e.type = 'sold'
    ) x join sku s on s.id = x.sku_id left join location l on l.id = x.location_id
    group by s.code, l.path`.execute(db)
  const out = new Map<string, { sku: string; store: string; sold: number; discounted: number; share: number }>()
  for (const r of rows) {
    const store = r.path?.split('/')[1] ?? '-'
    const key = `${r.sku}|${store}`
    const row = out.get(key) ?? out.set(key, { sku: r.sku, store, sold: 0, discounted: 0, share: 0 }).get(key)!
    row.sold += Number(r.n)
    row.discounted += Number(r.discounted)
    row.share = Math.round((row.discounted / row.sold) * 1000) / 1000
  }
  return [...out.values()].sort((a, b) => a.sku.localeCompare(b.sku) || a.store.localeCompare(b.store))
}

/** A unit's list and current price, cost, ages and price history. */
export async function unitPricing(db: Executor, id: string, asOf: Date) {
  const u = await db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .select(['u.id', 'u.serial', 's.code', 'u.status', 's.price_minor', 'u.cost_minor', 'u.received_at'])
    .select(['u.back_in_stock_at', 'u.located_at'])
    .where('u.id', '=', id)
    .executeTakeFirstOrThrow(() => new AppError('unit.not_found', `no unit ${id}`))
  return {
    serial: u.serial,
    sku: u.code,
    status: u.status,
    listPrice: fromMinor(u.price_minor)!,
    currentPrice: fromMinor((await currentUnitPrices(db, [u.id])).get(u.id)!)!,
    cost: fromMinor(u.cost_minor),
    ages: unitAges(u, asOf),
    history: await unitPriceHistory(db, u.id),
  }
}

/**
 * Quantity lines of a sale with each line's own price filled in where the request names none: the
 * latest price change of that stock (lot and location), so a markdown of lot stock reaches the till.
 */
export async function withStockPrices<Q extends QuantityFact>(db: Executor, lines: Q[]): Promise<Q[]> {
  const out: Q[] = []
  for (const q of lines) {
    if (q.priceMinor !== undefined) out.push(q)
    else {
      const key = { skuId: q.sku.id, lotId: q.lotId ?? null, locationId: q.location.id }
      out.push({ ...q, priceMinor: await stockPrice(db, key, q.sku.priceMinor) })
    }
  }
  return out
}
