/*
 * A verified return: before a sold unit is taken back, it must be of the SKU the customer names, sold by
 * us, to this customer or on this order, within the SKU's return window, and not already returned. Each
 * failed check is a named reason the clerk sees; a manager may override one with a recorded reason.
 */
import type { UnitFact } from '../units/unit-status.rules.js'

export const RETURN_CHECKS = [
  'unknown_serial',
  'wrong_sku',
  'never_sold',
  'already_returned',
  'not_returnable',
  'other_customer',
  'other_order',
  'no_buyer_named',
  'outside_window',
] as const
export type ReturnCheck = (typeof RETURN_CHECKS)[number]

/** Checks a manager may override: the unit was sold, but not as the return says. The others cannot be. */
export const OVERRIDABLE_CHECKS: readonly ReturnCheck[] = [
  'wrong_sku',
  'other_customer',
  'other_order',
  'no_buyer_named',
  'outside_window',
]

/** A returned unit with what its checks need: when it was sold and its SKU's return window. */
export interface ReturnUnit {
  unit: UnitFact
  soldAt: string | null
  returnWindowDays: number
}

/** What the customer says about the return. */
export interface ReturnClaim {
  sku?: string
  customerId?: string
  orderRef?: string
  returnedAt: string
}

export interface FailedCheck {
  serial: string
  check: ReturnCheck
  message: string
  overridable: boolean
}

const days = (from: string, to: string) => Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000)

/** Every check one unit fails, in the order a clerk reads them (empty when it may be taken back). */
export function failedChecks(r: ReturnUnit, c: ReturnClaim): FailedCheck[] {
  const u = r.unit
  const out: FailedCheck[] = []
  const fail = (check: ReturnCheck, message: string) =>
    out.push({ serial: u.serial, check, message, overridable: OVERRIDABLE_CHECKS.includes(check) })
  if (c.sku && c.sku.toLowerCase() !== u.skuCode.toLowerCase())
    fail('wrong_sku', `${u.serial} is a ${u.skuCode}, not a ${c.sku}`)
  if (u.status === 'in_stock') fail('never_sold', `${u.serial} was never sold: it is in our stock (a swap?)`)
  else if (u.status === 'returned') fail('already_returned', `${u.serial} has been returned already`)
  else if (u.status !== 'sold') fail('not_returnable', `${u.serial} is ${u.status}, not sold`)
  if (u.status !== 'sold') return out
  if (c.customerId && u.customerId !== c.customerId)
    fail('other_customer', `${u.serial} was sold to ${u.customerId ? 'another customer' : 'no named customer'}`)
  if (c.orderRef && u.orderRef !== c.orderRef)
    fail(
      'other_order',
      `${u.serial} is not on order ${c.orderRef}${u.orderRef ? ` (it was sold on ${u.orderRef})` : ''}`,
    )
  if (!c.customerId && !c.orderRef && u.customerId)
    fail('no_buyer_named', `${u.serial} was sold to a named customer: name the customer or the order`)
  if (r.soldAt && days(r.soldAt, c.returnedAt) > r.returnWindowDays)
    fail(
      'outside_window',
      `${u.serial} was sold ${days(r.soldAt, c.returnedAt)} days ago; the return window is ${r.returnWindowDays} days`,
    )
  return out
}

/** An override a manager gives: which unit, which check, and why. */
export interface CheckOverride {
  serial: string
  check: ReturnCheck
  reason: string
}

/**
 * Splits the failed checks into those overridden (each with its reason, kept on the event) and those
 * still standing. An override of a check that cannot be overridden leaves it standing.
 */
export function applyOverrides(failed: readonly FailedCheck[], overrides: readonly CheckOverride[]) {
  const overridden: (FailedCheck & { reason: string })[] = []
  const standing: FailedCheck[] = []
  for (const f of failed) {
    const o = overrides.find((x) => x.serial === f.serial && x.check === f.check)
    if (o && f.overridable) overridden.push({ ...f, reason: o.reason })
    else standing.push(f)
  }
  return { overridden, standing }
}
