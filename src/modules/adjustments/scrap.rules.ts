import * as op from '../operations/operations.rules.js'
import type { ScrapRequest } from './adjustments.schemas.js'

export interface ScrapFacts {
  units: op.UnitFact[]
  quantities: op.QuantityFact[]
}

/** Units and quantities destroyed (damaged beyond repair); scrapped units never come back. */
export function decideScrap(cmd: ScrapRequest, f: ScrapFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, cmd.quantities)
  return op.planOperation(ctx, {
    type: 'scrapped',
    document: { type: 'scrap', prefix: 'SCR' },
    to: null,
    from: null,
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.scrappedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: op.plannedQuantities(f.quantities, -1),
  })
}
