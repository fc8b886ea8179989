import { describe, expect, it } from 'vitest'
import { fillWeeks, lifecycleStage, weekOf, type WeeklySales } from './stage.rules.js'

/** A synthetic history: one entry per week from 2026-01-05 (a Monday), units as given. */
const history = (units: number[]): { sales: WeeklySales[]; asOf: string } => {
  const start = Date.parse('2026-01-05T00:00:00Z')
  const sales = units.map((u, i) => ({
    week: new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10),
    units: u,
  }))
  return { sales, asOf: `${sales[sales.length - 1]!.week}T12:00:00Z` }
}
const stageOf = (units: number[]) => {
  const { sales, asOf } = history(units)
  return lifecycleStage(sales, asOf)
}

describe('life-cycle stage from weekly sales', () => {
  it('says "too little history" for a curve of a few weeks instead of guessing', () => {
    const r = stageOf([3, 5])
    expect(r.stage).toBe('too_little_history')
    expect(r.reason).toMatch(/2 week\(s\)/)
    expect(stageOf([1, 0, 1, 0, 1, 0]).stage).toBe('too_little_history') // six weeks, three units
  })

  it('finds introduction: young, selling a little, not taking off', () => {
    expect(stageOf([2, 2, 1, 2, 2, 2, 1, 2]).stage).toBe('introduction')
  })

  it('finds growth: sales rising steadily', () => {
    const r = stageOf([1, 2, 2, 3, 4, 5, 6, 8, 9, 11, 13, 15, 18, 21])
    expect(r.stage).toBe('growth')
    expect(r.trend).toBeGreaterThan(0.05)
  })

  it('finds maturity: an older SKU selling steadily near its peak', () => {
    const flat = Array.from({ length: 30 }, (_, i) => 20 + ((i * 7) % 5) - 2)
    expect(stageOf(flat).stage).toBe('maturity')
  })

  it('finds decline: well below a peak weeks ago and still falling, and dates the change', () => {
    const units = [...[5, 10, 15, 20, 25], ...Array(10).fill(25), 22, 19, 16, 13, 10, 8, 6, 5, 4]
    const r = stageOf(units)
    expect(r.stage).toBe('decline')
    expect(r.current).toBeLessThan(0.7 * r.peak)
    // The evidence: the whole curve with the stage of each week, and the first week of this stage.
    expect(r.weeks).toHaveLength(units.length)
    expect(r.weeks.at(-1)!.stage).toBe('decline')
    const firstDecline = r.weeks.findIndex(
      (w, i) => w.stage === 'decline' && r.weeks.slice(i).every((x) => x.stage === 'decline'),
    )
    expect(r.since).toBe(r.weeks[firstDecline]!.week)
    expect(r.weeks[firstDecline - 1]!.stage).not.toBe('decline')
  })

  it('follows a SKU’s own thresholds: history needed, growth slope, peak share, young weeks', () => {
    const { sales, asOf } = history([3, 5])
    // Two weeks and eight units are enough for a SKU that says so; the reason names its thresholds.
    expect(lifecycleStage(sales, asOf).stage).toBe('too_little_history')
    expect(lifecycleStage(sales, asOf, { minWeeks: 2, minUnits: 8 }).stage).not.toBe('too_little_history')
    expect(lifecycleStage(sales, asOf, { minWeeks: 3 }).reason).toMatch(/needs 3 weeks and 8 units/)
    // A steady riser is growth by default; a SKU asking for a steeper slope calls it introduction.
    const rising = history([1, 2, 2, 3, 4, 5, 6, 8, 9, 11])
    expect(lifecycleStage(rising.sales, rising.asOf).stage).toBe('growth')
    expect(lifecycleStage(rising.sales, rising.asOf, { growthSlope: 0.5 }).stage).toBe('introduction')
    expect(lifecycleStage(rising.sales, rising.asOf, { growthSlope: 0.5, youngWeeks: 4 }).stage).toBe('maturity')
    // Down to 80 % of its peak and flat: maturity by default (70 %), decline for a SKU whose share is 85 %.
    const sagging = history([...Array(10).fill(20), ...Array(10).fill(16)])
    expect(lifecycleStage(sagging.sales, sagging.asOf).stage).toBe('maturity')
    expect(lifecycleStage(sagging.sales, sagging.asOf, { peakShare: 0.85 }).stage).toBe('decline')
    // ...unless it also asks the trend to be falling by 1 % of the peak a week.
    expect(lifecycleStage(sagging.sales, sagging.asOf, { peakShare: 0.85, declineSlope: -0.01 }).stage).toBe('maturity')
  })

  it('zero-fills weeks without sales and counts weeks from Monday', () => {
    expect(weekOf('2026-01-07T10:00:00Z')).toBe('2026-01-05')
    expect(weekOf('2026-01-04T23:00:00Z')).toBe('2025-12-29')
    const w = fillWeeks([{ week: '2026-01-05', units: 3 }], '2026-01-20T00:00:00Z')
    expect(w).toEqual([
      { week: '2026-01-05', units: 3 },
      { week: '2026-01-12', units: 0 },
      { week: '2026-01-19', units: 0 },
    ])
    expect(lifecycleStage([], '2026-01-20T00:00:00Z')).toMatchObject({ stage: 'too_little_history', since: null })
  })
})
