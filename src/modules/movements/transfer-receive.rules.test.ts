import { describe, expect, it } from 'vitest'
import { location, sku, spec, unit } from '../../../test/rules-spec.js'
import { ReceiveTransferRequest } from './movements.schemas.js'
import { decideReceiveTransfer, type ReceiveTransferFacts } from './transfer-receive.rules.js'

const wh = location('WH')
const store = location('STORE-A')
const shelf = location('SHELF', store)
const transfer = { id: 'doc-trf-1', number: 'TRF-1' }
const inTransit = unit('SN-1', { status: 'in_transit', transferId: transfer.id })
const facts = (over: Partial<ReceiveTransferFacts> = {}): ReceiveTransferFacts => ({
  transfer,
  origin: wh,
  destination: store,
  target: store,
  units: [inTransit],
  outstanding: [],
  ...over,
})
const cmd = (input: Record<string, unknown> = {}) => ({ ...ReceiveTransferRequest.parse(input), number: 'TRF-1' })
const arrive = spec(decideReceiveTransfer)

describe('receiving a transfer', () => {
  it('puts what arrived into a bin of the destination, on the same transfer document', () =>
    arrive
      .given(facts({ target: shelf, outstanding: [{ sku: sku('CABLE'), lotId: null, quantity: 5 }] }))
      .when(cmd({ location: 'SHELF' }))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'transfer_received', locationId: shelf.id, fromLocationId: wh.id })
        expect(plan.document).toEqual({ type: 'transfer', existingId: transfer.id, number: 'TRF-1' })
        expect(plan.quantities).toEqual([expect.objectContaining({ locationId: shelf.id, delta: 5 })])
      }))

  it('refuses a place outside the destination', () => {
    arrive
      .given(facts({ target: wh }))
      .when(cmd())
      .refuses('transfer.invalid', /WH is not inside the destination STORE-A/)
  })

  it('refuses units that are not travelling on this transfer', () => {
    const stray = unit('SN-9', { status: 'in_transit', transferId: 'doc-other' })
    arrive
      .given(facts({ units: [stray] }))
      .when(cmd())
      .refuses('transfer.invalid', /PHX SN-9 not in transit on TRF-1/)
  })

  it('refuses a transfer with nothing left in transit', () => {
    arrive
      .given(facts({ units: [] }))
      .when(cmd())
      .refuses('transfer.invalid', /TRF-1 has nothing left in transit/)
  })
})
