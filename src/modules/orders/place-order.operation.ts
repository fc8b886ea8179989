import type { Executor } from '../../db/database.js'
import { findSkuByCode } from '../catalog/index.js'
import { canonicalJson } from '../ledger/index.js'
import { findOnHand } from '../stock/index.js'
import { getPartyByCode } from '../parties/index.js'
import { resolveUnits } from '../units/index.js'
import { recallsAffecting } from '../quality/index.js'
import { refuseRecalled } from '../quality/quality.rules.js'
import { defineOperation, loadLocation, type QuantityFact, refOfSerial, writePlan } from '../operations/index.js'
import { findOrder, loadHolds, onHandInside, reservedAt } from './orders.queries.js'
import { decidePlaceOrder, orderStatus, type PlaceFacts } from './orders.rules.js'
import { PlacedOrder, PlaceOrderRequest } from './orders.schemas.js'

/** The events already on an order: what a retried order with the same external reference is answered. */
async function eventsOf(db: Executor, documentId: string) {
  const rows = await db
    .selectFrom('event')
    .select(['seq', 'type'])
    .where('document_id', '=', documentId)
    .orderBy('seq')
    .execute()
  return {
    placed: Number(rows.find((r) => r.type === 'order_placed')?.seq ?? 0),
    shipment: rows.some((r) => r.type === 'sold') ? Number(rows.find((r) => r.type === 'sold')!.seq) : null,
  }
}

/**
 * Places a sales order (API, import, UI, a shop) or records a completed sale (a till): the order and,
 * when completed, its sale, in one transaction. Idempotent on `externalRef`: the same order sent again
 * is answered with the first one and writes nothing.
 */
export const placeOrder = defineOperation({
  name: 'placeOrder',
  url: '/orders',
  summary: 'Place a sales order, or record a completed POS/shop sale (idempotent on externalRef)',
  tag: 'orders',
  policy: 'stock.operate',
  body: PlaceOrderRequest,
  response: PlacedOrder,
  events: ['order_placed', 'sold'],
  document: 'sales_order',
  bodyLimit: 16 * 1024 * 1024,
  load: async (
    trx,
    cmd,
  ): Promise<
    PlaceFacts & {
      existingEvents?: Awaited<ReturnType<typeof eventsOf>>
      recalls?: ReadonlyMap<string, string>
    }
  > => {
    const request = canonicalJson({ ...cmd, placedAt: undefined })
    const existing = cmd.externalRef ? await findOrder(trx, { externalRef: cmd.externalRef }) : undefined
    const none = { skus: [], available: new Map(), units: [], quantities: [], request }
    if (existing) return { ...none, existing, existingEvents: await eventsOf(trx, existing.id) }
    const customer = cmd.customer ? await getPartyByCode(trx, cmd.customer, 'customer') : undefined
    const site = await loadLocation(trx, cmd.site)
    const skus: PlaceFacts['skus'] = []
    for (const l of cmd.lines) skus.push(await findSkuByCode(trx, l.sku))
    const reserving = [...new Set(cmd.lines.flatMap((l, i) => (l.reserve && skus[i] ? [skus[i].id] : [])))]
    const available = new Map<string, { onHand: number; reserved: number }>()
    if (site && reserving.length > 0) {
      const [onHand, held] = [await onHandInside(trx, site, reserving), await reservedAt(trx, site.id)]
      for (const id of reserving) available.set(id, { onHand: onHand.get(id) ?? 0, reserved: held.get(id) ?? 0 })
    }
    const units = []
    const quantities: QuantityFact[] = []
    if (cmd.completed)
      for (const [i, l] of cmd.lines.entries()) {
        const sku = skus[i]
        units.push(l.serials?.length ? await resolveUnits(trx, l.serials.map(refOfSerial), `lines[${i}].serials`) : [])
        if (sku?.tracking === 'quantity' && site)
          quantities.push({
            field: `lines[${i}]`,
            sku,
            lotId: null,
            location: site,
            quantity: l.quantity,
            onHand: await findOnHand(trx, { skuId: sku.id, locationId: site.id, lotId: null }),
          })
      }
    const holds = cmd.completed ? await loadHolds(trx, units.flat(), quantities) : undefined
    const scanned = units.flat().map((u) => u.id)
    const recalls = scanned.length > 0 ? await recallsAffecting(trx, scanned) : undefined
    return { customer, site, skus, available, units, quantities, holds, recalls, request }
  },
  // A till's completed sale is a sale scan: a unit an open recall covers is refused naming the recall.
  decide: (cmd, facts, ctx) => {
    if (facts.recalls) {
      const fields = facts.units.flatMap((line, i) => line.map((_, j) => `lines[${i}].serials[${j}]`))
      refuseRecalled(facts.units.flat(), facts.recalls, 'sold', (k) => fields[k]!)
    }
    return { ...decidePlaceOrder(cmd, facts, ctx), existingEvents: facts.existingEvents }
  },
  write: async (scope, plan): Promise<PlacedOrder> => {
    if (plan.kind === 'replay') {
      const o = plan.order
      return {
        id: o.id,
        number: o.number,
        status: orderStatus(o),
        placedEventSeq: plan.existingEvents?.placed ?? 0,
        shipmentEventSeq: plan.existingEvents?.shipment ?? null,
        replayed: true,
      }
    }
    const placed = await writePlan(scope, plan.placed)
    const shipment = plan.shipment
      ? await writePlan(scope, {
          ...plan.shipment,
          document: { type: 'sales_order', existingId: placed.documentId, number: placed.number },
          payload: { ...plan.shipment.payload, salesOrder: placed.number },
        })
      : undefined
    return {
      id: placed.documentId,
      number: placed.number,
      status: shipment ? 'shipped' : 'open',
      placedEventSeq: placed.eventSeq,
      shipmentEventSeq: shipment?.eventSeq ?? null,
      replayed: false,
    }
  },
})
