/*
 * A unit's effective warranty, as a pure and explainable function: which rule gave the term (the SKU's
 * policy, a term by sale date or life-cycle stage, its lot's override, the unit's own override, an
 * extended warranty bought on the sale line, or the remaining term of the unit it replaced), when it
 * starts and ends, and whether it is in force now. No I/O: the queries gather the facts.
 */

/** Where a SKU's warranty starts counting. */
export const WARRANTY_STARTS = ['sale', 'receipt'] as const
export type WarrantyStart = (typeof WARRANTY_STARTS)[number]

/** How a replacement unit's warranty is set: what was left of the replaced one, or at least N days. */
export const REPLACEMENT_RULES = ['remaining', 'remaining_or_days'] as const
export type ReplacementRule = (typeof REPLACEMENT_RULES)[number]

/** A term that applies to units sold in a date range (and, once life-cycle stages exist, in a stage). */
export interface SaleDateTerm {
  /** First sale day it applies to (YYYY-MM-DD), inclusive. */
  soldFrom: string
  /** Day it stops applying, exclusive; open-ended when absent. */
  soldBefore?: string
  /** The life-cycle stage it applies to (issue 16); when set, only a sale in that stage matches. */
  stage?: string
  months: number
  label: string
}

/** A SKU's warranty policy (its reference data); `months` falls back to the SKU's own warranty months. */
export interface WarrantyPolicy {
  months: number
  startsAt: WarrantyStart
  coverage: string | null
  termsBySaleDate: SaleDateTerm[]
  replacementRule: ReplacementRule
  replacementMinDays: number
  /** The supplier's warranty to us, kept apart from the customer's. */
  supplierMonths: number
  supplierStartsAt: WarrantyStart
  publicCheck: boolean
}

/** A term that overrides the SKU's for one lot or one unit (a promotion, refurbished, open-box). */
export interface TermOverride {
  months: number
  label: string
}

/** Everything the effective warranty of one unit is computed from. */
export interface WarrantyFacts {
  policy: WarrantyPolicy
  receivedAt: string
  soldAt: string | null
  /** The SKU's life-cycle stage at the time of sale, when known (issue 16). */
  stageAtSale?: string
  lotOverride?: TermOverride
  /** The latest of the unit's own terms (a `warranty_term_set` or an open-box restock). */
  unitOverride?: TermOverride
  /** An extended warranty bought on the sale line: extra months on top of the base term. */
  extended?: { months: number; priceMinor: number }
  /** The unit this one replaced under a claim, and the end of the warranty it inherits (YYYY-MM-DD). */
  replacementOf?: { serial: string; endsOn: string }
  voided?: { reason: string; at: string }
}

export type WarrantyStatus = 'in_warranty' | 'expired' | 'not_sold' | 'void' | 'none'
export type WarrantyRule = 'sku_policy' | 'sale_date_term' | 'lot_override' | 'unit_override' | 'replacement'

export interface EffectiveWarranty {
  status: WarrantyStatus
  rule: WarrantyRule
  months: number
  extendedMonths: number
  startsOn: string | null
  endsOn: string | null
  /** One sentence per rule that shaped the result, in the order they apply. */
  explanation: string[]
}

const day = (iso: string) => iso.slice(0, 10)

/** Adds whole months to a date, clamping to the month's last day (Jan 31 + 1 month = Feb 28). */
export function addMonths(isoDate: string, months: number): string {
  const d = new Date(day(isoDate))
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return target.toISOString().slice(0, 10)
}

/** Adds days to a date (YYYY-MM-DD). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(day(isoDate))
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10)
}

/** Whole days from one date to another (YYYY-MM-DD or instants; the time of day is ignored). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(day(to)) - Date.parse(day(from))) / 86_400_000)

/**
 * The term a SKU gives a unit sold on `soldAt`, and, once issue 16 lands, in life-cycle `stage`: the
 * first matching term by sale date (and stage), else the policy's months. This is the seam the stage
 * plugs into: a term naming a stage matches only a sale in that stage.
 */
export function termForSale(
  policy: WarrantyPolicy,
  soldAt: string,
  stage?: string,
): { months: number; term?: SaleDateTerm } {
  const d = day(soldAt)
  const term = policy.termsBySaleDate.find(
    (t) =>
      d >= t.soldFrom &&
      (t.soldBefore === undefined || d < t.soldBefore) &&
      (t.stage === undefined || t.stage === stage),
  )
  return term ? { months: term.months, term } : { months: policy.months }
}

/** The base term (before an extended warranty) and the rule that gave it, in order of precedence. */
function baseTerm(f: WarrantyFacts): { rule: WarrantyRule; months: number; why: string } {
  if (f.unitOverride)
    return { rule: 'unit_override', months: f.unitOverride.months, why: `unit term: ${f.unitOverride.label}` }
  if (f.lotOverride)
    return { rule: 'lot_override', months: f.lotOverride.months, why: `lot term: ${f.lotOverride.label}` }
  if (f.soldAt) {
    const { months, term } = termForSale(f.policy, f.soldAt, f.stageAtSale)
    if (term) return { rule: 'sale_date_term', months, why: `term for sales from ${term.soldFrom}: ${term.label}` }
  }
  return { rule: 'sku_policy', months: f.policy.months, why: `SKU policy: ${f.policy.months} months` }
}

