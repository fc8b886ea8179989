import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { gs1CheckDigit } from '../gs1/ai.rules.js'
import { containerKind, decidePack, decideUnpack, type ContainerFact } from './containers.rules.js'
import { PackRequest, UnpackRequest } from './containers.schemas.js'
import { decideMove } from '../movements/move.rules.js'
import { MoveRequest } from '../movements/movements.schemas.js'

const wh = location('WH')
const store = location('ST')
const SSCC = '10614141123456789' + gs1CheckDigit('10614141123456789')
const box = (over: Partial<ContainerFact> = {}): ContainerFact => ({
  code: 'BOX-1',
  exists: true,
  parentCode: null,
  ancestors: [],
  locationId: wh.id,
  ...over,
})
const pack = spec(decidePack)
const unpack = spec(decideUnpack)
const packCmd = (input: Record<string, unknown>) => PackRequest.parse({ container: 'BOX-1', ...input })

describe('packing', () => {
  it('tells an SSCC (check digit verified) from our own code', () => {
    expect(containerKind(SSCC)).toBe('sscc')
    expect(containerKind('PAL-7')).toBe('own')
    expect(() => containerKind(SSCC.slice(0, 17) + ((Number(SSCC[17]) + 1) % 10))).toThrow(/check digit/)
  })

  it('packs in-stock units at the container into it, the code on the event', () =>
    pack
      .given({ container: box({ exists: false, locationId: null }), units: [unit('SN-1', { at: wh })] })
      .when(packCmd({ units: ['SN-1'] }))
      .then((plan) => expect(plan).toMatchObject({ type: 'packed', payload: { container: 'BOX-1', kind: 'own' } })))

  it('refuses a unit in another container, one not in stock, one elsewhere, and a cycle', () => {
    pack
      .given({ container: box(), units: [{ ...unit('SN-2', { at: wh }), containerCode: 'BOX-9' }] })
      .when(packCmd({ units: ['SN-2'] }))
      .refuses('container.unit_in_other_container', /SN-2 is already packed in BOX-9/)
    pack
      .given({ container: box(), units: [unit('SN-3', { status: 'sold' })] })
      .when(packCmd({ units: ['SN-3'] }))
      .refuses('unit.illegal_transition', /SN-3 is sold/)
    pack
      .given({ container: box(), units: [unit('SN-4', { at: store })] })
      .when(packCmd({ units: ['SN-4'] }))
      .refuses('container.location_mismatch', /SN-4 is at \S*ST/)
    pack
      .given({ container: box(), parent: box({ code: 'PAL-1', ancestors: ['BOX-1'] }), units: [] })
      .when(packCmd({ parent: 'PAL-1' }))
      .refuses('container.cycle', /BOX-1 cannot go into PAL-1/)
  })

  it('unpacks only what is in the container; naming nothing empties it', () => {
    const inBox = { ...unit('SN-5', { at: wh }), containerCode: 'BOX-1' }
    unpack
      .given({ container: box(), units: [{ ...inBox, containerCode: 'BOX-2' }] })
      .when(UnpackRequest.parse({ container: 'BOX-1', units: ['SN-5'] }))
      .refuses('container.unit_not_in_container', /SN-5 is not in BOX-1/)
    unpack
      .given({ container: box(), units: [inBox] })
      .when(UnpackRequest.parse({ container: 'BOX-1' }))
      .then((plan) => expect(plan).toMatchObject({ type: 'unpacked', payload: { container: 'BOX-1', emptied: true } }))
  })

  it('refuses moving a packed unit on its own, not when its container was named', () => {
    const packed = { ...unit('SN-6', { at: wh }), containerCode: 'BOX-1' }
    const move = spec(decideMove)
    move
      .given({ to: store, units: [packed], quantities: [] })
      .when(MoveRequest.parse({ to: 'ST', units: ['SN-6'] }))
      .refuses('container.packed_unit', /SN-6 is packed in BOX-1/)
    move
      .given({ to: store, units: [{ ...packed, viaContainer: 'BOX-1' }], quantities: [] })
      .when(MoveRequest.parse({ to: 'ST', containers: ['BOX-1'] }))
      .then((plan) => expect(plan.units).toHaveLength(1))
  })

  it('packs loose stock into the payload (no stock line), refusing more than is loose and stock elsewhere', () => {
    const cable = sku('CBL')
    pack
      .given({ container: box(), units: [], quantities: [quantityOf(cable, wh, 4, { onHand: 10 })] })
      .when(packCmd({ quantities: [{ sku: 'CBL', quantity: 4 }] }))
      .then((plan) => {
        expect(plan.quantities).toEqual([])
        expect(plan.payload.quantities).toEqual([{ skuId: cable.id, lotId: null, locationId: wh.id, quantity: 4 }])
      })
    pack
      .given({ container: box(), units: [], quantities: [quantityOf(cable, wh, 11, { onHand: 10 })] })
      .when(packCmd({ quantities: [{ sku: 'CBL', quantity: 11 }] }))
      .refuses('stock.insufficient', /11 needed, 10 on hand/)
    pack
      .given({ container: box(), units: [], quantities: [quantityOf(cable, store, 1, { onHand: 10 })] })
      .when(packCmd({ quantities: [{ sku: 'CBL', quantity: 1 }] }))
      .refuses('container.location_mismatch', /CBL at ST is not where the container is/)
  })

  it('unpacks packed stock named (no more than is packed), or all of it when emptying', () => {
    const packed = [{ skuId: 'sku-CBL', lotId: null, locationId: wh.id, quantity: 5, skuCode: 'CBL', lotCode: null }]
    unpack
      .given({ container: box(), units: [], packed })
      .when(UnpackRequest.parse({ container: 'BOX-1', quantities: [{ sku: 'CBL', quantity: 6 }] }))
      .refuses('container.quantity_not_in_container', /6 of CBL to take out, 5 packed in BOX-1/)
    unpack
      .given({ container: box(), units: [], packed })
      .when(UnpackRequest.parse({ container: 'BOX-1', quantities: [{ sku: 'cbl', quantity: 2 }] }))
      .then((plan) =>
        expect(plan.payload.quantities).toEqual([{ skuId: 'sku-CBL', lotId: null, locationId: wh.id, quantity: 2 }]),
      )
    unpack
      .given({ container: box(), units: [], packed })
      .when(UnpackRequest.parse({ container: 'BOX-1' }))
      .then((plan) => expect(plan.payload).toMatchObject({ emptied: true, quantities: [{ quantity: 5 }] }))
  })
})
