import {
  businessTime,
  type DecideContext,
  type OperationPlan,
  planOperation,
  refuseEmpty,
  type UnitFact,
} from '../operations/operations.rules.js'
import type { RestockRequest } from './adjustments.schemas.js'

/** Returned, quarantined or repaired units go back into sellable stock where they are. */
export function decideRestock(cmd: RestockRequest, units: UnitFact[], ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, [])
  return planOperation(ctx, {
    type: 'restocked',
    document: { type: 'adjustment', prefix: 'RST' },
    to: null,
    from: null,
    reason: cmd.reason ?? 'restock',
    occurredAt: businessTime(cmd.restockedAt, ctx.now),
    payload: {},
    units,
    quantities: [],
  })
}
