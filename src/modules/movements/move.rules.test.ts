import { describe, expect, it } from 'vitest'
import { location, quantityOf, sku, spec, unit } from '../../../test/rules-spec.js'
import { decideMove } from './move.rules.js'
import { MoveRequest } from './movements.schemas.js'

const site = location('WH')
const bin = location('BIN-1', site)
const store = location('STORE-A')
const cmd = (input: Record<string, unknown>) => MoveRequest.parse({ to: 'BIN-1', ...input })
const move = spec(decideMove)

describe('a move', () => {
  it('moves units to the destination and keeps their status (a quarantined unit stays quarantined)', () =>
    move
      .given({ to: bin, units: [unit('SN-1', { status: 'quarantined', at: site })], quantities: [] })
      .when(cmd({ units: ['SN-1'] }))
      .then((plan) => expect(plan).toMatchObject({ type: 'moved', locationId: bin.id, fromLocationId: null })))

  it('refuses units that are not inside the "from" location', () => {
    move
      .given({ to: bin, from: site, units: [unit('SN-2', { at: store })], quantities: [] })
      .when(cmd({ units: ['SN-2'], from: 'WH' }))
      .refuses('unit.wrong_location', /SN-2 is not at WH/)
  })

  it('takes quantity stock out of where it is and puts the same into the destination, if there is enough', () => {
    const cable = sku('CABLE', { priceMinor: 900 })
    const input = cmd({ quantities: [{ sku: 'CABLE', quantity: 4, from: 'STORE-A' }] })
    move
      .given({ to: bin, units: [], quantities: [quantityOf(cable, store, 4, { onHand: 4 })] })
      .when(input)
      .then((plan) =>
        expect(plan.quantities.map((q) => [q.locationId, q.delta])).toEqual([
          [store.id, -4],
          [bin.id, 4],
        ]),
      )
    move
      .given({ to: bin, units: [], quantities: [quantityOf(cable, store, 4, { onHand: 1 })] })
      .when(input)
      .refuses('stock.insufficient', /CABLE: 4 needed, 1 on hand/)
  })
})
