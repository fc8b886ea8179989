/*
 * The rules of sales orders, pure: what an order's state is (from its lines and the events on its
 * document), whether a scanned unit may be picked for it, and the plans of placing, shipping and
 * cancelling one. Shipping is a sale: its plan is `decideSell`'s, written on the order's document.
 */
import { AppError, type ErrorCode, IssueList } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import * as op from '../operations/operations.rules.js'
import { refuseRecalled } from '../quality/quality.rules.js'
import { decideSell } from '../sales/sell.rules.js'
import type { SellRequest } from '../sales/sales.schemas.js'
import { transitionRefusal, type UnitStatus } from '../units/unit-status.rules.js'
import { type Holds, refuseHeld } from './holds.rules.js'
import type {
  CancelOrderRequest,
  OrderStatus,
  PickOrderRequest,
  PlaceOrderRequest,
  ShipOrderRequest,
} from './orders.schemas.js'

/** One line of an order as stored in its document, with what has shipped of it. */
export interface OrderLineFact {
  sku: Pick<op.SkuFact, 'id' | 'code' | 'tracking'> & { name: string }
  quantity: number
  priceMinor: number
  reserve: boolean
  shipped: number
}

/** An order as loaded: its document, its lines and the facts of its events (shipments, cancellation). */
export interface OrderFacts {
  id: string
  number: string
  externalRef: string | null
  customerId: string | null
  site: op.LocationFact | null
  lines: OrderLineFact[]
  isCancelled: boolean
  /** Units picked for it (`order_picked`), still in stock and not shipped: reserved for this order. */
  picked: PickedUnit[]
  /** Canonical JSON of the request that placed it (a retried order must say the same). */
  request: string
}

/** A unit picked for an order, as its stored `order_picked` event names it. */
export interface PickedUnit {
  id: string
  serial: string
  skuId: string
}

/**
 * Statuses named when refusing a pick ("may not be shipped"). The hook itself is the state machine's
 * `order_picked` row: a unit is picked only from the statuses it lists (in stock), so a status another
 * capability adds (quarantined, recalled) is refused for picking and shipping without touching this file.
 */
export const UNPICKABLE_STATUSES: readonly UnitStatus[] = ['quarantined']

export function orderStatus(o: Pick<OrderFacts, 'lines' | 'isCancelled'>): OrderStatus {
  if (o.isCancelled) return 'cancelled'
  const shipped = o.lines.reduce((n, l) => n + Math.min(l.shipped, l.quantity), 0)
  const ordered = o.lines.reduce((n, l) => n + l.quantity, 0)
  if (shipped === 0) return 'open'
  return shipped >= ordered ? 'shipped' : 'partially_shipped'
}

/** What is still to ship per SKU id. */
export function openBySku(o: Pick<OrderFacts, 'lines'>): Map<string, number> {
  const open = new Map<string, number>()
  for (const l of o.lines) open.set(l.sku.id, (open.get(l.sku.id) ?? 0) + Math.max(0, l.quantity - l.shipped))
  return open
}

export type PickCheck = { ok: true; message: string } | { ok: false; code: ErrorCode; message: string }

/**
 * A scan the order's own rules accept is still refused when another open order holds the unit
 * (`held`: why) or an open recall covers it (`recall`: its number); the order's own refusal comes first.
 */
export function checkHeldPick(
  pick: PickCheck,
  unit: Pick<op.UnitFact, 'serial'>,
  held: string | undefined,
  recall: string | undefined,
): PickCheck {
  if (!pick.ok) return pick
  if (held) return { ok: false, code: 'order.reserved', message: held }
  if (recall) return { ok: false, code: 'recall.affected', message: `${unit.serial} is under recall ${recall}` }
  return pick
}

/**
 * Whether a scanned unit may be picked for the order, given what was picked already: the SKU is on
 * the order and still needed, the unit was not picked before, it is in stock, not quarantined (or
 * recalled) and at the order's site. The scan screen asks this for every scan; shipping asks it again.
 */
