import { sql } from 'kysely'
import { AppError, found } from '../../core/errors.js'
import type { DocumentTable, Executor } from '../../db/database.js'
import { getSkusByIds } from '../catalog/index.js'
import { rowsByIds, rowsForKeys } from '../../db/lookups.js'
import { queryRead, type Read, runRead } from '../../db/reads-together.js'
import type { LocationFact, QuantityFact, UnitFact } from '../operations/index.js'
import { recallsAffecting } from '../quality/index.js'
import { resolveUnits } from '../units/index.js'
import { heldUnitRefusal, type Holds, type QuantityHold } from './holds.rules.js'
import {
  checkHeldPick,
  checkPick,
  openBySku,
  type OrderFacts,
  orderStatus,
  type StoredOrderLine,
} from './orders.rules.js'
import type { OrderSummary, OrderView, PickList, ScanCheck } from './orders.schemas.js'

/*
 * Reads of sales orders. An order's state is never stored on its own: it is its document (the lines
 * as placed) and the ledger events on that document (sales that shipped it, its cancellation), so
 * `verify`'s replay covers it and nothing can drift.
 */

interface StoredOrderData {
  lines: StoredOrderLine[]
  shipBy: string | null
  source: string
  request: string
}

const dataOf = (d: DocumentTable) => JSON.parse(d.data) as StoredOrderData

const findDocument = (db: Executor, by: { number: string } | { externalRef: string } | { id: string }) => {
  const q = db.selectFrom('document').selectAll().where('type', '=', sql.lit('sales_order'))
  if ('number' in by) return q.where('number', '=', by.number).executeTakeFirst()
  if ('id' in by) return q.where('id', '=', by.id).executeTakeFirst()
  return q.where('reference', '=', by.externalRef).executeTakeFirst()
}

/** An order with what has shipped of each line and whether it was cancelled; undefined when there is none. */
export async function findOrder(
  db: Executor,
  by: { number: string } | { externalRef: string } | { id: string },
): Promise<OrderFacts | undefined> {
  const doc = await findDocument(db, by)
  return doc && (await ordersOf(db, [doc]))[0]
}

export async function getOrder(db: Executor, number: string): Promise<OrderFacts> {
  return found(await findOrder(db, { number }), 'order.not_found', `no sales order ${number}`)
}

