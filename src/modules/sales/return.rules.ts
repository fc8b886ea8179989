import * as op from '../operations/operations.rules.js'
import type { ReturnRequest } from './sales.schemas.js'

export interface ReturnFacts {
  location: op.LocationFact
  customer?: { id: string }
  units: op.UnitFact[]
  quantities: op.QuantityFact[]
}

/** A customer return: sold units (and quantities) come back into a location, status `returned`. */
export function decideReturn(cmd: ReturnRequest, f: ReturnFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, cmd.quantities)
  return op.planOperation(ctx, {
    type: 'returned',
    document: { type: 'return', prefix: 'RMA', partyId: f.customer?.id, reference: cmd.orderRef },
    to: f.location,
    from: null,
    reason: cmd.reason ?? 'customer return',
    occurredAt: op.businessTime(cmd.returnedAt, ctx.now),
    payload: { customerId: f.customer?.id, orderRef: cmd.orderRef },
    units: f.units,
    quantities: op.plannedQuantities(f.quantities, 1),
  })
}