export function checkPick(
  order: Pick<OrderFacts, 'lines' | 'site'>,
  unit: op.UnitFact,
  picked: readonly Pick<PickedUnit, 'id' | 'skuId'>[],
): PickCheck {
  const name = `${unit.skuCode} ${unit.serial}`
  if (!order.lines.some((l) => l.sku.id === unit.skuId))
    return { ok: false, code: 'order.wrong_sku', message: `${name}: ${unit.skuCode} is not on this order` }
  if (picked.some((p) => p.id === unit.id))
    return { ok: false, code: 'order.already_picked', message: `${name} is already picked for this order` }
  if (UNPICKABLE_STATUSES.includes(unit.status))
    return { ok: false, code: 'order.unit_not_pickable', message: `${name} is ${unit.status} and may not be shipped` }
  if (transitionRefusal('order_picked', unit))
    return { ok: false, code: 'order.unit_not_pickable', message: `${name} is ${unit.status}, not in stock` }
  if (order.site && !unit.locationPath?.startsWith(order.site.path))
    return { ok: false, code: 'order.unit_not_pickable', message: `${name} is not at ${order.site.code}` }
  const open = openBySku(order).get(unit.skuId) ?? 0
  const already = picked.filter((p) => p.skuId === unit.skuId).length
  if (already >= open)
    return { ok: false, code: 'order.not_needed', message: `${name}: no more ${unit.skuCode} needed (${open} open)` }
  return { ok: true, message: `${name} picked (${open - already - 1} more ${unit.skuCode} to pick)` }
}

/** Refuses, all at once, every unit that may not be picked (the first refusal's code names them). */
function refusePicks(
  order: OrderFacts,
  units: readonly op.UnitFact[],
  duplicates: readonly string[],
  before: readonly PickedUnit[] = [],
): void {
  const issues = new IssueList()
  let code: ErrorCode | undefined
  for (const serial of duplicates) {
    code ??= 'order.already_picked'
    issues.add({ field: 'units', value: serial, message: `${serial} is listed twice` })
  }
  const picked: Pick<PickedUnit, 'id' | 'skuId'>[] = [...before]
  units.forEach((u, i) => {
    const check = checkPick(order, u, picked)
    if (check.ok) picked.push(u)
    else {
      code ??= check.code
      issues.add({ row: i + 1, field: `units[${i}]`, value: u.serial, message: check.message })
    }
  })
  if (code) issues.throwIfAny(code, 'units may not be picked for this order')
}

function refuseClosed(order: OrderFacts): void {
  const status = orderStatus(order)
  if (status === 'cancelled' || status === 'shipped')
    throw new AppError('order.closed', `order ${order.number} is ${status}`)
}

/** Facts of a shipment: the order, the picked units, the quantity lines and their on-hand stock. */
export interface ShipFacts {
  order: OrderFacts
  units: op.UnitFact[]
  duplicates: string[]
  quantities: op.QuantityFact[]
  /** What other open orders hold of these units and quantities (their picks and reservations). */
  holds?: Holds
  /** Open recalls covering the units (unit id → recall number): such a unit is refused, naming its recall. */
  recalls: ReadonlyMap<string, string>
}

/**
 * Shipping the picked part of an order: one sale event, on the order's document. Units picked for it
 * and not shipped count as taken, so a shipment of other units cannot exceed what the order needs.
 */
export function decideShipOrder(cmd: ShipOrderRequest, f: ShipFacts, ctx: op.DecideContext): op.OperationPlan {
  // A shipment is a sale scan: a unit an open recall covers is refused first.
  refuseRecalled(f.units, f.recalls, 'sold')
  refuseClosed(f.order)
  op.refuseEmpty(cmd.units, cmd.quantities)
  const shipping = new Set(f.units.map((u) => u.id))
  refusePicks(
    f.order,
    f.units,
    f.duplicates,
    f.order.picked.filter((p) => !shipping.has(p.id)),
  )
  refuseQuantitiesBeyondOrder(f.order, f.quantities)
  refuseHeld(f.units, f.quantities, f.holds)
  return shipmentPlan(f.order, f.units, f.quantities, cmd.shippedAt, ctx)
}

/** Facts of picking: the order (with what is picked for it already), the scanned units, other orders' picks. */
export interface PickFacts {
  order: OrderFacts
  units: op.UnitFact[]
  duplicates: string[]
  holds: Holds
  /** Open recalls covering the units: such a unit is not picked (its shipment would be refused anyway). */
  recalls: ReadonlyMap<string, string>
}

/**
 * Picking scanned units for an order: each is checked as the scan screen checks it (right SKU, still
 * needed, in stock at the site, not picked already, not picked for another order) and the picks are
 * stored as one `order_picked` event on the order's document, which reserves the units for it.
 */
export function decidePickOrder(cmd: PickOrderRequest, f: PickFacts, ctx: op.DecideContext): op.OperationPlan {
  refuseRecalled(f.units, f.recalls, 'picked')
  refuseClosed(f.order)
  refusePicks(f.order, f.units, f.duplicates, f.order.picked)
  refuseHeld(f.units, [], f.holds)
  return op.planOperation(ctx, {
    type: 'order_picked',
    document: { type: 'sales_order', existingId: f.order.id, number: f.order.number },
    to: null,
    from: f.order.site,
    reason: 'picked',
    occurredAt: op.businessTime(cmd.pickedAt, ctx.now),
    payload: { salesOrder: f.order.number },
    units: f.units,
    quantities: [],
  })
}

