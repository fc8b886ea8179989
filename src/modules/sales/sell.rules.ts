import { toMinor } from '../../core/money.js'
import * as op from '../operations/operations.rules.js'
import { type Holds, refuseHeld } from '../orders/holds.rules.js'
import type { SellRequest } from './sales.schemas.js'

export interface SellFacts {
  customer?: { id: string }
  from?: op.LocationFact
  units: op.UnitFact[]
  /** List price per SKU id, for units sold without a price of their own. */
  listPrices: ReadonlyMap<string, number>
  quantities: op.QuantityFact[]
  /** What open sales orders hold of these units and quantities (picked units, reserved stock). */
  holds?: Holds
}

/** Whether a sale names its own prices (a price change, which needs `price.override`). */
export const namesOwnPrices = (cmd: SellRequest): boolean =>
  cmd.units.some((u) => typeof u !== 'string' && u.price !== undefined) ||
  cmd.quantities.some((q) => q.price !== undefined)

/** A sale: in-stock units (at the selling store when named) and quantities leave to a customer. */
export function decideSell(cmd: SellRequest, f: SellFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, cmd.quantities)
  if (f.from) op.refuseUnitsOutside(f.units, f.from)
  refuseHeld(f.units, f.quantities, f.holds)
  const prices = f.units.map((u, i) => {
    const ref = cmd.units[i]
    const given = typeof ref === 'string' ? undefined : ref?.price
    return given !== undefined ? toMinor(given) : f.listPrices.get(u.skuId)!
  })
  return op.planOperation(ctx, {
    type: 'sold',
    document: { type: 'order', number: cmd.number, prefix: 'ORD', partyId: f.customer?.id, reference: cmd.orderRef },
    to: null,
    from: f.from ?? null,
    reason: 'sale',
    occurredAt: op.businessTime(cmd.soldAt, ctx.now),
    payload: { customerId: f.customer?.id, orderRef: cmd.orderRef },
    units: f.units,
    unitPrices: prices,
    quantities: op.plannedQuantities(f.quantities, -1),
  })
}
