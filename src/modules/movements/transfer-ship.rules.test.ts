import { describe, expect, it } from 'vitest'
import { location, spec, unit } from '../../../test/rules-spec.js'
import { ShipTransferRequest } from './movements.schemas.js'
import { decideShipTransfer } from './transfer-ship.rules.js'

const wh = location('WH')
const zone = location('ZONE', wh)
const store = location('STORE-A')
const cmd = (input: Record<string, unknown>) => ShipTransferRequest.parse({ from: 'WH', to: 'STORE-A', ...input })
const ship = spec(decideShipTransfer)

describe('shipping a transfer', () => {
  it('puts units from the origin site in transit to the destination, on a new transfer document', () =>
    ship
      .given({ from: wh, to: store, units: [unit('SN-1', { at: zone })], quantities: [] })
      .when(cmd({ units: ['SN-1'], number: 'TRF-9' }))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'transfer_shipped', locationId: store.id, fromLocationId: wh.id })
        expect(plan.document).toMatchObject({ type: 'transfer', number: 'TRF-9', toLocationId: store.id })
      }))

  it('refuses a transfer within one site', () => {
    ship
      .given({ from: wh, to: zone, units: [unit('SN-1', { at: wh })], quantities: [] })
      .when(cmd({ units: ['SN-1'], to: 'ZONE' }))
      .refuses('transfer.invalid', /WH and ZONE are the same site; use a move/)
  })

  it('refuses units that are not at the origin', () => {
    ship
      .given({ from: wh, to: store, units: [unit('SN-2', { at: store })], quantities: [] })
      .when(cmd({ units: ['SN-2'] }))
      .refuses('unit.wrong_location', /SN-2 is not at WH/)
  })
})