/** A unit's effective warranty on `today`: its rule, start, end and status, with the reasons in words. */
export function effectiveWarranty(f: WarrantyFacts, today: string): EffectiveWarranty {
  const extendedMonths = f.extended?.months ?? 0
  if (f.replacementOf) {
    const why = `replacement for ${f.replacementOf.serial}: inherits its warranty to ${f.replacementOf.endsOn}`
    return finish(f, today, {
      rule: 'replacement',
      months: 0,
      extendedMonths: 0,
      startsOn: f.soldAt ? day(f.soldAt) : null,
      endsOn: f.replacementOf.endsOn,
      explanation: [why],
    })
  }
  const base = baseTerm(f)
  const start = f.policy.startsAt === 'receipt' ? f.receivedAt : f.soldAt
  const explanation = [`${base.why} (${base.months} months from ${f.policy.startsAt})`]
  if (extendedMonths > 0) explanation.push(`extended warranty bought with the sale: +${extendedMonths} months`)
  return finish(f, today, {
    rule: base.rule,
    months: base.months,
    extendedMonths,
    startsOn: start ? day(start) : null,
    endsOn:
      start && base.months + extendedMonths > 0 ? addDays(addMonths(start, base.months + extendedMonths), -1) : null,
    explanation,
  })
}

function finish(f: WarrantyFacts, today: string, w: Omit<EffectiveWarranty, 'status'>): EffectiveWarranty {
  if (f.voided) return { ...w, status: 'void', explanation: [...w.explanation, `voided: ${f.voided.reason}`] }
  if (!f.soldAt) return { ...w, status: 'not_sold' }
  if (!w.endsOn) return { ...w, status: 'none' }
  return { ...w, status: day(today) <= w.endsOn ? 'in_warranty' : 'expired' }
}

/**
 * The warranty end of a replacement unit given on `today` for a unit whose warranty ends on `endsOn`:
 * the remaining term to the day, or (rule `remaining_or_days`) at least `minDays` from today.
 */
export function replacementEnd(policy: WarrantyPolicy, endsOn: string, today: string): string {
  if (policy.replacementRule === 'remaining') return endsOn
  const floor = addDays(today, policy.replacementMinDays)
  return floor > endsOn ? floor : endsOn
}

/** The supplier's warranty to us for a unit (from our receipt by default), apart from the customer's. */
export function supplierWarranty(
  policy: WarrantyPolicy,
  receivedAt: string,
  soldAt: string | null,
  today: string,
): { months: number; endsOn: string | null; covered: boolean } {
  const start = policy.supplierStartsAt === 'receipt' ? receivedAt : soldAt
  if (policy.supplierMonths <= 0 || !start) return { months: policy.supplierMonths, endsOn: null, covered: false }
  const endsOn = addDays(addMonths(start, policy.supplierMonths), -1)
  return { months: policy.supplierMonths, endsOn, covered: day(today) <= endsOn }
}

/** An e-mail as compared: trimmed, lower case. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase()

/** A phone number as compared: digits only, a leading 00 read as +, the last 9 digits (drops country codes). */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/^\s*(\+|00)/, '').replace(/\D/g, '')
  return digits.slice(-9)
}

/** Who claims: any of these identify the buyer. */
export interface Claimant {
  customer?: string
  orderRef?: string
  email?: string
  phone?: string
}

/** The recorded owner of a unit, as the claimant is checked against. */
export interface Owner {
  customerCode: string | null
  orderRef: string | null
  email: string | null
  phone: string | null
}

/** Which of the claimant's identifiers match the recorded owner; an empty list means no match. */
export function claimantMatches(c: Claimant, o: Owner): string[] {
  const matches: string[] = []
  if (c.customer && o.customerCode && c.customer.toLowerCase() === o.customerCode.toLowerCase())
    matches.push('customer')
  if (c.orderRef && o.orderRef && c.orderRef.trim() === o.orderRef) matches.push('order')
  if (c.email && o.email && normaliseEmail(c.email) === normaliseEmail(o.email)) matches.push('email')
  const phone = c.phone ? normalisePhone(c.phone) : ''
  if (phone.length >= 6 && o.phone && phone === normalisePhone(o.phone)) matches.push('phone')
  return matches
}

/** A unit's ledger event, as the warranty reads it (its payload parsed). */
export interface WarrantyEvent {
  seq: number
  type: string
  occurredAt: string
  reason: string | null
  payload: Record<string, unknown>
}

type PerSerial<T> = Record<string, T> | undefined

/**
 * The unit's own warranty facts from its events, oldest first: the latest sale (and what it bought or
 * inherited), the latest term of its own, and a void or hand-over since that sale.
 */
export function unitWarrantyFacts(
  serial: string,
  events: readonly WarrantyEvent[],
): Pick<WarrantyFacts, 'unitOverride' | 'extended' | 'replacementOf' | 'voided'> & { transferred: boolean } {
  const saleAt = events.findLastIndex((e) => e.type === 'sold')
  const sale = events[saleAt]
  const since = events.slice(Math.max(saleAt, 0))
  const term = events.findLast(
    (e) =>
      e.type === 'warranty_term_set' || (e.type === 'restocked_open_box' && e.payload.warrantyMonths !== undefined),
  )
  const voided = since.findLast((e) => e.type === 'warranty_voided')
  const extended = (sale?.payload.extendedWarranty as PerSerial<{ months: number; priceMinor: number }>)?.[serial]
  const replacementOf = (sale?.payload.replacementFor as PerSerial<{ serial: string; endsOn: string }>)?.[serial]
  return {
    unitOverride: term
      ? { months: Number(term.payload.warrantyMonths), label: String(term.payload.label ?? term.type) }
      : undefined,
    extended,
    replacementOf,
    voided: voided ? { reason: voided.reason ?? 'voided', at: voided.occurredAt } : undefined,
    transferred: since.some((e) => e.type === 'warranty_transferred'),
  }
}
