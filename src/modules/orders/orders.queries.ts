import { AppError } from '../../core/errors.js'
import type { DocumentTable, Executor } from '../../db/database.js'
import { getSkusByIds } from '../catalog/index.js'
import { getLocationById } from '../locations/index.js'
import type { LocationFact, UnitFact } from '../operations/index.js'
import { resolveUnits } from '../units/index.js'
import { checkPick, openBySku, type OrderFacts, orderStatus, type StoredOrderLine } from './orders.rules.js'
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
  const q = db.selectFrom('document').selectAll().where('type', '=', 'sales_order')
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
  return doc && orderFacts(db, doc)
}

export async function getOrder(db: Executor, number: string): Promise<OrderFacts> {
  const order = await findOrder(db, { number })
  if (!order) throw new AppError('order.not_found', `no sales order ${number}`)
  return order
}

async function orderFacts(db: Executor, doc: DocumentTable): Promise<OrderFacts> {
  const data = dataOf(doc)
  const skus = await getSkusByIds(
    db,
    data.lines.map((l) => l.skuId),
  )
  const site = doc.location_id ? await getLocationById(db, doc.location_id) : null
  const [events, unitsShipped, quantitiesShipped] = await Promise.all([
    db.selectFrom('event').select(['type']).where('document_id', '=', doc.id).execute(),
    db
      .selectFrom('event_unit as u')
      .innerJoin('event as e', 'e.seq', 'u.event_seq')
      .select(['u.sku_id'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('e.document_id', '=', doc.id)
      .where('e.type', '=', 'sold')
      .groupBy('u.sku_id')
      .execute(),
    db
      .selectFrom('event_quantity as q')
      .innerJoin('event as e', 'e.seq', 'q.event_seq')
      .select(['q.sku_id'])
      .select((eb) => eb.fn.sum('q.delta').as('n'))
      .where('e.document_id', '=', doc.id)
      .where('e.type', '=', 'sold')
      .groupBy('q.sku_id')
      .execute(),
  ])
  const shipped = new Map<string, number>()
  for (const r of unitsShipped) shipped.set(r.sku_id, Number(r.n))
  for (const r of quantitiesShipped) shipped.set(r.sku_id, (shipped.get(r.sku_id) ?? 0) - Number(r.n))
  return {
    id: doc.id,
    number: doc.number,
    externalRef: doc.reference,
    customerId: doc.party_id,
    site: site && { id: site.id, code: site.code, path: site.path },
    isCancelled: events.some((e) => e.type === 'order_cancelled'),
    request: data.request,
    // What shipped of a SKU fills its lines in order.
    lines: data.lines.map((l) => {
      const sku = skus.get(l.skuId)!
      const left = shipped.get(l.skuId) ?? 0
      const take = Math.min(left, l.quantity)
      shipped.set(l.skuId, left - take)
      return {
        sku: { id: sku.id, code: sku.code, tracking: sku.tracking, name: sku.name },
        quantity: l.quantity,
        priceMinor: l.priceMinor,
        reserve: l.reserve,
        shipped: take,
      }
    }),
  }
}

/**
 * What open orders hold at a site, per SKU: the unshipped part of their reserving lines (an order
 * shipped or cancelled holds nothing). Read from the orders placed at that site with a reserving line.
 */
export async function reservedAt(db: Executor, siteId: string, except?: string): Promise<Map<string, number>> {
  const docs = await db
    .selectFrom('document')
    .selectAll()
    .where('type', '=', 'sales_order')
    .where('location_id', '=', siteId)
    .where('data', 'like', '%"reserve":true%')
    .execute()
  const held = new Map<string, number>()
  for (const doc of docs) {
    if (doc.id === except) continue
    const order = await orderFacts(db, doc)
    const status = orderStatus(order)
    if (status === 'cancelled' || status === 'shipped') continue
    for (const l of order.lines.filter((x) => x.reserve))
      held.set(l.sku.id, (held.get(l.sku.id) ?? 0) + Math.max(0, l.quantity - l.shipped))
  }
  return held
}

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
  const order = await orderFacts(db, doc)
  const data = dataOf(doc)
  const status = orderStatus(order)
  const holds = status === 'open' || status === 'partially_shipped'
  const shipments = await db
    .selectFrom('event')
    .select(['seq', 'occurred_at'])
    .where('document_id', '=', doc.id)
    .where('type', '=', 'sold')
    .orderBy('seq')
    .execute()
  const serials = shipments.length
    ? await db
        .selectFrom('event_unit')
        .select(['event_seq', 'serial'])
        .where(
          'event_seq',
          'in',
          shipments.map((s) => s.seq),
        )
        .orderBy('event_seq')
        .orderBy('line_no')
        .execute()
    : []
  const quantities = shipments.length
    ? await db
        .selectFrom('event_quantity')
        .select(['event_seq', 'delta'])
        .where(
          'event_seq',
          'in',
          shipments.map((s) => s.seq),
        )
        .execute()
    : []
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
  let q = db.selectFrom('document').selectAll().where('type', '=', 'sales_order')
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
  const out: OrderSummary[] = []
  for (const doc of docs) {
    const order = await orderFacts(db, doc)
    const status = orderStatus(order)
    if (query.status && status !== query.status) continue
    const data = dataOf(doc)
    out.push({
      id: doc.id,
      number: doc.number,
      externalRef: doc.reference,
      customer: await codeOf(db, 'party', doc.party_id),
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
  let picked: UnitFact[]
  try {
    unit = (await resolveUnits(db, [{ serial: scan.serial }], 'serial'))[0]!
    picked = scan.picked.length
      ? await resolveUnits(
          db,
          [...new Set(scan.picked)].map((serial) => ({ serial })),
        )
      : []
  } catch (e) {
    if (e instanceof AppError) return refuse(e.code, e.message)
    throw e
  }
  const check = checkPick(order, unit, picked)
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
 * oldest received first (a quarantined unit is not in stock, so never listed), none listed twice across
 * the wave; for quantity lines, the locations holding stock, most first.
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
        let q = db
          .selectFrom('unit')
          .innerJoin('location', 'location.id', 'unit.location_id')
          .select(['unit.id', 'unit.serial', 'location.code', 'location.path'])
          .where('unit.sku_id', '=', l.sku.id)
          .where('unit.status', '=', 'in_stock')
        if (order.site) q = q.where('location.path', 'like', `${order.site.path}%`)
        const rows = await q
          .orderBy('unit.received_at')
          .orderBy('unit.serial')
          .limit(open + taken.size)
          .execute()
        const picks = rows
          .filter((r) => !taken.has(r.id))
          .slice(0, open)
          .map((r) => {
            taken.add(r.id)
            return { serial: r.serial, location: r.code, quantity: 1 }
          })
        lines.push({ ...base, picks, short: open - picks.length })
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
