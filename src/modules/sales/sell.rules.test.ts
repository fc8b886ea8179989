import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { BUSINESS_TIME_SKEW_MS } from '../operations/operations.rules.js'
import { SellRequest } from './sales.schemas.js'
import { decideSell, namesOwnPrices, type SellFacts } from './sell.rules.js'

const store = location('STORE-A')
const elsewhere = location('WH')
const phone = unit('SN-1', { at: store })
const facts = (over: Partial<SellFacts> = {}): SellFacts => ({
  units: [phone],
  listPrices: new Map([[phone.skuId, 79900]]),
  quantities: [],
  ...over,
})
const cmd = (input: Record<string, unknown>) => SellRequest.parse({ orderRef: 'POS-1', ...input })
const sale = spec(decideSell)

describe('a sale', () => {
  it('sells an in-stock unit at its list price to the customer, on an order', () =>
    sale
      .given(facts({ customer: { id: 'cus-1' } }))
      .when(cmd({ units: ['SN-1'], customer: 'C1' }))
      .then((plan) => {
        expect(plan.units).toEqual([{ unit: phone, priceMinor: 79900 }])
        expect(plan.payload).toEqual({ customerId: 'cus-1', orderRef: 'POS-1' })
        expect(plan.document).toMatchObject({ type: 'order', prefix: 'ORD', partyId: 'cus-1', reference: 'POS-1' })
      }))

  it('uses the price a unit line names', () =>
    sale
      .given(facts())
      .when(cmd({ units: [{ serial: 'SN-1', price: 699.5 }] }))
      .then((plan) => expect(plan.units[0]?.priceMinor).toBe(69950)))

  it('refuses a unit that is not in stock', () => {
    sale
      .given(facts({ units: [unit('SN-2', { status: 'sold' })] }))
      .when(cmd({ units: ['SN-2'] }))
      .refuses('unit.illegal_transition', /SN-2 is sold/)
  })

  it('refuses a unit that is not at the selling store', () => {
    sale
      .given(facts({ from: store, units: [unit('SN-3', { at: elsewhere })] }))
      .when(cmd({ units: ['SN-3'], from: 'STORE-A' }))
      .refuses('unit.wrong_location', /PHX SN-3 is not at STORE-A/)
  })

  it('sells counted items from the shelf only while there are enough', () => {
    const cable = sku('CABLE', { priceMinor: 1500 })
    const twoLeft = facts({ units: [], quantities: [quantityOf(cable, store, 3, { onHand: 2 })] })
    const input = cmd({ quantities: [{ sku: 'CABLE', location: 'STORE-A', quantity: 3 }] })
    sale
      .given(twoLeft)
      .when(input)
      .refuses('stock.insufficient', /CABLE: 3 needed, 2 on hand/)
    const enough = facts({ units: [], quantities: [quantityOf(cable, store, 3, { onHand: 5 })] })
    sale
      .given(enough)
      .when(input)
      .then((plan) => expect(plan.quantities).toEqual([expect.objectContaining({ delta: -3, priceMinor: 1500 })]))
  })

  it('refuses a sale of nothing', () => {
    sale
      .given(facts({ units: [] }))
      .when(cmd({}))
      .refuses('request.invalid', /at least one unit or quantity/)
  })

  it('needs the price override only when the sale names its own prices', () => {
    expect(namesOwnPrices(cmd({ units: ['SN-1'] }))).toBe(false)
    expect(namesOwnPrices(cmd({ units: [{ serial: 'SN-1', price: 1 }] }))).toBe(true)
    expect(namesOwnPrices(cmd({ quantities: [{ sku: 'C', location: 'L', quantity: 1, price: 2 }] }))).toBe(true)
  })
})

describe('a sale dated before what it touches', () => {
  const received = { type: 'received' as const, occurredAt: '2026-06-01T10:00:00.000Z' }
  const phoneReceived = unit('SN-1', { at: store, latestEvent: received })

  it('refuses a business time before the unit was received, naming the unit and the event', () =>
    sale
      .given(facts({ units: [phoneReceived] }))
      .when(cmd({ units: ['SN-1'], soldAt: '2020-01-01T00:00:00Z' }))
      .refuses(
        'time.before_latest_event',
        /PHX SN-1: sold at 2020-01-01T00:00:00.000Z would come before its latest event, received at 2026-06-01T10:00/,
      ))

  it('allows up to BUSINESS_TIME_SKEW_MS of clock skew, and not a millisecond more', () => {
    const at = (ms: number) => new Date(Date.parse(received.occurredAt) - ms).toISOString()
    sale
      .given(facts({ units: [phoneReceived] }))
      .when(cmd({ units: ['SN-1'], soldAt: at(BUSINESS_TIME_SKEW_MS) }))
      .then((plan) => expect(plan.occurredAt).toBe('2026-06-01T09:55:00.000Z'))
    sale
      .given(facts({ units: [phoneReceived] }))
      .when(cmd({ units: ['SN-1'], soldAt: at(BUSINESS_TIME_SKEW_MS + 1) }))
      .refuses('time.before_latest_event', /SN-1/)
  })

  it('refuses quantity stock whose row changed later, naming the SKU and location', () => {
    const cables = sku('CABLE')
    const line = quantityOf(cables, store, 2, {
      onHand: 5,
      latestEvent: { type: 'moved', occurredAt: received.occurredAt },
    })
    sale
      .given(facts({ units: [], quantities: [line] }))
      .when(cmd({ quantities: [{ sku: 'CABLE', location: 'STORE-A', quantity: 2 }], soldAt: '2026-05-01T00:00:00Z' }))
      .refuses('time.before_latest_event', /CABLE at STORE-A: sold at .* before its latest event, moved at 2026-06-01/)
  })
})