function refuseQuantitiesBeyondOrder(order: OrderFacts, quantities: readonly op.QuantityFact[]): void {
  const open = openBySku(order)
  const issues = new IssueList()
  let code: ErrorCode = 'order.not_needed'
  for (const q of quantities) {
    const left = open.get(q.sku.id)
    if (left === undefined) {
      code = 'order.wrong_sku'
      issues.add({ field: q.field, value: q.sku.code, message: `${q.sku.code} is not on this order` })
    } else if (q.quantity > left)
      issues.add({ field: q.field, value: q.sku.code, message: `${q.sku.code}: ${q.quantity} shipped, ${left} open` })
    else open.set(q.sku.id, left - q.quantity)
  }
  issues.throwIfAny(code, 'more than the order needs')
}

/** The sale of picked units and quantities, as `decideSell` plans it, written on the order's document. */
function shipmentPlan(
  order: OrderFacts,
  units: readonly op.UnitFact[],
  quantities: readonly op.QuantityFact[],
  shippedAt: string | undefined,
  ctx: op.DecideContext,
): op.OperationPlan {
  const priceOf = new Map(order.lines.map((l) => [l.sku.id, l.priceMinor]))
  const orderRef = order.externalRef ?? order.number
  const sellCmd: SellRequest = {
    orderRef,
    units: units.map((u) => u.serial),
    quantities: quantities.map((q) => ({ sku: q.sku.code, quantity: q.quantity, location: q.location.code })),
    soldAt: shippedAt,
  }
  const plan = decideSell(
    sellCmd,
    {
      customer: order.customerId ? { id: order.customerId } : undefined,
      from: order.site ?? undefined,
      units: [...units],
      listPrices: priceOf,
      quantities: quantities.map((q) => ({ ...q, priceMinor: priceOf.get(q.sku.id) })),
    },
    ctx,
  )
  return {
    ...plan,
    document: { type: 'sales_order', existingId: order.id, number: order.number },
    payload: { ...plan.payload, salesOrder: order.number },
  }
}

/** A SKU an order line names, as loaded. */
export type OrderSku = Pick<op.SkuFact, 'id' | 'code' | 'tracking' | 'priceMinor' | 'allowNegative'> & { name: string }

/** Facts of placing an order. */
export interface PlaceFacts {
  /** The order placed before with the same external reference, if any. */
  existing?: OrderFacts
  customer?: { id: string }
  site?: op.LocationFact
  /** Per line, its SKU (undefined: no such SKU). */
  skus: (OrderSku | undefined)[]
  /** Per SKU id of a reserving line: on hand at the site and what other open orders hold. */
  available: ReadonlyMap<string, { onHand: number; reserved: number }>
  /** A completed sale's scanned units, line by line. */
  units: op.UnitFact[][]
  /** A completed sale's quantity lines (from the site), with what is on hand there. */
  quantities: op.QuantityFact[]
  /** What open orders hold of a completed sale's units and quantities. */
  holds?: Holds
  request: string
}

export type PlacePlan =
  | { kind: 'replay'; order: OrderFacts }
  | { kind: 'place'; placed: op.OperationPlan; shipment?: op.OperationPlan; lines: StoredOrderLine[] }

/** A line as the order document stores it. */
export interface StoredOrderLine {
  skuId: string
  sku: string
  quantity: number
  priceMinor: number
  reserve: boolean
}

/**
 * Placing an order: its document and `order_placed` event; for a completed sale (a till) also the sale
 * of every line. An order whose external reference was placed before is answered, not placed again,
 * provided the request says the same.
 */
