import { idsOf, loadQuantities, type QuantityFact, refsOf, stockOperation } from '../operations/index.js'
import { recallsAffecting } from '../quality/index.js'
import { resolveUnits } from '../units/index.js'
import type { Executor } from '../../db/database.js'
import { getOrder, loadHolds } from './orders.queries.js'
import { decideCancelOrder, decidePickOrder, decideShipOrder } from './orders.rules.js'
import { CancelOrderRequest, OrderNumberParam, PickOrderRequest, ShipOrderRequest } from './orders.schemas.js'

/** The units a command names, each once, and the serials it lists more than once. */
async function scannedUnits(trx: Executor, units: Parameters<typeof refsOf>[0]) {
  const seen = new Set<string>()
  const duplicates: string[] = []
  const refs = refsOf(units).filter((r) => {
    if (!seen.has(r.serial)) return seen.add(r.serial)
    duplicates.push(r.serial)
    return false
  })
  return { duplicates, units: await resolveUnits(trx, refs) }
}

/**
 * An order, the units scanned for it (each once), the quantity lines `quantitiesOf` loads (after the
 * units, so refusals keep their order), what other open orders hold of them, and the open recalls
 * covering the units.
 */
async function loadOrderScan<Q extends QuantityFact[] | []>(
  trx: Executor,
  cmd: { number: string; units: Parameters<typeof refsOf>[0] },
  quantitiesOf: () => Promise<Q>,
) {
  const order = await getOrder(trx, cmd.number)
  const scanned = await scannedUnits(trx, cmd.units)
  const quantities = await quantitiesOf()
  const holds = await loadHolds(trx, scanned.units, quantities, order.id)
  const recalls = await recallsAffecting(trx, idsOf(scanned.units))
  return { order, ...scanned, quantities, holds, recalls }
}

/**
 * Records scanned units as picked for an order: one `order_picked` event on its document. From then on
 * the units are reserved for it: no other order and no plain sale may take them until the order ships
 * them or is cancelled (or completed without them).
 */
export const pickOrder = stockOperation({
  name: 'pickOrder',
  url: '/orders/:number/picks',
  summary: 'Record scanned units as picked for a sales order (reserved for it until shipped or cancelled)',
  tag: 'orders',
  policy: 'stock.operate',
  params: OrderNumberParam,
  body: PickOrderRequest,
  events: ['order_picked'],
  document: 'sales_order',
  load: async (trx, cmd) => {
    const { quantities: _none, ...facts } = await loadOrderScan(trx, cmd, async () => [] as [])
    return facts
  },
  decide: decidePickOrder,
})

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
  load: (trx, cmd) => loadOrderScan(trx, cmd, () => loadQuantities(trx, cmd.quantities, (q) => q.location, -1)),
  decide: decideShipOrder,
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