/** What shipped per document and SKU id: units sold on it, and quantities (their negative deltas). */
async function shippedOn(db: Executor, docIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const [units, quantities] = await Promise.all([
    db
      .selectFrom('event_unit as u')
      .innerJoin('event as e', 'e.seq', 'u.event_seq')
      .select(['e.document_id', 'u.sku_id'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('e.document_id', 'in', docIds)
      .where('e.type', '=', sql.lit('sold'))
      .groupBy(['e.document_id', 'u.sku_id'])
      .execute(),
    db
      .selectFrom('event_quantity as q')
      .innerJoin('event as e', 'e.seq', 'q.event_seq')
      .select(['e.document_id', 'q.sku_id'])
      .select((eb) => eb.fn.sum('q.delta').as('n'))
      .where('e.document_id', 'in', docIds)
      .where('e.type', '=', sql.lit('sold'))
      .groupBy(['e.document_id', 'q.sku_id'])
      .execute(),
  ])
  const out = new Map<string, Map<string, number>>()
  const add = (doc: string | null, sku: string, n: number) => {
    const m = out.get(doc!) ?? out.set(doc!, new Map()).get(doc!)!
    m.set(sku, (m.get(sku) ?? 0) + n)
  }
  for (const r of units) add(r.document_id, r.sku_id, Number(r.n))
  for (const r of quantities) add(r.document_id, r.sku_id, -Number(r.n))
  return out
}

/** A unit picked for an order document, as `activePicks` finds it. */
type ActivePick = { unitId: string; serial: string; skuId: string; documentId: string }

/**
 * Units picked (`order_picked`) and not shipped since, still in stock: per unit, the order document
 * that holds it. By unit ids or by order documents; closed orders are left to the caller.
 */
async function activePicks(db: Executor, by: { unitIds: readonly string[] } | { docIds: readonly string[] }) {
  const ids = 'unitIds' in by ? [...new Set(by.unitIds)] : by.docIds
  const rows: ActivePick[] = []
  for (let i = 0; i < ids.length; i += PICKS_CHUNK) {
    const chunk = ids.slice(i, i + PICKS_CHUNK)
    const found =
      'unitIds' in by
        ? await runRead(db, unitPicksRead(db, chunk))
        : (await activePicksQuery(db, 'e.document_id', chunk).execute()).map(asPick)
    rows.push(...found)
  }
  return rows
}

const PICKS_CHUNK = 500

/**
 * The active picks of these units (as `activePicks`), as a read that may go with others (`readTogether`):
 * every sale asks of its units, so that statement is built once per shape.
 */
export function unitPicksRead(db: Executor, unitIds: readonly string[]): Read<ActivePick[]> {
  const ids = [...new Set(unitIds)]
  if (ids.length === 0 || ids.length > PICKS_CHUNK) return { alone: (db) => activePicks(db, { unitIds: ids }) }
  const query = () => activePicksQuery(db, 'eu.unit_id', ids)
  return queryRead(`active-picks:${ids.length}`, ids, query, (rows) => rows.map(asPick))
}

const asPick = (r: { unitId: string; serial: string; skuId: string; documentId: string | null }): ActivePick => ({
  ...r,
  documentId: r.documentId!,
})

/*
 * Every sale asks this of its units, so its plan must not depend on the statistics' guesses. The later sale
 * is looked for among the unit's own later lines, each line's event found by its key: as a join, PostgreSQL's
 * plan walked every `sold` event of the ledger instead whenever it believed there were few (a plan for any
 * value of a bound type, which a named statement gets after five runs; or statistics older than the day's
 * sales): 8–15 ms at 15,000–22,000 sales, on every sale. The types and the status are written into the
 * SQL, not bound, for the same reason (see `unclosedDocuments` in documents.repository.ts).
 */
const activePicksQuery = (db: Executor, by: 'eu.unit_id' | 'e.document_id', ids: readonly string[]) =>
  db
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .innerJoin('unit as u', 'u.id', 'eu.unit_id')
    .select(['eu.unit_id as unitId', 'u.serial', 'u.sku_id as skuId', 'e.document_id as documentId'])
    .where(by, 'in', ids)
    .where('e.type', '=', sql.lit('order_picked'))
    .where('u.status', '=', sql.lit('in_stock'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('event_unit as later')
            .select('later.event_seq')
            .whereRef('later.unit_id', '=', 'eu.unit_id')
            .whereRef('later.event_seq', '>', 'eu.event_seq')
            .where(sql<boolean>`(select s.type from event s where s.seq = ${sql.ref('later.event_seq')}) = 'sold'`),
        ),
      ),
    )
    .orderBy('eu.event_seq')
    .orderBy('eu.line_no')

/** Orders from their documents, in their order: a handful of queries however many there are (no N+1). */
async function ordersOf(db: Executor, docs: readonly DocumentTable[]): Promise<OrderFacts[]> {
  if (docs.length === 0) return []
  const docIds = docs.map((d) => d.id)
  const data = new Map(docs.map((d) => [d.id, dataOf(d)]))
  const [skus, sites, cancelled, shipped, picks] = await Promise.all([
    getSkusByIds(
      db,
      [...data.values()].flatMap((d) => d.lines.map((l) => l.skuId)),
    ),
    rowsByIds(
      db,
      'location',
      docs.map((d) => d.location_id),
    ),
    db
      .selectFrom('event')
      .select('document_id')
      .where('document_id', 'in', docIds)
      .where('type', '=', sql.lit('order_cancelled'))
      .execute(),
    shippedOn(db, docIds),
    activePicks(db, { docIds }),
  ])
  const isCancelled = new Set(cancelled.map((c) => c.document_id))
  return docs.map((doc) => {
    const site = doc.location_id ? sites.get(doc.location_id) : undefined
    const left = shipped.get(doc.id) ?? new Map<string, number>()
    return {
      id: doc.id,
      number: doc.number,
      externalRef: doc.reference,
      customerId: doc.party_id,
      site: site ? { id: site.id, code: site.code, path: site.path } : null,
      isCancelled: isCancelled.has(doc.id),
      request: data.get(doc.id)!.request,
      picked: picks.filter((p) => p.documentId === doc.id).map((p) => ({ id: p.unitId, ...p })),
      // What shipped of a SKU fills its lines in order.
      lines: data.get(doc.id)!.lines.map((l) => {
        const sku = skus.get(l.skuId)!
        const n = left.get(l.skuId) ?? 0
        const take = Math.min(n, l.quantity)
        left.set(l.skuId, n - take)
        return {
          sku: { id: sku.id, code: sku.code, tracking: sku.tracking, name: sku.name },
          quantity: l.quantity,
          priceMinor: l.priceMinor,
          reserve: l.reserve,
          shipped: take,
        }
      }),
    }
  })
}

const isOpen = (o: OrderFacts) => ['open', 'partially_shipped'].includes(orderStatus(o))

/** Open orders with a reserving line, placed at one of these sites (all sites when omitted). */
async function reservingOrders(db: Executor, except?: string): Promise<OrderFacts[]> {
  let q = db
    .selectFrom('document')
    .selectAll()
    .where('type', '=', sql.lit('sales_order'))
    .where('location_id', 'is not', null)
    .where('data', 'like', '%"reserve":true%')
  if (except) q = q.where('id', '!=', except)
  return (await ordersOf(db, await q.execute())).filter(isOpen)
}

/**
 * What open orders hold at a site, per SKU: the unshipped part of their reserving lines (an order
 * shipped or cancelled holds nothing). Read from the orders placed at that site with a reserving line.
 */
export async function reservedAt(db: Executor, siteId: string, except?: string): Promise<Map<string, number>> {
  const held = new Map<string, number>()
  for (const order of await reservingOrders(db, except)) {
    if (order.site?.id !== siteId) continue
    for (const l of order.lines.filter((x) => x.reserve))
      held.set(l.sku.id, (held.get(l.sku.id) ?? 0) + Math.max(0, l.quantity - l.shipped))
  }
  return held
}

/**
 * What open orders other than `except` hold of what a command takes: its units picked for them, and
 * the quantity stock they reserve at any site around the command's quantity lines, with its on hand.
 * `picked`: the units' active picks, when the caller read them already (`unitPicksRead`, with other reads).
 */
export async function loadHolds(
  db: Executor,
  units: readonly UnitFact[],
  quantities: readonly Pick<QuantityFact, 'sku' | 'location'>[],
  except?: string,
  picked?: readonly ActivePick[],
): Promise<Holds> {
  const picks = picked ?? (units.length ? await activePicks(db, { unitIds: units.map((u) => u.id) }) : [])
  const pickers = await ordersOf(
    db,
    await documentsByIds(
      db,
      picks.map((p) => p.documentId).filter((d) => d !== except),
    ),
  )
  const open = new Map(pickers.filter(isOpen).map((o) => [o.id, o.number]))
  const unitHolds = picks.flatMap((p) =>
    open.has(p.documentId) ? [{ unitId: p.unitId, order: open.get(p.documentId)! }] : [],
  )
  if (quantities.length === 0) return { units: unitHolds, quantities: [] }
  const wanted = new Set(quantities.map((q) => q.sku.id))
  const bySite = new Map<string, QuantityHold>()
  for (const order of await reservingOrders(db, except)) {
    const site = order.site!
    if (!quantities.some((q) => q.location.path.startsWith(site.path))) continue
    for (const l of order.lines.filter((x) => x.reserve && wanted.has(x.sku.id) && x.quantity > x.shipped)) {
      const key = `${site.id} ${l.sku.id}`
      const h = bySite.get(key) ?? { site, skuId: l.sku.id, sku: l.sku.code, onHand: 0, reserved: 0, orders: [] }
      h.reserved += l.quantity - l.shipped
      h.orders.push(order.number)
      bySite.set(key, h)
    }
  }
  const holds = [...bySite.values()]
  for (const h of holds) h.onHand = (await onHandInside(db, h.site, [h.skuId])).get(h.skuId) ?? 0
  return { units: unitHolds, quantities: holds }
}

/** Of these units, those picked for an open order. */
async function heldUnits(db: Executor, unitIds: readonly string[]): Promise<Set<string>> {
  const picks = await activePicks(db, { unitIds })
  if (picks.length === 0) return new Set()
  const orders = await ordersOf(
    db,
    await documentsByIds(
      db,
      picks.map((p) => p.documentId),
    ),
  )
  const open = new Set(orders.filter(isOpen).map((o) => o.id))
  return new Set(picks.filter((p) => open.has(p.documentId)).map((p) => p.unitId))
}

const documentsByIds = async (db: Executor, ids: readonly string[]) =>
  ids.length
    ? db
        .selectFrom('document')
        .selectAll()
        .where('id', 'in', [...new Set(ids)])
        .execute()
    : []

/** On hand of quantity-tracked stock of SKUs anywhere inside a site. */
export async function onHandInside(
  db: Executor,
  site: LocationFact,
  skuIds: readonly string[],
): Promise<Map<string, number>> {
  if (skuIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('stock')
    .innerJoin('location', 'location.id', 'stock.location_id')
    .select(['stock.sku_id'])
    .select((eb) => eb.fn.sum('stock.quantity').as('n'))
    .where('stock.sku_id', 'in', skuIds)
    .where('location.path', 'like', `${site.path}%`)
    .groupBy('stock.sku_id')
    .execute()
  return new Map(rows.map((r) => [r.sku_id, Number(r.n)]))
}

const codeOf = async (db: Executor, table: 'party' | 'location', id: string | null) =>
  id === null
    ? null
    : ((await db.selectFrom(table).select('code').where('id', '=', id).executeTakeFirst())?.code ?? null)

/** An order as the order page shows it: lines with shipped, open and reserved, and its shipments. */
export async function orderView(db: Executor, number: string): Promise<OrderView> {
  const doc = await findDocument(db, { number })
  if (!doc) throw new AppError('order.not_found', `no sales order ${number}`)
  const [order] = await ordersOf(db, [doc])
  if (!order) throw new AppError('order.not_found', `no sales order ${number}`)
  const data = dataOf(doc)
  const status = orderStatus(order)
  const holds = status === 'open' || status === 'partially_shipped'
  const shipments = await db
    .selectFrom('event')
    .select(['seq', 'occurred_at'])
    .where('document_id', '=', doc.id)
    .where('type', '=', sql.lit('sold'))
    .orderBy('seq')
    .execute()
  const shipped = shipments.map((s) => s.seq)
  const serials = await rowsForKeys(shipped, (seqs) =>
    db
      .selectFrom('event_unit')
      .select(['event_seq', 'serial'])
      .where('event_seq', 'in', seqs)
      .orderBy('event_seq')
      .orderBy('line_no')
      .execute(),
  )
  const quantities = await rowsForKeys(shipped, (seqs) =>
    db.selectFrom('event_quantity').select(['event_seq', 'delta']).where('event_seq', 'in', seqs).execute(),
  )
  return {
    id: order.id,
    number: order.number,
    externalRef: order.externalRef,
    customer: await codeOf(db, 'party', order.customerId),
    site: order.site?.code ?? null,
    shipBy: data.shipBy,
    source: data.source,
    status,
    placedAt: doc.occurred_at,
    picked: order.picked.map((p) => p.serial),
    lines: order.lines.map((l) => ({
      sku: l.sku.code,
      name: l.sku.name,
      tracking: l.sku.tracking,
      quantity: l.quantity,
      shipped: l.shipped,
      open: l.quantity - l.shipped,
      price: l.priceMinor / 100,
      reserved: holds && l.reserve ? l.quantity - l.shipped : 0,
    })),
    shipments: shipments.map((s) => ({
      eventSeq: Number(s.seq),
      occurredAt: s.occurred_at,
      serials: serials.filter((u) => Number(u.event_seq) === Number(s.seq)).map((u) => u.serial),
      quantity: quantities
        .filter((q) => Number(q.event_seq) === Number(s.seq))
        .reduce((n, q) => n - Number(q.delta), 0),
    })),
  }
}

/** Orders, newest first, with their status (optionally only one status). */
export async function listOrders(
  db: Executor,
  query: { status?: OrderSummary['status']; search?: string; limit: number },
): Promise<OrderSummary[]> {
  let q = db.selectFrom('document').selectAll().where('type', '=', sql.lit('sales_order'))
  if (query.search) {
    const prefix = `${query.search.replace(/[%_\\]/g, '')}%`
    q = q.where((eb) => eb.or([eb('number', 'like', prefix), eb('reference', 'like', prefix)]))
  }
  // A status filter is applied after the state is derived, so read further than the limit for it.
  const docs = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.status ? query.limit * 5 : query.limit)
    .execute()
  const [orders, parties] = await Promise.all([
    ordersOf(db, docs),
    rowsByIds(
      db,
      'party',
      docs.map((d) => d.party_id),
    ),
  ])
  const out: OrderSummary[] = []
  for (const [i, order] of orders.entries()) {
    const status = orderStatus(order)
    if (query.status && status !== query.status) continue
    const doc = docs[i]!
    const data = dataOf(doc)
    out.push({
      id: doc.id,
      number: doc.number,
      externalRef: doc.reference,
      customer: doc.party_id ? (parties.get(doc.party_id)?.code ?? null) : null,
      site: order.site?.code ?? null,
      shipBy: data.shipBy,
      source: data.source,
      status,
      placedAt: doc.occurred_at,
      ordered: order.lines.reduce((n, l) => n + l.quantity, 0),
      shipped: order.lines.reduce((n, l) => n + l.shipped, 0),
    })
    if (out.length >= query.limit) break
  }
  return out
}

/**
 * Checks one scan against an order for the scan-to-fulfil screen, given the serials picked so far in
 * this session: the same `checkPick` that shipping applies. Writes nothing.
 */
export async function checkScan(
  db: Executor,
  number: string,
  scan: { serial: string; picked: readonly string[] },
): Promise<ScanCheck> {
  const order = await getOrder(db, number)
  const refuse = (code: string, message: string): ScanCheck => ({
    ok: false,
    serial: scan.serial,
    sku: null,
    code,
    message,
    location: null,
    openForSku: 0,
  })
  const status = orderStatus(order)
  if (status === 'cancelled' || status === 'shipped') return refuse('order.closed', `order ${number} is ${status}`)
  let unit: UnitFact
  let picked: Pick<UnitFact, 'id' | 'skuId'>[]
  try {
    unit = (await resolveUnits(db, [{ serial: scan.serial }], 'serial'))[0]!
    const stored = new Set(order.picked.map((p) => p.serial))
    const more = [...new Set(scan.picked)].filter((s) => !stored.has(s))
    picked = [
      ...order.picked,
      ...(more.length
        ? await resolveUnits(
            db,
            more.map((serial) => ({ serial })),
          )
        : []),
    ]
  } catch (e) {
    if (e instanceof AppError) return refuse(e.code, e.message)
    throw e
  }
  const held = heldUnitRefusal(unit, await loadHolds(db, [unit], [], order.id))
  const recall = (await recallsAffecting(db, [unit.id])).get(unit.id)
  const pick = checkPick(order, unit, picked)
  const check = checkHeldPick(pick, unit, held, recall)
  const open = openBySku(order).get(unit.skuId) ?? 0
  const taken = picked.filter((p) => p.skuId === unit.skuId).length + (check.ok ? 1 : 0)
  return {
    ok: check.ok,
    serial: unit.serial,
    sku: unit.skuCode,
    code: check.ok ? null : check.code,
    message: check.message,
    location: unit.locationPath,
    openForSku: Math.max(0, open - taken),
  }
}

/**
 * Where to pick one order or a wave: for each open line, units of its SKU in stock at the order's site,
 * oldest received first (a quarantined unit is not in stock; one under an open recall is left out too),
 * none listed twice across the wave; for quantity lines, the locations holding stock, most first.
 */
export async function pickList(db: Executor, numbers: readonly string[]): Promise<PickList> {
  const taken = new Set<string>()
  const lines: PickList['lines'] = []
  for (const number of numbers) {
    const order = await getOrder(db, number)
    const status = orderStatus(order)
    if (status === 'cancelled' || status === 'shipped') continue
    for (const l of order.lines) {
      const open = l.quantity - l.shipped
      if (open <= 0) continue
      const base = { order: number, sku: l.sku.code, name: l.sku.name, tracking: l.sku.tracking, open }
      if (l.sku.tracking === 'serial') {
        // Units picked already (for this order or another open one) are not listed: they are spoken for.
        const toPick = open - order.picked.filter((p) => p.skuId === l.sku.id).length
        const picks: PickList['lines'][number]['picks'] = []
        for (let offset = 0, size = Math.max(2 * toPick, 50); picks.length < toPick; offset += size) {
          let q = db
            .selectFrom('unit')
            .innerJoin('location', 'location.id', 'unit.location_id')
            .select(['unit.id', 'unit.serial', 'location.code', 'location.path'])
            .where('unit.sku_id', '=', l.sku.id)
            .where('unit.status', '=', sql.lit('in_stock'))
          if (order.site) q = q.where('location.path', 'like', `${order.site.path}%`)
          const rows = await q.orderBy('unit.received_at').orderBy('unit.serial').limit(size).offset(offset).execute()
          const ids = rows.map((r) => r.id)
          const held = await heldUnits(db, ids)
          // A unit an open recall covers is not offered either, quarantined yet or not.
          const recalled = await recallsAffecting(db, ids)
          for (const r of rows) {
            if (picks.length >= toPick) break
            if (taken.has(r.id) || held.has(r.id) || recalled.has(r.id)) continue
            taken.add(r.id)
            picks.push({ serial: r.serial, location: r.code, quantity: 1 })
          }
          if (rows.length < size) break
        }
        lines.push({ ...base, picks, short: Math.max(0, toPick - picks.length) })
      } else {
        let q = db
          .selectFrom('stock')
          .innerJoin('location', 'location.id', 'stock.location_id')
          .select(['location.code', 'stock.quantity'])
          .where('stock.sku_id', '=', l.sku.id)
          .where('stock.quantity', '>', 0)
        if (order.site) q = q.where('location.path', 'like', `${order.site.path}%`)
        const rows = await q.orderBy('stock.quantity', 'desc').execute()
        let left = open
        const picks: PickList['lines'][number]['picks'] = []
        for (const r of rows) {
          if (left <= 0) break
          const n = Math.min(left, Number(r.quantity))
          picks.push({ serial: null, location: r.code, quantity: n })
          left -= n
        }
        lines.push({ ...base, picks, short: left })
      }
    }
  }
  return { orders: [...numbers], lines }
}
