import { describe, expect, it } from 'vitest'
import { lifecycleFields, skuEdit } from '../../web/src/sku-lifecycle.js'

describe('the SKU form’s life-cycle settings', () => {
  it('shows each setting, empty for a default', () => {
    const fields = lifecycleFields({ stage: { minWeeks: 2 }, ageingBuckets: [7, 14] })
    expect(fields.find((f) => f.name === 'lifecycle.minWeeks')!.value).toBe('2')
    expect(fields.find((f) => f.name === 'lifecycle.peakShare')!.value).toBe('')
    expect(fields.find((f) => f.name === 'lifecycle.ageingBuckets')!.value).toBe('7,14')
  })

  it('sends the whole new settings when one changes, and leaves other edits as they are', () => {
    const current = { stage: { minWeeks: 2, peakShare: 0.5 }, ageingBuckets: [7, 14] }
    expect(skuEdit({ name: 'X', 'lifecycle.minWeeks': '3', 'lifecycle.ageingBuckets': '10, 20,40' }, current)).toEqual({
      name: 'X',
      lifecycle: { stage: { minWeeks: 3, peakShare: 0.5 }, ageingBuckets: [10, 20, 40] },
    })
    expect(skuEdit({ name: 'X' }, current)).toEqual({ name: 'X' })
  })

  it('drops an emptied setting, sends null when none is left, and what is not a number as typed', () => {
    expect(
      skuEdit(
        { 'lifecycle.minWeeks': null, 'lifecycle.ageingBuckets': null },
        { stage: { minWeeks: 2 }, ageingBuckets: [7] },
      ),
    ).toEqual({
      lifecycle: null,
    })
    expect(skuEdit({ 'lifecycle.peakShare': 'lots' }, null)).toEqual({ lifecycle: { stage: { peakShare: 'lots' } } })
  })
})
