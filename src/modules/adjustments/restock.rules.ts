import * as op from '../operations/operations.rules.js'
import type { RestockRequest } from './adjustments.schemas.js'

/** Returned, quarantined or repaired units go back into sellable stock where they are. */
export function decideRestock(cmd: RestockRequest, units: op.UnitFact[], ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, [])
  return op.planOperation(ctx, {
    type: 'restocked',
    document: { type: 'adjustment', prefix: 'RST' },
    to: null,
    from: null,
    reason: cmd.reason ?? 'restock',
    occurredAt: op.businessTime(cmd.restockedAt, ctx.now),
    payload: {},
    units,
    quantities: [],
  })
}
