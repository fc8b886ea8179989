import { describe, expect, it } from 'vitest'
import { lift, MIN_UNITS, rankGroups, wilson } from './defects.rules.js'

describe('defect statistics', () => {
  it('gives the Wilson 95 % interval of known cases', () => {
    // 10 of 100: the textbook interval is 0.0552 to 0.1744.
    const { low, high } = wilson(10, 100)
    expect(low).toBeCloseTo(0.0552, 4)
    expect(high).toBeCloseTo(0.1744, 4)
    // No defect in 50 units still leaves up to about 7 %.
    expect(wilson(0, 50).low).toBe(0)
    expect(wilson(0, 50).high).toBeCloseTo(0.0713, 4)
    expect(wilson(5, 5).high).toBe(1)
    expect(wilson(0, 0)).toEqual({ low: 0, high: 0 })
  })
  it('gives the lift over the rest of the units', () => {
    // 20 % in the group, 5 % in the rest (45 of 900): four times as often.
    expect(lift(20, 100, 65, 1000)).toBeCloseTo(4, 10)
    expect(lift(5, 100, 50, 1000)).toBeCloseTo(0.5 / 0.5, 10)
    expect(lift(3, 10, 3, 100)).toBe(Number.POSITIVE_INFINITY)
    expect(lift(0, 10, 0, 100)).toBe(1)
    expect(lift(3, 100, 3, 100)).toBeNull()
  })
  it('ranks the likely culprit first and groups with too few units last', () => {
    const totals = { units: 1000, defective: 80, returned: 10 }
    const rows = rankGroups(
      [
        { key: 'a', label: 'A', units: 500, defective: 20, returned: 5 },
        { key: 'b', label: 'B', units: 480, defective: 55, returned: 5 },
        { key: 'c', label: 'C', units: MIN_UNITS - 1, defective: 5, returned: 0 },
      ],
      totals,
    )
    expect(rows.map((r) => r.key)).toEqual(['b', 'a', 'c'])
    expect(rows[0]).toMatchObject({ rate: 55 / 480, tooFew: false })
    expect(rows[0]!.low).toBeGreaterThan(rows[1]!.high)
    expect(rows[2]!.tooFew).toBe(true)
    // The same groups ranked by their return rate.
    expect(rankGroups(rows, totals, 'return')[0]!.rate).toBe(5 / 480)
  })
})
