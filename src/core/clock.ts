/** Where "now" comes from; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock for tests that advances by `stepMs` on every reading. */
export function steppingClock(start: string, stepMs = 1000): Clock {
  let t = Date.parse(start)
  return {
    now: () => {
      const d = new Date(t)
      t += stepMs
      return d
    },
  }
}

/** ISO-8601 UTC text with milliseconds, the one instant format stored anywhere. */
export const toInstant = (d: Date): string => d.toISOString()
