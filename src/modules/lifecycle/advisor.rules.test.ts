import { describe, expect, it } from 'vitest'
import { adviseSkus, type SkuTrackRecord } from './advisor.rules.js'

const sku = (over: Partial<SkuTrackRecord> & { code: string }): SkuTrackRecord => ({
  name: over.code,
  tracking: 'quantity',
  priceMinor: 1000,
  warrantyMonths: 0,
  received: 1000,
  sold: 500,
  returned: 0,
  lost: 0,
  claims: 0,
  ...over,
})

describe('serialization advisor', () => {
  it('ranks a planted set: valuable, returned, warrantied goods first; cheap trouble-free serials flagged', () => {
    const advice = adviseSkus([
      sku({ code: 'CABLE', priceMinor: 900 }),
      sku({ code: 'SPEAKER', priceMinor: 4_900, warrantyMonths: 12, returned: 30 }),
      sku({ code: 'DRONE', priceMinor: 89_900, warrantyMonths: 24, returned: 60, lost: 30 }),
      sku({ code: 'CASE', tracking: 'serial', priceMinor: 1_500 }),
      sku({ code: 'PHONE', tracking: 'serial', priceMinor: 79_900, warrantyMonths: 24 }),
      sku({ code: 'STRAP', tracking: 'serial', priceMinor: 1_200, returned: 80 }),
    ])
    expect(advice.map((a) => [a.code, a.advice])).toEqual([
      ['DRONE', 'serialise'],
      ['SPEAKER', 'serialise'],
      ['CASE', 'stop_serialising'],
      ['PHONE', 'keep'],
      ['STRAP', 'keep'],
      ['CABLE', 'keep'],
    ])
    const drone = advice[0]!
    expect(drone.reasons).toEqual(
      expect.arrayContaining([
        'high unit value (899.00)',
        '24-month warranty: claims must name the unit',
        'returns 12% (threshold 5%)',
        'shrinkage 3% (threshold 1%)',
      ]),
    )
    // A cheap serial SKU with many returns stays serialised: the returns are the liability.
    expect(advice.find((a) => a.code === 'STRAP')!.reasons).toContain('returns 16% (threshold 5%)')
  })
})
