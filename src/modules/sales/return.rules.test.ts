import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { decideReturn } from './return.rules.js'
import { ReturnRequest } from './sales.schemas.js'

const store = location('STORE-A')
const cmd = (input: Record<string, unknown>) => ReturnRequest.parse({ location: 'STORE-A', ...input })
const ret = spec(decideReturn)

describe('a customer return', () => {
  it('takes a sold unit back into the location, status returned, with a default reason', () =>
    ret
      .given({ location: store, units: [unit('SN-1', { status: 'sold' })], quantities: [] })
      .when(cmd({ units: ['SN-1'] }))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'returned', locationId: store.id, reason: 'customer return' })
        expect(plan.document).toMatchObject({ type: 'return', prefix: 'RMA' })
      }))

  it('refuses a unit that was never sold', () => {
    ret
      .given({ location: store, units: [unit('SN-2', { at: store })], quantities: [] })
      .when(cmd({ units: ['SN-2'] }))
      .refuses('unit.illegal_transition', /SN-2 is in_stock; returned needs sold/)
  })

  it('brings counted items back into stock', () =>
    ret
      .given({ location: store, units: [], quantities: [quantityOf(sku('CABLE'), store, 2)] })
      .when(cmd({ quantities: [{ sku: 'CABLE', quantity: 2 }] }))
      .then((plan) => expect(plan.quantities[0]).toMatchObject({ delta: 2, locationId: store.id, priceMinor: null })))
})