export function decidePlaceOrder(cmd: PlaceOrderRequest, f: PlaceFacts, ctx: op.DecideContext): PlacePlan {
  if (f.existing) {
    if (f.existing.request !== f.request)
      throw new AppError(
        'order.external_ref_conflict',
        `order ${cmd.externalRef} was placed before (${f.existing.number}) with different content`,
      )
    return { kind: 'replay', order: f.existing }
  }
  const issues = new IssueList()
  const lines: StoredOrderLine[] = []
  cmd.lines.forEach((l, i) => {
    const row = i + 1
    const sku = f.skus[i]
    if (!sku) return issues.add({ row, field: `lines[${i}].sku`, value: l.sku, message: `no SKU with code ${l.sku}` })
    if (l.reserve && sku.tracking === 'serial')
      issues.add({ row, field: `lines[${i}].reserve`, message: `${sku.code} is serial-tracked: its units are picked` })
    if (l.reserve && !f.site) issues.add({ row, field: `lines[${i}].reserve`, message: 'reserving needs the site' })
    if (l.serials && sku.tracking !== 'serial')
      issues.add({ row, field: `lines[${i}].serials`, message: `${sku.code} is not serial-tracked` })
    if (cmd.completed && sku.tracking === 'serial' && (l.serials?.length ?? 0) !== l.quantity)
      issues.add({
        row,
        field: `lines[${i}].serials`,
        message: `a completed sale lists the ${l.quantity} serial(s) of ${sku.code}, ${l.serials?.length ?? 0} given`,
      })
    if (cmd.completed && sku.tracking === 'lot')
      issues.add({ row, field: `lines[${i}]`, message: `${sku.code} is lot-tracked: ship it from the order` })
    if (cmd.completed && sku.tracking === 'quantity' && !f.site)
      issues.add({ row, field: 'site', message: `a completed sale of ${sku.code} needs the site it is sold from` })
    const priceMinor = l.price === undefined ? sku.priceMinor : toMinor(l.price)
    lines.push({ skuId: sku.id, sku: sku.code, quantity: l.quantity, priceMinor, reserve: l.reserve })
  })
  issues.throwIfAny('order.invalid', 'the order is invalid')
  refuseUnreservable(lines, f.available)
  const placed = op.planOperation(ctx, {
    type: 'order_placed',
    document: {
      type: 'sales_order',
      number: cmd.number,
      prefix: 'SO',
      partyId: f.customer?.id,
      reference: cmd.externalRef,
      data: { lines, shipBy: cmd.shipBy ?? null, source: cmd.source, request: f.request },
    },
    to: f.site ?? null,
    from: null,
    reason: cmd.completed ? 'completed sale' : 'order placed',
    occurredAt: op.businessTime(cmd.placedAt, ctx.now),
    payload: { customerId: f.customer?.id, externalRef: cmd.externalRef },
    units: [],
    quantities: [],
  })
  if (!cmd.completed) return { kind: 'place', placed, lines }
  const order: OrderFacts = {
    id: '',
    number: '',
    externalRef: cmd.externalRef ?? null,
    customerId: f.customer?.id ?? null,
    site: f.site ?? null,
    isCancelled: false,
    picked: [],
    request: f.request,
    lines: lines.map((l, i) => ({ ...l, sku: { ...f.skus[i]!, name: '' }, shipped: 0 })),
  }
  const units = f.units.flat()
  refuseUnitsOffTheirLine(cmd, f)
  refusePicks(order, units, [])
  refuseHeld(units, f.quantities, f.holds)
  const shipment = shipmentPlan(order, units, f.quantities, cmd.placedAt, ctx)
  return { kind: 'place', placed, shipment, lines }
}

function refuseUnitsOffTheirLine(cmd: PlaceOrderRequest, f: PlaceFacts): void {
  const issues = new IssueList()
  f.units.forEach((units, i) =>
    units.forEach((u, j) => {
      if (u.skuId !== f.skus[i]?.id)
        issues.add({
          row: i + 1,
          field: `lines[${i}].serials[${j}]`,
          value: u.serial,
          message: `${u.serial} is a ${u.skuCode}, the line is ${cmd.lines[i]!.sku}`,
        })
    }),
  )
  issues.throwIfAny('order.wrong_sku', 'serials of another SKU')
}

function refuseUnreservable(lines: readonly StoredOrderLine[], available: PlaceFacts['available']): void {
  const issues = new IssueList()
  const wanted = new Map<string, { sku: string; quantity: number }>()
  for (const l of lines.filter((x) => x.reserve)) {
    const w = wanted.get(l.skuId) ?? wanted.set(l.skuId, { sku: l.sku, quantity: 0 }).get(l.skuId)!
    w.quantity += l.quantity
  }
  for (const [skuId, w] of wanted) {
    const a = available.get(skuId) ?? { onHand: 0, reserved: 0 }
    const free = a.onHand - a.reserved
    if (w.quantity > free)
      issues.add({
        field: 'lines',
        value: w.sku,
        message: `${w.sku}: ${w.quantity} to reserve, ${free} free (${a.onHand} on hand, ${a.reserved} reserved)`,
      })
  }
  issues.throwIfAny('order.cannot_reserve', 'not enough free stock to reserve')
}

/** Cancelling what has not shipped of an order: its reservations are released (they count open lines only). */
export function decideCancelOrder(
  cmd: CancelOrderRequest,
  f: { order: OrderFacts },
  ctx: op.DecideContext,
): op.OperationPlan {
  refuseClosed(f.order)
  return op.planOperation(ctx, {
    type: 'order_cancelled',
    document: { type: 'sales_order', existingId: f.order.id, number: f.order.number },
    to: null,
    from: f.order.site,
    reason: cmd.reason ?? 'cancelled',
    occurredAt: ctx.now.toISOString(),
    payload: { salesOrder: f.order.number },
    units: [],
    quantities: [],
  })
}
