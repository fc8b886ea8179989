/*
 * Warranty claims, voids and hand-overs, as pure deciders: the claimant is checked against the recorded
 * buyer, the unit against its effective warranty, and the outcome becomes ledger events (the claim, and a
 * repair, the faulty unit's return or a no-charge replacement sale). No I/O.
 */
import { AppError } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import * as op from '../operations/operations.rules.js'
import type {
  ClaimOutcome,
  ClaimRequest,
  RepairReturnRequest,
  TransferRequest,
  UnitTermRequest,
  VoidRequest,
} from './warranty.schemas.js'
import {
  type Claimant,
  claimantMatches,
  type EffectiveWarranty,
  effectiveWarranty,
  type Owner,
  replacementEnd,
  supplierWarranty,
  type WarrantyFacts,
} from './warranty.rules.js'

/** What a claim (or a hand-over) is decided on. */
export interface ClaimFacts {
  unit: op.UnitFact
  /** What the unit's warranty is computed from, on the claim's business day. */
  warranty: WarrantyFacts
  owner: Owner
  location?: op.LocationFact
  replacement?: op.UnitFact
}

/** The unit's warranty and the supplier's, on the day of `occurredAt`. */
export function warrantiesOn(f: WarrantyFacts, occurredAt: string) {
  const day = occurredAt.slice(0, 10)
  return {
    warranty: effectiveWarranty(f, day),
    supplierCovered: supplierWarranty(f.policy, f.receivedAt, f.soldAt, day).covered,
  }
}

/** A claim's plan: its events in order (the first creates the claim document), and what to answer. */
export interface ClaimPlan {
  outcome: ClaimOutcome
  plans: op.OperationPlan[]
  matchedBy: string[]
  replacementEndsOn: string | null
  supplierCovered: boolean
}

const label = (u: op.UnitFact) => `${u.skuCode} ${u.serial}`

/** Refuses a unit we did not sell, a claimant who is not its recorded owner, and a void warranty. */
export function checkOwnership(unit: op.UnitFact, w: EffectiveWarranty, owner: Owner, claimant: Claimant): string[] {
  if (unit.status !== 'sold' || w.status === 'not_sold')
    throw new AppError('warranty.not_sold', `${label(unit)} is ${unit.status}: we have no sale of it to claim against`)
  if (Object.values(claimant).every((v) => v === undefined))
    throw new AppError('warranty.invalid', 'name the claimant: customer code, order number, e-mail or phone')
  if (!owner.customerCode && !owner.orderRef)
    throw new AppError('warranty.claimant_mismatch', `${label(unit)} was sold without a recorded buyer`)
  const matchedBy = claimantMatches(claimant, owner)
  if (matchedBy.length === 0)
    throw new AppError(
      'warranty.claimant_mismatch',
      `the claimant does not match the recorded buyer of ${label(unit)} (customer, order, e-mail or phone)`,
    )
  if (w.status === 'void')
    throw new AppError('warranty.void', `the warranty of ${label(unit)} is void: ${w.explanation.at(-1)}`)
  return matchedBy
}

/** What an outcome needs: a place for the unit, an in-stock replacement of the same SKU, a reason to reject. */
function refuseIncomplete(cmd: ClaimRequest, f: ClaimFacts): void {
  if (cmd.outcome !== 'reject' && !f.location)
    throw new AppError('warranty.invalid', `a ${cmd.outcome} needs the location the unit goes to`)
  if (cmd.outcome === 'reject' && !cmd.reason) throw new AppError('warranty.invalid', 'a rejection needs a reason')
  if (cmd.outcome !== 'replace') return
  const r = f.replacement
  if (!r) throw new AppError('warranty.invalid', 'a replacement needs the serial of the unit given instead')
  if (r.status !== 'in_stock' || r.skuId !== f.unit.skuId)
    throw new AppError(
      'warranty.replacement_unavailable',
      `replacement ${label(r)} is ${r.status}; it must be an in-stock unit of ${f.unit.skuCode}`,
    )
}

