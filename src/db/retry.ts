import { isRetryable } from './errors.js'

/** How a command is tried again when the database refused it as a whole (nothing of it was written). */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  /** Pause before the second try; each further pause doubles, up to maxDelayMs, each with ±50 % jitter. */
  baseDelayMs: number
  maxDelayMs: number
}

/**
 * PostgreSQL (and every PostgreSQL-compatible distributed database) may abort a transaction with a
 * serialization failure (SQLSTATE 40001) or a deadlock (40P01) and expects the client to run it again;
 * SQLite reports a write lock held past the busy timeout as SQLITE_BUSY. Five tries with a short
 * randomised back-off: contenders that collided once do not collide again in lock step.
 */
export const COMMAND_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 2, maxDelayMs: 50 }

/**
 * The sequenced write path's: there a conflict on a row is the normal way two commands on the same unit
 * learn of each other (the later one is refused with 40001 and runs again), so it tries longer.
 */
export const SEQUENCED_COMMAND_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 2, maxDelayMs: 50 }

/**
 * Runs `attempt` until it succeeds, throws something that is not retryable, or has failed
 * `policy.attempts` times (then the last error is thrown). `attempt` must be the whole transaction, so a
 * retry starts from scratch: a command with an idempotency key looks its key up again inside the new
 * transaction, and answers the first result if a concurrent copy of it committed in between.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy = COMMAND_RETRY,
  retryable: (e: unknown) => boolean = isRetryable,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (e) {
      if (!retryable(e) || n >= policy.attempts) throw e
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(n, policy)))
    }
  }
}

/** The pause after failed try `n` (1-based): exponential, capped, jittered to 50–150 %. */
export function retryDelayMs(n: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1))
  return base * (0.5 + random())
}
