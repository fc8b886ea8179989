/*
 * The pure rules of webhook delivery: when a failed one is tried again, when it becomes a dead letter,
 * how a subscription's event types are stored. No I/O here; `webhook-deliverer.ts` sends what these decide.
 */
/** First retry after a second, doubling each time, never more than an hour apart. */
export const BACKOFF_BASE_MS = 1000
export const BACKOFF_MAX_MS = 60 * 60 * 1000

/** When a delivery that has failed `attempts` times is tried again: exponential backoff from `now`. */
export function nextAttemptAt(now: Date, attempts: number, baseMs = BACKOFF_BASE_MS): Date {
  const delay = Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.max(0, attempts - 1))
  return new Date(now.getTime() + delay)
}

/** What becomes of a delivery that just failed its `attempts`-th time. */
export function afterFailure(
  now: Date,
  attempts: number,
  maxAttempts: number,
  baseMs = BACKOFF_BASE_MS,
): { status: 'dead' } | { status: 'pending'; nextAttemptAt: Date } {
  if (attempts >= maxAttempts) return { status: 'dead' }
  return { status: 'pending', nextAttemptAt: nextAttemptAt(now, attempts, baseMs) }
}

/** The stored form of a subscription's event types: `*`, or `,a,b,` (what the outbox insert matches). */
export const storedEventTypes = (types: readonly string[]): string =>
  types.length === 0 || types.includes('*') ? '*' : `,${[...new Set(types)].sort().join(',')},`

export const eventTypesOf = (stored: string): string[] =>
  stored === '*' ? ['*'] : stored.split(',').filter((t) => t !== '')
