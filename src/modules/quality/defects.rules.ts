/*
 * The statistics of "find the culprit": a defect (or return) rate per group of units with its 95 %
 * Wilson interval, its lift over the rest of the units, and a ranking that puts the likely culprit first
 * and groups with too few units last. Pure; unit-tested in defects.rules.test.ts.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959964

/** Groups with fewer units than this are marked and ranked last: their rate says little. */
export const MIN_UNITS = 30

/** The Wilson score interval of `k` successes in `n` trials (0..1); [0, 0] for no trials. */
export function wilson(k: number, n: number, z = Z_95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 0 }
  const p = k / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/**
 * The rate of a group relative to the rest of the units (`total` units, `totalHits` of them hit):
 * 2 means twice as often. Null when the rest has no units; Infinity when the rest has none hit.
 */
export function lift(hits: number, units: number, totalHits: number, total: number): number | null {
  const restUnits = total - units
  if (units === 0 || restUnits <= 0) return null
  const rest = (totalHits - hits) / restUnits
  const rate = hits / units
  if (rest === 0) return rate === 0 ? 1 : Number.POSITIVE_INFINITY
  return rate / rest
}

/** One group's counts as the query gives them. */
export interface GroupCounts {
  key: string | null
  label: string
  units: number
  defective: number
  returned: number
}

export interface RateRow extends GroupCounts {
  rate: number
  low: number
  high: number
  lift: number | null
  returnRate: number
  tooFew: boolean
}

export type Measure = 'defect' | 'return'

/**
 * Rates, intervals and lifts of one dimension's groups, ranked: enough units first, then by the lower
 * end of the interval (the rate the data supports at least), then by the rate.
 */
export function rankGroups(
  groups: readonly GroupCounts[],
  totals: { units: number; defective: number; returned: number },
  measure: Measure = 'defect',
  minUnits = MIN_UNITS,
): RateRow[] {
  const rows = groups.map((g) => {
    const hits = measure === 'defect' ? g.defective : g.returned
    const { low, high } = wilson(hits, g.units)
    const totalHits = measure === 'defect' ? totals.defective : totals.returned
    return {
      ...g,
      rate: g.units === 0 ? 0 : hits / g.units,
      low,
      high,
      lift: lift(hits, g.units, totalHits, totals.units),
      returnRate: g.units === 0 ? 0 : g.returned / g.units,
      tooFew: g.units < minUnits,
    }
  })
  return rows.sort(
    (a, b) => Number(a.tooFew) - Number(b.tooFew) || b.low - a.low || b.rate - a.rate || b.units - a.units,
  )
}

/** A finite number for JSON and CSV: an infinite lift (the rest has no defect at all) is reported as null. */
export const finite = (n: number | null): number | null => (n === null || !Number.isFinite(n) ? null : n)
