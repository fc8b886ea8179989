/*
 * A SKU's life-cycle stage from its weekly sales, as a pure function (no I/O): introduction, growth,
 * maturity, decline, or "too little history" when the curve cannot tell. The method, in order:
 *
 * 1. The weeks run from the week of the first sale to the week of `asOf`, zero-filled.
 * (Each threshold below is the default of `StageSettings`; a SKU may set its own.)
 * 2. Too little history: fewer than MIN_WEEKS weeks, or fewer than MIN_UNITS units sold in all.
 * 3. The curve is smoothed by a trailing mean over SMOOTHING_WEEKS weeks; `peak` is its maximum and
 *    `current` its last value. `trend` is the least-squares slope of the smoothed curve over the last
 *    TREND_WEEKS weeks, as a share of the peak per week.
 * 4. Decline: the peak lies at least TREND_WEEKS weeks back, `current` is at most DECLINE_SHARE of it
 *    and the trend is not rising (at most `declineSlope`, 0 by default).
 * 5. Growth: the trend rises by at least GROWTH_TREND of the peak per week.
 * 6. Introduction: still young (at most YOUNG_WEEKS weeks) and not growing.
 * 7. Maturity: everything else (an older SKU selling steadily near its peak).
 *
 * The stage of every week (the method applied to the weeks up to it) gives the date the stage last
 * changed. The warranty capability reads this too: it is exported from the module's index.
 */

export const LIFECYCLE_STAGES = ['introduction', 'growth', 'maturity', 'decline', 'too_little_history'] as const
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number]

export const MIN_WEEKS = 4
export const MIN_UNITS = 8
export const SMOOTHING_WEEKS = 4
export const TREND_WEEKS = 6
export const DECLINE_SHARE = 0.7
export const GROWTH_TREND = 0.05
export const YOUNG_WEEKS = 12

/**
 * The thresholds of the method, which a SKU may set for itself (its life-cycle settings): weeks and units
 * of history needed, the weeks the trend (and the peak's age) is measured over, the trend that counts as
 * growth, the trend at or below which a SKU may be in decline, the share of its peak under which it is,
 * and how long a SKU counts as young.
 */
export interface StageSettings {
  minWeeks: number
  minUnits: number
  trendWeeks: number
  growthSlope: number
  declineSlope: number
  peakShare: number
  youngWeeks: number
}

export const DEFAULT_STAGE_SETTINGS: Readonly<StageSettings> = {
  minWeeks: MIN_WEEKS,
  minUnits: MIN_UNITS,
  trendWeeks: TREND_WEEKS,
  growthSlope: GROWTH_TREND,
  declineSlope: 0,
  peakShare: DECLINE_SHARE,
  youngWeeks: YOUNG_WEEKS,
}

/** Units sold in one week (its Monday, `YYYY-MM-DD`). */
export interface WeeklySales {
  week: string
  units: number
}

/** One week of the evidence: what sold, the smoothed curve, and the stage the method gave then. */
export interface StageWeek extends WeeklySales {
  smoothed: number
  stage: LifecycleStage
}

/** The stage with the evidence it rests on. */
export interface StageEvidence {
  stage: LifecycleStage
  /** Why, in words (the numbers the rule compared). */
  reason: string
  /** The first week of the current stage (null when there are no sales). */
  since: string | null
  peak: number
  current: number
  /** Slope of the smoothed curve over the last weeks, as a share of the peak per week. */
  trend: number
  weeks: StageWeek[]
}

const DAY_MS = 86_400_000

/** The Monday (UTC) of the week an instant falls in, as `YYYY-MM-DD`. */
export function weekOf(instant: string | Date): string {
  const d = new Date(instant)
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS
  return new Date(monday).toISOString().slice(0, 10)
}

