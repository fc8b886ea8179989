/** A small seeded PRNG (mulberry32): the same seed gives the same demo data, run after run. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }

  /** A random element, or undefined when there is none. */
  maybe<T>(items: readonly T[]): T | undefined {
    return items.length > 0 ? this.pick(items) : undefined
  }

  /** An index chosen with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let r = this.next() * weights.reduce((a, b) => a + b, 0)
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]!) < 0) return i
    return weights.length - 1
  }

  /** Removes and returns a random element (order of the rest is not kept). */
  take<T>(items: T[]): T | undefined {
    if (items.length === 0) return undefined
    const i = Math.floor(this.next() * items.length)
    const item = items[i]!
    items[i] = items[items.length - 1]!
    items.pop()
    return item
  }
}

/** GS1 mod-10 check digit appended to `body` (GTIN). */
export function withGs1CheckDigit(body: string): string {
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0)
  return `${body}${(10 - (sum % 10)) % 10}`
}

/** Luhn check digit appended to `body` (IMEI). */
export function withLuhnDigit(body: string): string {
  const sum = [...body].reverse().reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1)
    return acc + (d > 9 ? d - 9 : d)
  }, 0)
  return `${body}${(10 - (sum % 10)) % 10}`
}
