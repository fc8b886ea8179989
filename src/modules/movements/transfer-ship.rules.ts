import { AppError } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import type { ShipTransferRequest } from './movements.schemas.js'

export interface ShipTransferFacts {
  from: op.LocationFact
  to: op.LocationFact
  units: op.UnitFact[]
  quantities: op.QuantityFact[]
}

/** A transfer goes between two sites: its goods leave `from` and are in transit until `to` receives them. */
export function decideShipTransfer(
  cmd: ShipTransferRequest,
  f: ShipTransferFacts,
  ctx: op.DecideContext,
): op.OperationPlan {
  op.refuseEmpty(f.units, f.quantities)
  const { from, to } = f
  if (op.isWithin(to, from) || op.isWithin(from, to))
    throw new AppError('transfer.invalid', `${from.code} and ${to.code} are the same site; use a move`)
  op.refuseUnitsOutside(f.units, from)
  op.refuseStockOutside(f.quantities, from)
  return op.planOperation(ctx, {
    type: 'transfer_shipped',
    document: { type: 'transfer', number: cmd.number, prefix: 'TRF', toLocationId: to.id },
    to,
    from,
    reason: 'transfer',
    occurredAt: op.businessTime(cmd.shippedAt, ctx.now),
    payload: op.containersTaken(cmd.containers),
    units: f.units,
    quantities: op.plannedQuantities(f.quantities, -1),
  })
}
