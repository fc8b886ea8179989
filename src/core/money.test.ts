import { describe, expect, it } from 'vitest'
import { decimalsOf, excessDecimals, toMinor } from './money.js'

describe('money amounts', () => {
  it('counts the decimals of an amount as written', () => {
    expect([20, 19.9, 19.99, 19.999, 0.1 + 0.2, 1e-7, 1.5e-7, 1e21].map(decimalsOf)).toEqual([0, 1, 2, 3, 17, 7, 8, 0])
  })

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(excessDecimals(19.99)).toBeUndefined()
    expect(excessDecimals(1e12)).toBeUndefined()
    expect(excessDecimals(19.999)).toBe('19.999 has 3 decimals; the currency has 2 (it would be stored as 20)')
    expect(toMinor(19.99)).toBe(1999)
  })
})
