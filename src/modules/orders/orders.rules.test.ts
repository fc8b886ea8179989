import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import {
  checkHeldPick,
  checkPick,
  decideCancelOrder,
  decideShipOrder,
  type OrderFacts,
  orderStatus,
  type ShipFacts,
} from './orders.rules.js'
import { ShipOrderRequest } from './orders.schemas.js'

const store = location('STORE')
const elsewhere = location('WH')
const cable = sku('CABLE')
const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: 'doc-1',
  number: 'SO-1',
  externalRef: 'SHOP-1',
  customerId: 'cus-1',
  site: store,
  isCancelled: false,
  picked: [],
  request: '{}',
  lines: [
    {
      sku: { id: 'sku-PHX', code: 'PHX', tracking: 'serial', name: 'Phone' },
      quantity: 2,
      priceMinor: 70000,
      reserve: false,
      shipped: 0,
    },
    {
      sku: { id: cable.id, code: 'CABLE', tracking: 'quantity', name: 'Cable' },
      quantity: 3,
      priceMinor: 900,
      reserve: true,
      shipped: 0,
    },
  ],
  ...over,
})
// No recall covers the units unless a test says so.
type Given = Omit<ShipFacts, 'recalls'> & Partial<Pick<ShipFacts, 'recalls'>>
const ship = spec((c: ShipOrderRequest, f: Given, ctx) => decideShipOrder(c, { recalls: new Map(), ...f }, ctx))
const cmd = (input: Record<string, unknown>) => ShipOrderRequest.parse(input)

describe('picking a unit for an order', () => {
  const o = order()
  it('accepts an in-stock unit of a needed SKU at the site, and counts down what is open', () =>
    expect(checkPick(o, unit('SN-1', { at: store }), [])).toEqual({
      ok: true,
      message: 'PHX SN-1 picked (1 more PHX to pick)',
    }))

  it('refuses a unit of a SKU not on the order', () =>
    expect(checkPick(o, unit('T-1', { at: store, skuId: 'sku-TAB', skuCode: 'TAB' }), [])).toMatchObject({
      ok: false,
      code: 'order.wrong_sku',
    }))

  it('refuses a unit already picked, one not in stock, a quarantined one and one at another site', () => {
    const u = unit('SN-2', { at: store })
    expect(checkPick(o, u, [u])).toMatchObject({ code: 'order.already_picked' })
    expect(checkPick(o, unit('SN-3', { status: 'sold' }), [])).toMatchObject({
      code: 'order.unit_not_pickable',
      message: 'PHX SN-3 is sold, not in stock',
    })
    expect(checkPick(o, unit('SN-4', { status: 'quarantined', at: store }), [])).toMatchObject({
      code: 'order.unit_not_pickable',
      message: 'PHX SN-4 is quarantined and may not be shipped',
    })
    expect(checkPick(o, unit('SN-5', { at: elsewhere }), [])).toMatchObject({ message: 'PHX SN-5 is not at STORE' })
  })

  it('refuses a unit once its line is complete', () => {
    const picked = [unit('A', { at: store }), unit('B', { at: store })]
    expect(checkPick(o, unit('C', { at: store }), picked)).toMatchObject({ code: 'order.not_needed' })
  })
  it('refuses a pick another order holds or an open recall covers, after the order’s own refusals', () => {
    const u = unit('SN-6', { at: store })
    const ok = checkPick(o, u, [])
    expect(checkHeldPick(ok, u, undefined, undefined)).toBe(ok)
    expect(checkHeldPick(ok, u, 'PHX SN-6 is reserved for order SO-9', 'RCL-1')).toEqual({
      ok: false,
      code: 'order.reserved',
      message: 'PHX SN-6 is reserved for order SO-9',
    })
    expect(checkHeldPick(ok, u, undefined, 'RCL-1')).toEqual({
      ok: false,
      code: 'recall.affected',
      message: 'SN-6 is under recall RCL-1',
    })
    const sold = checkPick(o, unit('SN-7', { status: 'sold' }), [])
    expect(checkHeldPick(sold, u, undefined, 'RCL-1')).toBe(sold)
  })
})

