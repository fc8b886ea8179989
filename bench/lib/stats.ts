/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export interface Distribution {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** What every HTTP load run reports, whichever way it sends its requests (closed loop or on a schedule). */
export interface LoadRun {
  /** 2xx answers. */
  ok: number
  non2xx: number
  /** Requests that got no HTTP answer (socket errors, time-outs). */
  errors: number
  seconds: number
  /** Successful answers per second over the run. */
  rps: number
  /** Latency of the answers in ms (each worker says from when it measures). */
  latencyMs: Distribution
}

/** Summary of latency samples (any unit; the caller says which). */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((s, v) => s + v, 0)
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  }
}

export const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length

/** Formats a number for the table: thousands separators, a sensible number of decimals. */
export function fmt(n: number | undefined | null, decimals?: number): string {
  if (n === undefined || n === null || Number.isNaN(n)) return '–'
  const d = decimals ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3)
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
}

export const mb = (bytes: number): number => bytes / (1024 * 1024)
