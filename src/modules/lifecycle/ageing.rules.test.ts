import { describe, expect, it } from 'vitest'
import { bucketCutoffs, bucketLabels, daysSince, parseBuckets } from './ageing.rules.js'

describe('ageing buckets', () => {
  it('defaults to 0-30, 31-60, 61-90, 91-180 and 181+', () => {
    expect(bucketLabels(parseBuckets(undefined))).toEqual(['0-30', '31-60', '61-90', '91-180', '181+'])
  })
  it('takes configured bounds and refuses ones that do not rise, naming the value', () => {
    expect(bucketLabels(parseBuckets('7,14'))).toEqual(['0-7', '8-14', '15+'])
    expect(() => parseBuckets('30,20')).toThrow(/buckets\[1\]: 20 must be greater than 30/)
    expect(() => parseBuckets('30,x')).toThrow(/buckets\[1\]: "x"/)
  })
  it('puts a unit received 30 days ago in the first bucket and 31 days ago in the second', () => {
    const asOf = new Date('2026-06-01T12:00:00Z')
    const [first] = bucketCutoffs([30, 60], asOf)
    const day = (n: number) => new Date(asOf.getTime() - n * 86_400_000).toISOString()
    expect(day(30) > first!).toBe(true)
    expect(day(31) > first!).toBe(false)
    expect(daysSince(day(31), asOf)).toBe(31)
  })
})
