import { describe, expect, it } from 'vitest'
import { COMMAND_RETRY, retryDelayMs, withRetries } from './retry.js'

const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 3 }
const failure = (code: string) => Object.assign(new Error(code), { code })

describe('withRetries', () => {
  it('tries again after a serialization failure or a deadlock, until one succeeds', async () => {
    const codes = ['40001', '40P01']
    const tries: number[] = []
    const value = await withRetries(async (n) => {
      tries.push(n)
      if (n <= codes.length) throw failure(codes[n - 1]!)
      return 'done'
    }, policy)
    expect(value).toBe('done')
    expect(tries).toEqual([1, 2, 3])
  })

  it('stops after the policy’s attempts and throws the last failure', async () => {
    let tries = 0
    await expect(
      withRetries(async () => {
        tries++
        throw failure('40001')
      }, policy),
    ).rejects.toMatchObject({ code: '40001' })
    expect(tries).toBe(policy.attempts)
  })

  it('does not retry anything else', async () => {
    let tries = 0
    await expect(
      withRetries(async () => {
        tries++
        throw failure('23505')
      }, policy),
    ).rejects.toMatchObject({ code: '23505' })
    expect(tries).toBe(1)
  })

  it('backs off exponentially, capped, with jitter between 50 % and 150 %', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, COMMAND_RETRY, () => 0.5))).toEqual([2, 4, 8, 16, 32])
    expect(retryDelayMs(10, COMMAND_RETRY, () => 0.5)).toBe(COMMAND_RETRY.maxDelayMs)
    expect(retryDelayMs(1, COMMAND_RETRY, () => 0)).toBe(1)
    expect(retryDelayMs(1, COMMAND_RETRY, () => 0.999)).toBeCloseTo(2.998)
  })
})
