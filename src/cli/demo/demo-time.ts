const DAY_MS = 86_400_000

/** Business time for one simulated day: `at(minute)` is that minute of the day in UTC. */
export class DemoClock {
  readonly date: Date

  constructor(
    private readonly start: Date,
    readonly day: number,
  ) {
    this.date = new Date(start.getTime() + day * DAY_MS)
  }

  at(minute: number): string {
    return new Date(this.date.getTime() + minute * 60_000).toISOString()
  }

  /** `yyyymmdd`, for lot codes and delivery references. */
  compact(): string {
    return this.date.toISOString().slice(0, 10).replace(/-/g, '')
  }

  /** The calendar date `days` after this day (an expiry date). */
  dateIn(days: number): string {
    return new Date(this.date.getTime() + days * DAY_MS).toISOString().slice(0, 10)
  }

  onDay(day: number): DemoClock {
    return new DemoClock(this.start, day)
  }

  get weekday(): number {
    return this.date.getUTCDay()
  }

  get dayOfMonth(): number {
    return this.date.getUTCDate()
  }

  get month(): number {
    return this.date.getUTCMonth()
  }
}

/** Midnight UTC `days` before today, so the simulated year ends yesterday. */
export function demoStart(days: number, now = new Date()): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return new Date(today - days * DAY_MS)
}
