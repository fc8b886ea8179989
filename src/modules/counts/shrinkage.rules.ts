/*
 * Shrinkage, custody and exceptions as pure functions over rows the queries read: what was lost where
 * and when (by location, SKU and period, as a share of stock value), who held a unit and where, and
 * which patterns deserve a look.
 */

import { LOCATED_STATUSES, TRANSITIONS, UNIT_EVENT_TYPES } from '../units/unit-status.rules.js'

export type Period = 'day' | 'week' | 'month'

/** The period an instant falls in: its day, the Monday of its week, or its month (UTC). */
export function periodOf(iso: string, period: Period): string {
  const d = new Date(iso)
  if (period === 'month') return iso.slice(0, 7)
  if (period === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
  return d.toISOString().slice(0, 10)
}

/** One loss: a unit posted lost, or a quantity of a lot/quantity SKU, with where it was last seen. */
export interface Loss {
  eventSeq: number
  occurredAt: string
  location: string | null
  sku: string
  skuName: string
  units: number
  quantity: number
  valueMinor: number
}

interface Tally {
  units: number
  quantity: number
  valueMinor: number
}

const add = (t: Tally, l: Loss) => {
  t.units += l.units
  t.quantity += l.quantity
  t.valueMinor += l.valueMinor
}
const empty = (): Tally => ({ units: 0, quantity: 0, valueMinor: 0 })

export interface ShrinkageSummary {
  total: Tally & { stockValueMinor: number; share: number }
  byLocation: (Tally & { location: string; stockValueMinor: number; share: number; events: number })[]
  bySku: (Tally & { sku: string; skuName: string })[]
  trend: (Tally & { period: string })[]
}

/**
 * Sums losses by location, SKU and period. A location's share is what it lost against its stock value
 * now plus what it lost (the stock it would have had); the trend lists every period in order.
 */
export function summarizeShrinkage(
  losses: readonly Loss[],
  stockValueMinor: ReadonlyMap<string, number>,
  period: Period,
): ShrinkageSummary {
  const byLocation = new Map<string, Tally & { events: Set<number> }>()
  const bySku = new Map<string, Tally & { skuName: string }>()
  const trend = new Map<string, Tally>()
  const total = empty()
  for (const l of losses) {
    add(total, l)
    const loc = l.location ?? '(unknown)'
    const atLoc = byLocation.get(loc) ?? byLocation.set(loc, { ...empty(), events: new Set() }).get(loc)!
    add(atLoc, l)
    atLoc.events.add(l.eventSeq)
    add(bySku.get(l.sku) ?? bySku.set(l.sku, { ...empty(), skuName: l.skuName }).get(l.sku)!, l)
    const p = periodOf(l.occurredAt, period)
    add(trend.get(p) ?? trend.set(p, empty()).get(p)!, l)
  }
  const share = (lost: number, stock: number) => (lost + stock === 0 ? 0 : lost / (lost + stock))
  const stockTotal = [...stockValueMinor.values()].reduce((n, v) => n + v, 0)
  return {
    total: { ...total, stockValueMinor: stockTotal, share: share(total.valueMinor, stockTotal) },
    byLocation: [...byLocation]
      .map(([location, { events, ...t }]) => {
        const stock = stockValueMinor.get(location) ?? 0
        return { location, ...t, events: events.size, stockValueMinor: stock, share: share(t.valueMinor, stock) }
      })
      .sort((a, b) => b.valueMinor - a.valueMinor),
    bySku: [...bySku].map(([sku, t]) => ({ sku, ...t })).sort((a, b) => b.valueMinor - a.valueMinor),
    trend: [...trend].map(([p, t]) => ({ period: p, ...t })).sort((a, b) => (a.period < b.period ? -1 : 1)),
  }
}

/** One event of a unit's life, as the custody chain reads it. */
export interface CustodyEvent {
  seq: number
  type: string
  occurredAt: string
  actor: string
  location: string | null
  fromLocation: string | null
}

/** One stretch of custody: who acted on the unit and where it was, from one event to the next change. */
export interface CustodyStep {
  actor: string
  location: string | null
  since: string
  until: string | null
  events: string[]
}

/**
 * Every actor and location of a unit in ledger order: a new step starts whenever the acting user or the
 * unit's location changes. A count's scan keeps the location it was seen at.
 */
export function custodyChain(events: readonly CustodyEvent[]): CustodyStep[] {
  const steps: CustodyStep[] = []
  let where: string | null = null
  for (const e of events) {
    where = e.location ?? (LEAVES.has(e.type) ? null : (e.fromLocation ?? where))
    const last = steps[steps.length - 1]
    if (last && last.actor === e.actor && last.location === where) {
      last.events.push(e.type)
      continue
    }
    if (last) last.until = e.occurredAt
    steps.push({ actor: e.actor, location: where, since: e.occurredAt, until: null, events: [e.type] })
  }
  return steps
}

/**
 * Events after which a unit is at none of our locations: those whose status after is not a located one
 * (sold, shipped, lost, scrapped, returned to the vendor, back to its owner from repair), from the state machine.
 */
export const LEAVES: ReadonlySet<string> = new Set(
  UNIT_EVENT_TYPES.filter((type) => {
    const to = TRANSITIONS[type].to
    return to !== 'same' && !LOCATED_STATUSES.includes(to)
  }),
)

export type ExceptionKind =
  'in_transit_too_long' | 'never_put_away' | 'sold_but_scanned' | 'adjustments_above_threshold' | 'repeated_losses'

/** Something worth a look, with the reason, and the location a count task would go to. */
export interface StockException {
  kind: ExceptionKind
  reason: string
  location: string | null
  serial: string | null
  actor: string | null
  valueMinor: number | null
  at: string
}

/** Days between two instants, rounded down. */
export const daysBetween = (from: string, to: Date): number =>
  Math.floor((to.getTime() - new Date(from).getTime()) / 86_400_000)

/** Users whose adjustments (lost, found, scrapped) add up above `thresholdMinor` in the period. */
export function adjustmentsAbove(
  rows: readonly { actor: string; valueMinor: number; events: number; location: string | null; last: string }[],
  thresholdMinor: number,
): StockException[] {
  return rows
    .filter((r) => r.valueMinor > thresholdMinor)
    .map((r) => ({
      kind: 'adjustments_above_threshold' as const,
      reason:
        `${r.actor} adjusted ${r.events} time(s) for ${(r.valueMinor / 100).toFixed(2)} at cost, ` +
        `above the threshold of ${(thresholdMinor / 100).toFixed(2)}`,
      location: r.location,
      serial: null,
      actor: r.actor,
      valueMinor: r.valueMinor,
      at: r.last,
    }))
}

/** Locations where stock was posted lost in `minEvents` or more separate events in the period. */
export function repeatedLosses(summary: ShrinkageSummary, minEvents: number, at: string): StockException[] {
  return summary.byLocation
    .filter((l) => l.location !== '(unknown)' && l.events >= minEvents)
    .map((l) => ({
      kind: 'repeated_losses' as const,
      reason: `${l.events} separate losses at ${l.location} (${l.units} units, ${l.quantity} pieces)`,
      location: l.location,
      serial: null,
      actor: null,
      valueMinor: l.valueMinor,
      at,
    }))
}