/** Weekly totals from the first sale's week to `asOf`'s week, with the weeks without sales as zeros. */
export function fillWeeks(sales: readonly WeeklySales[], asOf: string | Date): WeeklySales[] {
  if (sales.length === 0) return []
  const byWeek = new Map<string, number>()
  for (const s of sales) byWeek.set(weekOf(s.week), (byWeek.get(weekOf(s.week)) ?? 0) + s.units)
  const first = [...byWeek.keys()].sort()[0]!
  const last = weekOf(asOf)
  const out: WeeklySales[] = []
  for (let t = Date.parse(first); t <= Date.parse(last); t += 7 * DAY_MS) {
    const week = new Date(t).toISOString().slice(0, 10)
    out.push({ week, units: byWeek.get(week) ?? 0 })
  }
  return out
}

const smooth = (units: readonly number[]): number[] =>
  units.map((_, i) => {
    const window = units.slice(Math.max(0, i - SMOOTHING_WEEKS + 1), i + 1)
    return window.reduce((a, b) => a + b, 0) / window.length
  })

/** Least-squares slope of the last `n` values (per step). */
function slope(values: readonly number[], n: number): number {
  const ys = values.slice(-n)
  if (ys.length < 2) return 0
  const mx = (ys.length - 1) / 2
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  })
  return num / den
}

/** The stage of a zero-filled weekly curve (steps 2 to 7 of the method), with its reason. */
function classify(units: readonly number[], t: StageSettings): Omit<StageEvidence, 'since' | 'weeks'> {
  const total = units.reduce((a, b) => a + b, 0)
  const smoothed = smooth(units)
  const peak = Math.max(0, ...smoothed)
  const current = smoothed[smoothed.length - 1] ?? 0
  const trend = peak > 0 ? slope(smoothed, t.trendWeeks) / peak : 0
  const base = { peak: round(peak), current: round(current), trend: round(trend) }
  if (units.length < t.minWeeks || total < t.minUnits)
    return {
      ...base,
      stage: 'too_little_history',
      reason:
        `${units.length} week(s) and ${total} unit(s) sold; ` +
        `the method needs ${t.minWeeks} weeks and ${t.minUnits} units`,
    }
  const peakAge = smoothed.length - 1 - smoothed.lastIndexOf(peak)
  if (peakAge >= t.trendWeeks && current <= t.peakShare * peak && trend <= t.declineSlope)
    return {
      ...base,
      stage: 'decline',
      reason: `${pct(current / peak)} of the peak ${peakAge} weeks after it, trend ${pct(trend)} of peak a week`,
    }
  if (trend >= t.growthSlope) return { ...base, stage: 'growth', reason: `trend +${pct(trend)} of peak a week` }
  if (units.length <= t.youngWeeks)
    return {
      ...base,
      stage: 'introduction',
      reason: `${units.length} weeks on sale, trend ${pct(trend)} of peak a week`,
    }
  return {
    ...base,
    stage: 'maturity',
    reason: `${pct(current / peak)} of the peak, trend ${pct(trend)} of peak a week`,
  }
}

/**
 * The life-cycle stage of a SKU from its weekly sales up to `asOf`, with the evidence: the curve (each
 * week with its smoothed value and the stage then), the numbers compared and the week the stage began.
 * `settings` are the SKU's own thresholds; those it does not set are the method's defaults.
 */
export function lifecycleStage(
  sales: readonly WeeklySales[],
  asOf: string | Date,
  settings: Partial<StageSettings> = {},
): StageEvidence {
  const t = { ...DEFAULT_STAGE_SETTINGS, ...settings }
  const filled = fillWeeks(sales, asOf)
  const units = filled.map((w) => w.units)
  const smoothed = smooth(units)
  const weeks = filled.map((w, i) => ({
    ...w,
    smoothed: round(smoothed[i]!),
    stage: classify(units.slice(0, i + 1), t).stage,
  }))
  const now = classify(units, t)
  let start = weeks.length - 1
  while (start > 0 && weeks[start - 1]!.stage === now.stage) start--
  return { ...now, since: weeks[start]?.week ?? null, weeks }
}

const round = (x: number) => Math.round(x * 1000) / 1000
const pct = (x: number) => `${Math.round(x * 100)}%`
