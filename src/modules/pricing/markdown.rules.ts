/*
 * Markdown rules as pure functions: which price a unit should carry given its age, its SKU's stage and
 * cover, never below its floor (cost, unless the SKU allows less) and never beyond its group's cap (how
 * often and how deep a unit may be marked down in a period). The same checks refuse a price change by
 * hand that breaks them, so recommendations and manual changes cannot disagree.
 */
import { type LifecycleStage, lifecycleStage, type StageSettings, type WeeklySales } from '../lifecycle/stage.rules.js'

export const MARKDOWN_ACTIONS = ['discount', 'raise'] as const
export type MarkdownAction = (typeof MARKDOWN_ACTIONS)[number]

/** One rule of a group: when it applies (all given conditions) and what it does, in % of the list price. */
export interface MarkdownRule {
  stage?: LifecycleStage
  /** Applies to units at least this many days in stock (since they last came back to stock). */
  minAgeDays?: number
  /** Applies while the SKU's stock covers fewer weeks of sales than this (a rise when selling out). */
  maxCoverWeeks?: number
  action: MarkdownAction
  /** Discount or rise, in % of the SKU's list price. */
  percent: number
}

/**
 * A group's guard against constant discounting: per unit, at most `maxMarkdowns` in `periodDays`, and
 * never deeper than `maxDepthPct` below the list price.
 */
export interface MarkdownCap {
  periodDays: number
  maxMarkdowns: number
  maxDepthPct: number
}

export interface MarkdownPolicy {
  skuGroup: string
  rules: MarkdownRule[]
  cap: MarkdownCap
}

/** What the rules know about one unit's price. */
export interface PriceFacts {
  /** The SKU's list price. */
  listMinor: number
  /** The unit's own current price (its latest price change, else the list price). */
  currentMinor: number
  costMinor: number
  belowCostAllowed: boolean
  /** Business times of the unit's earlier markdowns. */
  markdownTimes: readonly string[]
}

const DAY_MS = 86_400_000

/** The lowest price the floor allows: the cost, or zero when the SKU allows markdowns below cost. */
export const floorOf = (f: PriceFacts): number => (f.belowCostAllowed ? 0 : f.costMinor)

/** The lowest price the cap's depth allows. */
export const depthFloorOf = (f: PriceFacts, cap: MarkdownCap): number =>
  Math.ceil((f.listMinor * (100 - cap.maxDepthPct)) / 100)

/** How many of the unit's markdowns fall in the cap's period before `at`. */
export const markdownsInPeriod = (f: PriceFacts, cap: MarkdownCap, at: string): number => {
  const since = Date.parse(at) - cap.periodDays * DAY_MS
  return f.markdownTimes.filter((t) => Date.parse(t) > since && Date.parse(t) <= Date.parse(at)).length
}

const money = (minor: number) => (minor / 100).toFixed(2)

/** Why lowering the unit's price to `newMinor` at `at` breaks its floor, or undefined. */
export function floorRefusal(f: PriceFacts, newMinor: number): string | undefined {
  if (newMinor >= floorOf(f)) return undefined
  return `${money(newMinor)} is below the cost ${money(f.costMinor)} (the SKU does not allow markdowns below cost)`
}

/** Why a markdown to `newMinor` at `at` breaks the group's cap (frequency or depth), or undefined. */
export function capRefusal(
  f: PriceFacts,
  newMinor: number,
  cap: MarkdownCap | undefined,
  at: string,
): string | undefined {
  if (!cap) return undefined
  const done = markdownsInPeriod(f, cap, at)
  if (done >= cap.maxMarkdowns)
    return `already marked down ${done} time(s) in the last ${cap.periodDays} days (cap: ${cap.maxMarkdowns})`
  if (newMinor < depthFloorOf(f, cap)) {
    const depth = Math.round((1 - newMinor / f.listMinor) * 100)
    return `${depth}% below the list price ${money(f.listMinor)} (cap: ${cap.maxDepthPct}%)`
  }
  return undefined
}

/** What the SKU's curve says for the rules: its stage and how many weeks of sales its stock covers. */
export interface SkuSignals {
  stage: LifecycleStage
  /** Stock on hand divided by recent weekly sales; null when nothing sells. */
  coverWeeks: number | null
}

export interface Recommendation {
  action: MarkdownAction
  suggestedMinor: number
  /** Index of the rule in its group's policy. */
  rule: number
  reason: string
}

const matches = (r: MarkdownRule, ageDays: number, s: SkuSignals): boolean =>
  (r.stage === undefined || r.stage === s.stage) &&
  (r.minAgeDays === undefined || ageDays >= r.minAgeDays) &&
  (r.maxCoverWeeks === undefined || (s.coverWeeks !== null && s.coverWeeks < r.maxCoverWeeks))

/**
 * The price the first matching rule suggests for a unit, held at its floor and within the cap, or
 * undefined when no rule applies, the unit already carries that price, or the cap allows no markdown now.
 */
export function recommendPrice(
  f: PriceFacts,
  ageDays: number,
  s: SkuSignals,
  policy: MarkdownPolicy,
  at: string,
): Recommendation | undefined {
  for (const [i, r] of policy.rules.entries()) {
    if (!matches(r, ageDays, s)) continue
    const because = describeRule(r, ageDays, s)
    if (r.action === 'raise') {
      const target = Math.round((f.listMinor * (100 + r.percent)) / 100)
      if (target > f.currentMinor) return { action: 'raise', suggestedMinor: target, rule: i, reason: because }
      continue
    }
    if (markdownsInPeriod(f, policy.cap, at) >= policy.cap.maxMarkdowns) return undefined
    const wanted = Math.round((f.listMinor * (100 - r.percent)) / 100)
    const target = Math.max(wanted, floorOf(f), depthFloorOf(f, policy.cap))
    if (target >= f.currentMinor) continue
    const held =
      target > wanted ? ` (held at ${target === floorOf(f) ? 'cost' : `the ${policy.cap.maxDepthPct}% cap`})` : ''
    return { action: 'discount', suggestedMinor: target, rule: i, reason: because + held }
  }
  return undefined
}

function describeRule(r: MarkdownRule, ageDays: number, s: SkuSignals): string {
  const when = [
    r.stage && `stage ${s.stage}`,
    r.minAgeDays !== undefined && `${ageDays} days in stock (rule: ${r.minAgeDays}+)`,
    r.maxCoverWeeks !== undefined && `${s.coverWeeks?.toFixed(1)} weeks of cover (rule: under ${r.maxCoverWeeks})`,
  ].filter(Boolean)
  return `${r.action === 'raise' ? '+' : '-'}${r.percent}% of list: ${when.join(', ') || 'every unit'}`
}

/**
 * A SKU's stage (by its own thresholds) and cover as of `asOf`: stock on hand over its current (smoothed)
 * weekly sales.
 */
export function skuSignals(
  sales: readonly WeeklySales[],
  onHand: number,
  asOf: string | Date,
  settings?: Partial<StageSettings>,
): SkuSignals {
  const evidence = lifecycleStage(sales, asOf, settings)
  return { stage: evidence.stage, coverWeeks: evidence.current > 0 ? onHand / evidence.current : null }
}
