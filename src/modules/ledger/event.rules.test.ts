import { describe, expect, it } from 'vitest'
import { LinesHasher, type UnitLine } from './event.rules.js'

const line = (i: number): UnitLine => ({
  unitId: `u${i}`,
  skuId: 'sku',
  serial: `SN-${i}`,
  lotId: i % 2 ? 'lot' : null,
  costMinor: i % 3 ? 100 * i : null,
  priceMinor: null,
  attributes: i === 2 ? '{"imei":"1"}' : null,
})

describe('lines hash', () => {
  it('is the same whether the unit lines are added one by one or in batches of any size', () => {
    const lines = Array.from({ length: 7 }, (_, i) => line(i))
    const oneByOne = new LinesHasher()
    for (const l of lines) oneByOne.addUnit(l)
    const expected = oneByOne.digest()
    const batched = new LinesHasher()
    batched.addUnits(lines.slice(0, 3))
    batched.addUnits([])
    batched.addUnits(lines.slice(3))
    expect(batched.digest()).toBe(expected)
    const fewer = new LinesHasher()
    fewer.addUnits(lines.slice(1))
    expect(fewer.digest()).not.toBe(expected)
  })
})
