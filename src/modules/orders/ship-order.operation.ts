import { refsOf, loadQuantities, OPERATION_BODY_LIMIT, stockOperation } from '../operations/index.js'
import { recallsAffecting } from '../quality/index.js'
import { refuseRecalled } from '../quality/quality.rules.js'
import { resolveUnits } from '../units/index.js'
import { getOrder, onHandInside, reservedAt } from './orders.queries.js'
import { decideCancelOrder, decideShipOrder } from './orders.rules.js'
import { CancelOrderRequest, OrderNumberParam, ShipOrderRequest } from './orders.schemas.js'

/**
 * Ships the picked part of an order: the scanned units and counted quantities, checked against the
 * order's lines, leave as one sale event on the order's document. What stays open is the back-order.
 */
export const shipOrder = stockOperation({
  name: 'shipOrder',
  url: '/orders/:number/shipments',
  summary: 'Ship the picked units and quantities of a sales order (one sale event on the order)',
  tag: 'orders',
  policy: 'stock.operate',
  params: OrderNumberParam,
  body: ShipOrderRequest,
  events: ['sold'],
  document: 'sales_order',
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => {
    const order = await getOrder(trx, cmd.number)
    const seen = new Set<string>()
    const duplicates: string[] = []
    const refs = refsOf(cmd.units).filter((r) => {
      if (!seen.has(r.serial)) return seen.add(r.serial)
      duplicates.push(r.serial)
      return false
    })
    const quantities = await loadQuantities(trx, cmd.quantities, (q) => q.location, -1)
    const skuIds = [...new Set(quantities.map((q) => q.sku.id))]
    let held: Map<string, { onHand: number; reserved: number }> | undefined
    if (order.site && skuIds.length > 0) {
      const [onHand, reserved] = [
        await onHandInside(trx, order.site, skuIds),
        await reservedAt(trx, order.site.id, order.id),
      ]
      held = new Map(skuIds.map((id) => [id, { onHand: onHand.get(id) ?? 0, reserved: reserved.get(id) ?? 0 }]))
    }
    const units = await resolveUnits(trx, refs)
    const recalls = await recallsAffecting(
      trx,
      units.map((u) => u.id),
    )
    return { order, duplicates, units, quantities, held, recalls }
  },
  // A shipment is a sale scan: a unit an open recall covers is refused naming the recall.
  decide: (cmd, f, ctx) => {
    refuseRecalled(f.units, f.recalls, 'sold')
    return decideShipOrder(cmd, f, ctx)
  },
})

/** Cancels what has not shipped of an order, releasing its reservations. */
export const cancelOrder = stockOperation({
  name: 'cancelOrder',
  url: '/orders/:number/cancellation',
  summary: 'Cancel the unshipped part of a sales order (releases its reservations)',
  tag: 'orders',
  policy: 'stock.operate',
  params: OrderNumberParam,
  body: CancelOrderRequest,
  events: ['order_cancelled'],
  document: 'sales_order',
  bodyLimit: 64 * 1024,
  load: async (trx, cmd) => ({ order: await getOrder(trx, cmd.number) }),
  decide: decideCancelOrder,
})
