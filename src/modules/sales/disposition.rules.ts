import { AppError, IssueList } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import type { UnitEventType } from '../units/unit-status.rules.js'
import * as op from '../operations/operations.rules.js'
import { decideOpenClaim } from '../quality/quality.rules.js'
import type { Disposition, DispositionRequest } from './sales.schemas.js'

/** The ledger event of each disposition of a returned unit. */
export const DISPOSITION_EVENTS = {
  restock: 'restocked',
  open_box: 'restocked_open_box',
  repair: 'repair_started',
  vendor: 'returned_to_vendor',
  scrap: 'scrapped',
} as const satisfies Record<Disposition, UnitEventType>

export interface DispositionFacts {
  units: op.UnitFact[]
  location?: op.LocationFact
  /** A vendor disposition's claim: its supplier and the supplier each unit came from. */
  claim?: Parameters<typeof decideOpenClaim>[1]
}

/**
 * What a disposition writes: its one event or, for a vendor disposition with a claim, the claim
 * (`claim_opened`) and then the units back to the vendor on that claim's document.
 */
export interface DispositionPlan {
  plans: op.OperationPlan[]
}

/** What happens to returned units: each disposition is one ledger event on units still `returned`. */
export function decideDisposition(
  cmd: DispositionRequest,
  f: DispositionFacts,
  ctx: op.DecideContext,
): DispositionPlan {
  const plan = decideDispositionEvent(cmd, f, ctx)
  if (!cmd.claim) return { plans: [plan] }
  if (cmd.disposition !== 'vendor')
    throw new AppError(
      'return.invalid_disposition',
      `a supplier claim goes with the vendor disposition, not ${cmd.disposition}`,
    )
  const { reason, reference, number } = cmd.claim
  const claim = decideOpenClaim({ number, reason, reference, openedAt: cmd.at }, f.claim!, ctx)
  return {
    plans: [
      claim,
      { ...plan, reason: 'supplier claim', payload: { ...plan.payload, supplierId: f.claim!.supplier.id } },
    ],
  }
}

function decideDispositionEvent(cmd: DispositionRequest, f: DispositionFacts, ctx: op.DecideContext) {
  op.refuseEmpty(cmd.units, [])
  const issues = new IssueList()
  f.units.forEach((u, i) => {
    if (u.status !== 'returned')
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.serial} is ${u.status}, not returned`,
      })
  })
  issues.throwIfAny('return.invalid_disposition', 'only returned units take a disposition')
  if (cmd.disposition === 'repair' && !f.location)
    throw new AppError('return.invalid_disposition', 'sending to repair needs the location of the repair bench')
  if (cmd.disposition === 'open_box' && cmd.price === undefined)
    throw new AppError('return.invalid_disposition', 'an open-box restock needs its price')
  const openBox = cmd.disposition === 'open_box'
  return op.planOperation(ctx, {
    type: DISPOSITION_EVENTS[cmd.disposition],
    document: { type: 'return', prefix: 'RMD' },
    to: cmd.disposition === 'repair' ? f.location! : null,
    from: null,
    reason: cmd.reason ?? `return disposition: ${cmd.disposition.replace('_', '-')}`,
    occurredAt: op.businessTime(cmd.at, ctx.now),
    payload: openBox
      ? { disposition: cmd.disposition, condition: 'open_box', label: 'open-box', warrantyMonths: cmd.warrantyMonths }
      : { disposition: cmd.disposition },
    units: f.units,
    unitPrices: openBox ? f.units.map(() => toMinor(cmd.price!)) : undefined,
    quantities: [],
  })
}
