import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { decideAdjust } from './adjust.rules.js'
import { AdjustRequest, RestockRequest, ScrapRequest } from './adjustments.schemas.js'
import { decideRestock } from './restock.rules.js'
import { decideScrap } from './scrap.rules.js'

const store = location('STORE-A')
const wh = location('WH')
const adjust = (input: Record<string, unknown>) => AdjustRequest.parse({ reason: 'cycle count', ...input })

describe('restocking', () => {
  it('puts returned units back in stock where they are, with a default reason', () =>
    spec(decideRestock)
      .given([unit('SN-1', { status: 'returned', at: store })])
      .when(RestockRequest.parse({ units: ['SN-1'] }))
      .then((plan) => expect(plan).toMatchObject({ type: 'restocked', reason: 'restock', locationId: null })))

  it('refuses a unit that is in stock already', () => {
    spec(decideRestock)
      .given([unit('SN-2', { at: store })])
      .when(RestockRequest.parse({ units: ['SN-2'] }))
      .refuses('unit.illegal_transition', /restocked needs returned or quarantined or in_repair/)
  })
})

describe('stock found and lost', () => {
  it('finds a missing unit at the location it was found at', () =>
    spec(decideAdjust)
      .given({ location: store, units: [unit('SN-1', { status: 'missing' })], quantities: [] })
      .when(adjust({ kind: 'found', location: 'STORE-A', units: ['SN-1'] }))
      .then((plan) => expect(plan).toMatchObject({ type: 'found', locationId: store.id, fromLocationId: null })))

  it('needs to know where found units are', () => {
    spec(decideAdjust)
      .given({ units: [unit('SN-1', { status: 'missing' })], quantities: [] })
      .when(adjust({ kind: 'found', units: ['SN-1'] }))
      .refuses('request.invalid', /say where the found units are/)
  })

  it('refuses units lost "from" a location they were never at', () => {
    spec(decideAdjust)
      .given({ location: store, units: [unit('SN-1', { at: wh })], quantities: [] })
      .when(adjust({ kind: 'lost', location: 'STORE-A', units: ['SN-1'] }))
      .refuses('unit.wrong_location', /SN-1 is not at STORE-A/)
  })

  it('loses counted stock only down to zero, and finds it back', () => {
    const cable = sku('CABLE')
    const given = { units: [], quantities: [quantityOf(cable, store, 3, { onHand: 2 })] }
    const line = [{ sku: 'CABLE', location: 'STORE-A', quantity: 3 }]
    spec(decideAdjust)
      .given(given)
      .when(adjust({ kind: 'lost', quantities: line }))
      .refuses('stock.insufficient')
    spec(decideAdjust)
      .given(given)
      .when(adjust({ kind: 'found', quantities: line }))
      .then((plan) => expect(plan.quantities[0]?.delta).toBe(3))
  })
})

describe('scrapping', () => {
  it('scraps a returned unit for good, with its reason', () =>
    spec(decideScrap)
      .given({ units: [unit('SN-1', { status: 'returned', at: store })], quantities: [] })
      .when(ScrapRequest.parse({ reason: 'water damage', units: ['SN-1'] }))
      .then((plan) => expect(plan).toMatchObject({ type: 'scrapped', reason: 'water damage' })))

  it('refuses a unit already scrapped', () => {
    spec(decideScrap)
      .given({ units: [unit('SN-1', { status: 'scrapped' })], quantities: [] })
      .when(ScrapRequest.parse({ reason: 'again', units: ['SN-1'] }))
      .refuses('unit.illegal_transition', /SN-1 is scrapped/)
  })
})
