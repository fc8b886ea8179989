import { describe, expect, it } from 'vitest'
import { CTX, location, quantityOf, sku, unit } from '../../../test/rules-spec.js'
import {
  businessTime,
  planOperation,
  plannedQuantities,
  refuseBadQuantityLine,
  refuseInsufficientStock,
  refuseOutsideScope,
} from './operations.rules.js'

const store = location('STORE-A')
const other = location('STORE-B')
const draft = {
  type: 'sold' as const,
  document: { type: 'order' as const, prefix: 'ORD' },
  to: null,
  from: store,
  reason: 'sale',
  occurredAt: '2026-03-01T10:00:00.000Z',
  payload: {},
  quantities: [],
}

describe('every operation', () => {
  it('given units whose status allows the event, plans one line per unit with its price', () => {
    const u = unit('SN-1', { at: store })
    const plan = planOperation(CTX, { ...draft, units: [u], unitPrices: [79900] })
    expect(plan).toMatchObject({ type: 'sold', fromLocationId: store.id, locationId: null })
    expect(plan.units).toEqual([{ unit: u, priceMinor: 79900 }])
  })

  it('refuses every unit in a status the event does not allow, naming each, before anything else', () => {
    const units = [unit('SN-1', { status: 'sold' }), unit('SN-2', { at: store }), unit('SN-3', { status: 'missing' })]
    const refuse = () => planOperation({ ...CTX, locationScope: ['/NOWHERE/'] }, { ...draft, units })
    expect(refuse).toThrow(/SN-1 is sold; sold needs in_stock \(and 1 more\)/)
    try {
      refuse()
    } catch (e) {
      expect((e as { details: { issues: { field: string }[] } }).details.issues.map((i) => i.field)).toEqual([
        'units[0]',
        'units[2]',
      ])
    }
  })

  it('refuses a clerk of one store acting on stock at another', () => {
    expect(() => refuseOutsideScope({ ...CTX, locationScope: [store.path] }, [store.path, other.path])).toThrow(
      /clerk may not act at \/STORE-B\//,
    )
    expect(() => refuseOutsideScope({ ...CTX, locationScope: [store.path] }, [`${store.path}BIN-1/`])).not.toThrow()
    expect(() => refuseOutsideScope(CTX, [other.path])).not.toThrow()
  })

  it('does not hold a shipped transfer to the scope of its destination', () => {
    const u = unit('SN-1', { at: store })
    const ship = { ...draft, type: 'transfer_shipped' as const, to: other, units: [u] }
    expect(() => planOperation({ ...CTX, locationScope: [store.path] }, ship)).not.toThrow()
    expect(() => planOperation({ ...CTX, locationScope: [store.path] }, { ...ship, type: 'moved' })).toThrow(/STORE-B/)
  })

  it('sums the deltas of one SKU, lot and location before comparing with what is on hand', () => {
    const cable = sku('CABLE')
    const lines = plannedQuantities(
      [quantityOf(cable, store, 4, { onHand: 6 }), quantityOf(cable, store, 3, { onHand: 6 })],
      -1,
    )
    expect(() => refuseInsufficientStock(lines)).toThrow(/CABLE: 7 needed, 6 on hand at that location/)
    expect(() => refuseInsufficientStock(lines.slice(0, 1))).not.toThrow()
    const back = lines.map((l) => ({ ...l, delta: -l.delta }))
    expect(() => refuseInsufficientStock([...lines, ...back])).not.toThrow()
  })

  it('lets a SKU that allows negative stock go below zero', () => {
    const loose = sku('LOOSE', { allowNegative: true })
    expect(() => refuseInsufficientStock(plannedQuantities([quantityOf(loose, store, 9)], -1))).not.toThrow()
  })

  it('prices stock leaving at the list price unless the line names one, stock arriving at none', () => {
    const cable = sku('CABLE', { priceMinor: 1299 })
    expect(plannedQuantities([quantityOf(cable, store, 1)], -1)[0]).toMatchObject({ delta: -1, priceMinor: 1299 })
    expect(plannedQuantities([quantityOf(cable, store, 1, { priceMinor: 999 })], -1)[0]?.priceMinor).toBe(999)
    expect(plannedQuantities([quantityOf(cable, store, 2)], 1)[0]).toMatchObject({ delta: 2, priceMinor: null })
  })

  it('checks a quantity line against its SKU: serials by serial, lots named and known, none otherwise', () => {
    const line =
      (over: Parameters<typeof quantityOf>[3], s = sku('X')) =>
      () =>
        refuseBadQuantityLine(quantityOf(s, store, 1, over))
    expect(line({}, sku('PHX', { tracking: 'serial' }))).toThrow(/PHX is serial-tracked; list its units by serial/)
    expect(line({}, sku('MILK', { tracking: 'lot' }))).toThrow(
      /quantities\[0\]\.lot: MILK is lot-tracked; name the lot/,
    )
    expect(line({ lotCode: 'L1', lotId: undefined }, sku('MILK', { tracking: 'lot' }))).toThrow(/MILK has no lot L1/)
    expect(line({ lotCode: 'L1', lotId: 'lot-1' }, sku('MILK', { tracking: 'lot' }))).not.toThrow()
    expect(line({ lotCode: 'L1' })).toThrow(/X has no lots/)
  })

  it('takes the business time given, in UTC, or now', () => {
    expect(businessTime('2026-02-01T12:00:00+02:00', CTX.now)).toBe('2026-02-01T10:00:00.000Z')
    expect(businessTime(undefined, CTX.now)).toBe(CTX.now.toISOString())
  })
})
