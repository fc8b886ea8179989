import { AppError, IssueList } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import { applyOverrides, failedChecks, type FailedCheck } from './return-checks.rules.js'
import type { ReturnRequest } from './sales.schemas.js'

export interface ReturnFacts {
  location: op.LocationFact
  customer?: { id: string }
  units: op.UnitFact[]
  /** When each unit (by id) was sold and its SKU's return window. */
  sales: ReadonlyMap<string, { soldAt: string | null; returnWindowDays: number }>
  quantities: op.QuantityFact[]
}

/** Refuses a return with failed checks that no manager overrode, naming each unit and check. */
function refuseUnverified(standing: readonly FailedCheck[], cmd: ReturnRequest): void {
  const issues = new IssueList()
  for (const f of standing) {
    const i = cmd.units.findIndex((u) => (typeof u === 'string' ? u : u.serial) === f.serial)
    const hint = f.overridable ? ' (a manager may override it)' : ''
    issues.add({ row: i + 1, field: `units[${i}]`, value: f.serial, message: `${f.check}: ${f.message}${hint}` })
  }
  issues.throwIfAny('return.unverified', 'return not verified')
}

/**
 * Who the return comes from: the customer named, else the one buyer of its units (a return verified by its
 * order), so the return document names its party as the sale did (an EPCIS export's source owning party).
 */
function returningParty(f: ReturnFacts): string | undefined {
  if (f.customer) return f.customer.id
  const buyers = new Set(f.units.map((u) => u.customerId))
  const [only] = buyers
  return buyers.size === 1 && only ? only : undefined
}

/**
 * A customer return: each sold unit is verified (SKU, sold by us, to this customer or order, within the
 * return window, not returned already), then it and any quantities come back into a location, status
 * `returned`. Overridden checks are kept on the event with the manager's reason.
 */
export function decideReturn(cmd: ReturnRequest, f: ReturnFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, cmd.quantities)
  const occurredAt = op.businessTime(cmd.returnedAt, ctx.now)
  const claim = { sku: cmd.sku, customerId: f.customer?.id, orderRef: cmd.orderRef, returnedAt: occurredAt }
  const failed = f.units.flatMap((unit) => failedChecks({ unit, ...f.sales.get(unit.id)! }, claim))
  const { overridden, standing } = applyOverrides(failed, cmd.overrides)
  refuseUnverified(standing, cmd)
  const unused = cmd.overrides.filter((o) => !overridden.some((x) => x.serial === o.serial && x.check === o.check))
  if (unused.length > 0)
    throw new AppError(
      'return.unverified',
      `override of ${unused[0]!.check} for ${unused[0]!.serial}: that check did not fail, nothing to override`,
    )
  return op.planOperation(ctx, {
    type: 'returned',
    document: { type: 'return', prefix: 'RMA', partyId: returningParty(f), reference: cmd.orderRef },
    to: f.location,
    from: null,
    reason: cmd.reason ?? 'customer return',
    occurredAt,
    payload: {
      customerId: f.customer?.id,
      orderRef: cmd.orderRef,
      ...(overridden.length > 0 && {
        overrides: overridden.map((o) => ({ serial: o.serial, check: o.check, message: o.message, reason: o.reason })),
      }),
    },
    units: f.units,
    quantities: op.plannedQuantities(f.quantities, 1),
  })
}
