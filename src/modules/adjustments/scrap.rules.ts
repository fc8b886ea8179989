import {
  businessTime,
  type DecideContext,
  type OperationPlan,
  planOperation,
  plannedQuantities,
  type QuantityFact,
  refuseEmpty,
  type UnitFact,
} from '../operations/operations.rules.js'
import type { ScrapRequest } from './adjustments.schemas.js'

export interface ScrapFacts {
  units: UnitFact[]
  quantities: QuantityFact[]
}

/** Units and quantities destroyed (damaged beyond repair); scrapped units never come back. */
export function decideScrap(cmd: ScrapRequest, f: ScrapFacts, ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, cmd.quantities)
  return planOperation(ctx, {
    type: 'scrapped',
    document: { type: 'scrap', prefix: 'SCR' },
    to: null,
    from: null,
    reason: cmd.reason,
    occurredAt: businessTime(cmd.scrappedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: plannedQuantities(f.quantities, -1),
  })
}
