import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { decideReturn } from './return.rules.js'
import { ReturnRequest } from './sales.schemas.js'

const store = location('STORE-A')
const cmd = (input: Record<string, unknown>) => ReturnRequest.parse({ location: 'STORE-A', ...input })
const ret = spec(decideReturn)
/** Every unit of these tests was sold a day before NOW, with a 30-day return window. */
const sold = { get: () => ({ soldAt: '2026-02-28T10:00:00.000Z', returnWindowDays: 30 }) } as never

describe('a customer return', () => {
  it('takes a sold unit back into the location, status returned, with a default reason', () =>
    ret
      .given({ location: store, units: [unit('SN-1', { status: 'sold' })], sales: sold, quantities: [] })
      .when(cmd({ units: ['SN-1'] }))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'returned', locationId: store.id, reason: 'customer return' })
        expect(plan.document).toMatchObject({ type: 'return', prefix: 'RMA' })
      }))

  it('refuses a unit that was never sold, named as such', () => {
    ret
      .given({ location: store, units: [unit('SN-2', { at: store })], sales: sold, quantities: [] })
      .when(cmd({ units: ['SN-2'] }))
      .refuses('return.unverified', /never_sold: SN-2 was never sold: it is in our stock/)
  })

  it('brings counted items back into stock', () =>
    ret
      .given({ location: store, units: [], sales: sold, quantities: [quantityOf(sku('CABLE'), store, 2)] })
      .when(cmd({ quantities: [{ sku: 'CABLE', quantity: 2 }] }))
      .then((plan) => expect(plan.quantities[0]).toMatchObject({ delta: 2, locationId: store.id, priceMinor: null })))
})