describe('shipping an order', () => {
  it('refuses a unit an open recall covers, naming the recall, even on a closed order', () => {
    const sn = unit('SN-1', { at: store })
    const refused = ship
      .given({
        order: order({ isCancelled: true }),
        units: [sn],
        duplicates: [],
        quantities: [],
        recalls: new Map([[sn.id, 'RCL-1']]),
      })
      .when(cmd({ units: ['SN-1'] }))
      .refuses('recall.affected', /RCL-1/)
    expect(refused.details?.issues).toEqual([expect.objectContaining({ field: 'units[0]', value: 'SN-1' })])
  })

  it('is a sale on the order’s document at the order’s prices, leaving the rest open', () =>
    ship
      .given({ order: order(), units: [unit('SN-1', { at: store })], duplicates: [], quantities: [] })
      .when(cmd({ units: ['SN-1'] }))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'sold', fromLocationId: store.id })
        expect(plan.document).toEqual({ type: 'sales_order', existingId: 'doc-1', number: 'SO-1' })
        expect(plan.payload).toEqual({ customerId: 'cus-1', orderRef: 'SHOP-1', salesOrder: 'SO-1' })
        expect(plan.units[0]?.priceMinor).toBe(70000)
      }))

  it('refuses more of a quantity line than is open, and stock that is not there', () => {
    ship
      .given({ order: order(), units: [], duplicates: [], quantities: [quantityOf(cable, store, 4, { onHand: 9 })] })
      .when(cmd({ quantities: [{ sku: 'CABLE', location: 'STORE', quantity: 4 }] }))
      .refuses('order.not_needed', /CABLE: 4 shipped, 3 open/)
    ship
      .given({ order: order(), units: [], duplicates: [], quantities: [quantityOf(cable, store, 2, { onHand: 1 })] })
      .when(cmd({ quantities: [{ sku: 'CABLE', location: 'STORE', quantity: 2 }] }))
      .refuses('stock.insufficient', /CABLE: 2 needed, 1 on hand/)
  })

  it('refuses stock that other open orders hold at the site, naming them', () => {
    const q = quantityOf(cable, store, 3, { onHand: 9 })
    const held = { site: store, skuId: cable.id, sku: 'CABLE', onHand: 4, reserved: 2, orders: ['SO-7'] }
    ship
      .given({ order: order(), units: [], duplicates: [], quantities: [q], holds: { units: [], quantities: [held] } })
      .when(cmd({ quantities: [{ sku: 'CABLE', location: 'STORE', quantity: 3 }] }))
      .refuses('order.reserved', /CABLE: 3 wanted at STORE, 2 free \(2 reserved for order SO-7\)/)
  })

  it('refuses a unit picked for another order, and counts its own picks as taken', () => {
    const sn1 = unit('SN-1', { at: store })
    const sn2 = unit('SN-2', { at: store })
    ship
      .given({
        order: order(),
        units: [sn1],
        duplicates: [],
        quantities: [],
        holds: { units: [{ unitId: sn1.id, order: 'SO-9' }], quantities: [] },
      })
      .when(cmd({ units: ['SN-1'] }))
      .refuses('order.reserved', /PHX SN-1 is reserved for order SO-9/)
    const picked = [
      { id: 'u-A', serial: 'A', skuId: sn1.skuId },
      { id: 'u-B', serial: 'B', skuId: sn1.skuId },
    ]
    ship
      .given({ order: order({ picked }), units: [sn2], duplicates: [], quantities: [] })
      .when(cmd({ units: ['SN-2'] }))
      .refuses('order.not_needed', /no more PHX needed/)
  })

  it('refuses a serial listed twice as already picked', () => {
    ship
      .given({ order: order(), units: [unit('SN-1', { at: store })], duplicates: ['SN-1'], quantities: [] })
      .when(cmd({ units: ['SN-1', 'SN-1'] }))
      .refuses('order.already_picked', /SN-1 is listed twice/)
  })

  it('refuses a shipped or cancelled order', () => {
    const done = order({ lines: order().lines.map((l) => ({ ...l, shipped: l.quantity })) })
    expect(orderStatus(done)).toBe('shipped')
    ship
      .given({ order: done, units: [unit('SN-1', { at: store })], duplicates: [], quantities: [] })
      .when(cmd({ units: ['SN-1'] }))
      .refuses('order.closed', /SO-1 is shipped/)
    spec(decideCancelOrder)
      .given({ order: order({ isCancelled: true }) })
      .when({})
      .refuses('order.closed', /SO-1 is cancelled/)
  })
})

describe('an order’s status', () => {
  it('is partially shipped while a back-order is open', () => {
    const lines = order().lines.map((l, i) => ({ ...l, shipped: i === 0 ? 1 : 0 }))
    expect(orderStatus(order({ lines }))).toBe('partially_shipped')
    expect(orderStatus(order())).toBe('open')
  })
})