/** A warranty claim: checks, then the claim event and the events of its outcome. */
export function decideClaim(cmd: ClaimRequest, f: ClaimFacts, ctx: op.DecideContext): ClaimPlan {
  const occurredAt = op.businessTime(cmd.claimedAt, ctx.now)
  const { warranty, supplierCovered } = warrantiesOn(f.warranty, occurredAt)
  const matchedBy = checkOwnership(f.unit, warranty, f.owner, cmd.claimant)
  if (cmd.outcome !== 'reject' && warranty.status !== 'in_warranty')
    throw new AppError(
      'warranty.expired',
      `the warranty of ${label(f.unit)} ended on ${warranty.endsOn ?? '(no warranty)'}; ` +
        'only a rejection can be recorded',
    )
  refuseIncomplete(cmd, f)
  const document = {
    type: 'warranty_claim' as const,
    number: cmd.number,
    prefix: 'WC',
    partyId: f.unit.customerId,
    reference: f.unit.serial,
    data: { outcome: cmd.outcome, fault: cmd.fault, serial: f.unit.serial },
  }
  const base = { document, from: null, occurredAt, quantities: [] }
  const refundMinor = cmd.refund === undefined ? undefined : toMinor(cmd.refund)
  const plans = [
    op.planOperation(ctx, {
      ...base,
      type: 'warranty_claimed',
      to: null,
      reason: cmd.outcome === 'reject' ? cmd.reason! : cmd.fault,
      payload: { outcome: cmd.outcome, fault: cmd.fault, matchedBy, supplierCovered, refundMinor },
      units: [f.unit],
    }),
  ]
  const replacementEndsOn =
    cmd.outcome === 'replace' ? replacementEnd(f.warranty.policy, warranty.endsOn!, occurredAt.slice(0, 10)) : null
  if (cmd.outcome === 'repair')
    plans.push(
      op.planOperation(ctx, {
        ...base,
        type: 'repair_started',
        to: f.location!,
        reason: cmd.fault,
        payload: {},
        units: [f.unit],
      }),
    )
  if (cmd.outcome === 'replace' || cmd.outcome === 'refund')
    plans.push(
      op.planOperation(ctx, {
        ...base,
        type: 'returned',
        to: f.location!,
        reason: `warranty ${cmd.outcome}`,
        payload: { customerId: f.unit.customerId ?? undefined, refundMinor },
        units: [f.unit],
      }),
    )
  if (cmd.outcome === 'replace') {
    const r = f.replacement!
    plans.push(
      op.planOperation(ctx, {
        ...base,
        type: 'sold',
        to: null,
        reason: 'warranty replacement',
        payload: {
          customerId: f.unit.customerId ?? undefined,
          replacementFor: { [r.serial]: { serial: f.unit.serial, endsOn: replacementEndsOn } },
        },
        units: [r],
        unitPrices: [0],
      }),
    )
  }
  return { outcome: cmd.outcome, plans, matchedBy, replacementEndsOn, supplierCovered }
}

/** Voiding a warranty (damage, tampering): a manager's act with a reason, once. */
export function decideVoid(cmd: VoidRequest, f: Pick<ClaimFacts, 'unit' | 'warranty'>, ctx: op.DecideContext) {
  if (f.warranty.voided) throw new AppError('warranty.void', `the warranty of ${label(f.unit)} is void already`)
  return planWarrantyEvent(ctx, {
    type: 'warranty_voided',
    document: { type: 'warranty_claim', prefix: 'WV', partyId: f.unit.customerId, reference: f.unit.serial },
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.at, ctx.now),
    payload: {},
    units: [f.unit],
  })
}

/** A hand-over: the current owner (checked like a claimant) gives the unit's warranty to a new customer. */
export function decideTransfer(
  cmd: TransferRequest,
  f: Pick<ClaimFacts, 'unit' | 'warranty' | 'owner'> & { to: { id: string; code: string } },
  ctx: op.DecideContext,
) {
  const occurredAt = op.businessTime(cmd.at, ctx.now)
  const matchedBy = checkOwnership(f.unit, warrantiesOn(f.warranty, occurredAt).warranty, f.owner, cmd.claimant)
  if (f.to.id === f.unit.customerId)
    throw new AppError('warranty.invalid', `${f.to.code} already owns ${label(f.unit)}`)
  return planWarrantyEvent(ctx, {
    type: 'warranty_transferred',
    document: { type: 'warranty_claim', prefix: 'WT', partyId: f.to.id, reference: f.unit.serial },
    reason: `warranty handed to ${f.to.code}`,
    occurredAt,
    payload: { customerId: f.to.id, fromCustomerId: f.unit.customerId, matchedBy },
    units: [f.unit],
  })
}

/** Units given a warranty term of their own (a promotion, refurbished units): one event over them all. */
export function decideUnitTerm(cmd: UnitTermRequest, f: { units: readonly op.UnitFact[] }, ctx: op.DecideContext) {
  op.refuseEmpty(cmd.units, [])
  return planWarrantyEvent(ctx, {
    type: 'warranty_term_set',
    document: { type: 'warranty_claim', prefix: 'WTS' },
    reason: cmd.label,
    occurredAt: op.businessTime(cmd.at, ctx.now),
    payload: { warrantyMonths: cmd.months, label: cmd.label },
    units: f.units,
  })
}

/** Repaired units handed back to their customers; the unit state machine takes each from `in_repair` to `sold`. */
export function decideRepairReturn(
  cmd: RepairReturnRequest,
  f: { units: readonly op.UnitFact[] },
  ctx: op.DecideContext,
) {
  op.refuseEmpty(cmd.units, [])
  return planWarrantyEvent(ctx, {
    type: 'repair_returned',
    document: { type: 'warranty_claim', prefix: 'RPR' },
    reason: cmd.reason ?? 'repaired',
    occurredAt: op.businessTime(cmd.at, ctx.now),
    payload: {},
    units: f.units,
  })
}

/**
 * The plan of a warranty event on units that stay where they are: a warranty document, no location
 * and no quantities (a void, a hand-over, a unit's own term, a repair handed back, a new check token).
 */
export const planWarrantyEvent = (
  ctx: op.DecideContext,
  e: Omit<op.OperationDraft, 'to' | 'from' | 'quantities'>,
): op.OperationPlan => op.planOperation(ctx, { ...e, to: null, from: null, quantities: [] })
