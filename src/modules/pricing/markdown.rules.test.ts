import { describe, expect, it } from 'vitest'
import {
  capRefusal,
  floorRefusal,
  type MarkdownPolicy,
  type PriceFacts,
  recommendPrice,
  skuSignals,
} from './markdown.rules.js'

const AT = '2026-06-01T12:00:00.000Z'
const daysBefore = (n: number) => new Date(Date.parse(AT) - n * 86_400_000).toISOString()
const unit = (over: Partial<PriceFacts> = {}): PriceFacts => ({
  listMinor: 10_000,
  currentMinor: 10_000,
  costMinor: 6_000,
  belowCostAllowed: false,
  markdownTimes: [],
  ...over,
})
const policy: MarkdownPolicy = {
  skuGroup: 'G',
  rules: [
    { stage: 'decline', minAgeDays: 90, action: 'discount', percent: 20 },
    { stage: 'decline', minAgeDays: 180, action: 'discount', percent: 50 },
    { stage: 'growth', maxCoverWeeks: 2, action: 'raise', percent: 5 },
  ],
  cap: { periodDays: 30, maxMarkdowns: 1, maxDepthPct: 30 },
}
const decline = { stage: 'decline' as const, coverWeeks: 10 }

describe('markdown rules', () => {
  it('discounts a declining SKU’s old units by the first matching rule, from the list price', () => {
    expect(recommendPrice(unit(), 120, decline, policy, AT)).toMatchObject({
      action: 'discount',
      suggestedMinor: 8_000,
    })
    expect(recommendPrice(unit(), 60, decline, policy, AT)).toBeUndefined()
    expect(recommendPrice(unit(), 120, { stage: 'maturity', coverWeeks: 10 }, policy, AT)).toBeUndefined()
  })

  it('holds a markdown at cost unless the SKU allows less, and at the cap’s depth', () => {
    const deep: MarkdownPolicy = { ...policy, rules: [{ action: 'discount', percent: 60 }] }
    expect(recommendPrice(unit(), 0, decline, deep, AT)).toMatchObject({ suggestedMinor: 7_000 }) // 30 % cap
    const cheap = unit({ costMinor: 8_500 })
    expect(recommendPrice(cheap, 0, decline, deep, AT)).toMatchObject({ suggestedMinor: 8_500, reason: /held at cost/ })
    expect(recommendPrice(unit({ costMinor: 9_000, belowCostAllowed: true }), 0, decline, deep, AT)).toMatchObject({
      suggestedMinor: 7_000,
    })
  })

  it('recommends no markdown while the cap’s frequency is used up, and again after the period', () => {
    expect(recommendPrice(unit({ markdownTimes: [daysBefore(10)] }), 120, decline, policy, AT)).toBeUndefined()
    expect(recommendPrice(unit({ markdownTimes: [daysBefore(31)] }), 120, decline, policy, AT)).toMatchObject({
      suggestedMinor: 8_000,
    })
  })

  it('suggests a rise for a growing SKU with little cover, never a second time', () => {
    const growth = { stage: 'growth' as const, coverWeeks: 1.5 }
    expect(recommendPrice(unit(), 5, growth, policy, AT)).toMatchObject({ action: 'raise', suggestedMinor: 10_500 })
    expect(recommendPrice(unit({ currentMinor: 10_500 }), 5, growth, policy, AT)).toBeUndefined()
    expect(recommendPrice(unit(), 5, { stage: 'growth', coverWeeks: 3 }, policy, AT)).toBeUndefined()
  })

  it('refuses by hand what the rules would not recommend: below cost, too often, too deep', () => {
    expect(floorRefusal(unit(), 5_000)).toMatch(/below the cost 60.00/)
    expect(floorRefusal(unit({ belowCostAllowed: true }), 5_000)).toBeUndefined()
    expect(capRefusal(unit({ markdownTimes: [daysBefore(3)] }), 9_000, policy.cap, AT)).toMatch(/1 time\(s\).*cap: 1/)
    expect(capRefusal(unit(), 6_500, policy.cap, AT)).toMatch(/35% below the list price 100.00 \(cap: 30%\)/)
    expect(capRefusal(unit(), 7_000, policy.cap, AT)).toBeUndefined()
  })

  it('recommends by the stage the SKU’s own thresholds give: a markdown only where they say decline', () => {
    // Twenty weeks: ten at 20 a week, then ten at 16 (80 % of the peak, flat).
    const start = Date.parse('2026-01-12T00:00:00Z')
    const sales = Array.from({ length: 20 }, (_, i) => ({
      week: new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10),
      units: i < 10 ? 20 : 16,
    }))
    const asOf = `${sales.at(-1)!.week}T12:00:00Z`
    const usual = skuSignals(sales, 100, asOf)
    const strict = skuSignals(sales, 100, asOf, { peakShare: 0.85 })
    expect([usual.stage, strict.stage]).toEqual(['maturity', 'decline'])
    expect(recommendPrice(unit(), 120, usual, policy, AT)).toBeUndefined()
    expect(recommendPrice(unit(), 120, strict, policy, AT)).toMatchObject({ action: 'discount', suggestedMinor: 8_000 })
  })
})
