import { AppError } from '../../core/errors.js'

/** Default ageing buckets: upper bounds in days (the last bucket is open). 0-30, 31-60, 61-90, 91-180, 181+. */
export const DEFAULT_BUCKETS: readonly number[] = [30, 60, 90, 180]

/** What a unit's age counts from: its receipt, its last return to stock, or its arrival at its location. */
export const AGE_BASES = ['receipt', 'stock', 'location'] as const
export type AgeBasis = (typeof AGE_BASES)[number]

const DAY_MS = 86_400_000

/**
 * Parses bucket bounds from "30,60,90,180" (each the last day of a bucket, rising): refused with the
 * offending value when a bound is not a positive whole number or does not rise.
 */
export function parseBuckets(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') return [...DEFAULT_BUCKETS]
  const bounds = text.split(',').map((s) => s.trim())
  bounds.forEach((b, i) => {
    const n = Number(b)
    if (!/^\d+$/.test(b) || n <= 0 || n > 36500)
      throw new AppError('request.invalid', `buckets[${i}]: ${JSON.stringify(b)} is not a whole number of days 1-36500`)
    if (i > 0 && n <= Number(bounds[i - 1]))
      throw new AppError('request.invalid', `buckets[${i}]: ${n} must be greater than ${bounds[i - 1]}`)
  })
  return bounds.map(Number)
}

/** Labels of the buckets: "0-30", "31-60", …, "181+". */
export const bucketLabels = (bounds: readonly number[]): string[] => [
  ...bounds.map((b, i) => `${i === 0 ? 0 : bounds[i - 1]! + 1}-${b}`),
  `${bounds[bounds.length - 1]! + 1}+`,
]

/**
 * The instants that separate the buckets as of `asOf`: a unit whose start lies after `cutoffs[i]` is at
 * most `bounds[i]` days old. ISO-8601 UTC text compares in time order, so SQL compares text with them.
 */
export const bucketCutoffs = (bounds: readonly number[], asOf: Date): string[] =>
  bounds.map((b) => new Date(asOf.getTime() - (b + 1) * DAY_MS).toISOString())

/** Whole days between an instant and `asOf` (0 on the day itself). */
export const daysSince = (instant: string, asOf: Date): number =>
  Math.max(0, Math.floor((asOf.getTime() - Date.parse(instant)) / DAY_MS))

/** One unit's ages: since receipt, since it last came back to stock, and at its current location. */
export interface UnitAges {
  receivedAt: string
  backInStockAt: string | null
  locatedAt: string
  daysSinceReceipt: number
  daysSinceBackInStock: number
  daysAtLocation: number
}

/** The ages of one unit as of `asOf`, from its projection row. */
export function unitAges(
  u: { received_at: string; back_in_stock_at?: string | null; located_at?: string | null },
  asOf: Date,
): UnitAges {
  const inStockSince = u.back_in_stock_at ?? u.received_at
  const locatedAt = u.located_at ?? u.received_at
  return {
    receivedAt: u.received_at,
    backInStockAt: u.back_in_stock_at ?? null,
    locatedAt,
    daysSinceReceipt: daysSince(u.received_at, asOf),
    daysSinceBackInStock: daysSince(inStockSince, asOf),
    daysAtLocation: daysSince(locatedAt, asOf),
  }
}
