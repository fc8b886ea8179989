import { describe, expect, it } from 'vitest'
import { NOW, spec, unit } from '../../../test/rules-spec.js'
import { decideRepairReturn, decideUnitTerm } from './claims.rules.js'
import { RepairReturnRequest, UnitTermRequest } from './warranty.schemas.js'

const term = spec(decideUnitTerm)
const handBack = spec(decideRepairReturn)

describe("a unit's own warranty term", () => {
  it('is one event over the named units with the months and label, on no location', () =>
    term
      .given({ units: [unit('SN-1', { status: 'sold' }), unit('SN-2')] })
      .when(UnitTermRequest.parse({ units: ['SN-1', 'SN-2'], months: 3, label: 'promotion' }))
      .then((plan) =>
        expect(plan).toMatchObject({
          type: 'warranty_term_set',
          document: { type: 'warranty_claim', prefix: 'WTS' },
          reason: 'promotion',
          occurredAt: NOW.toISOString(),
          payload: { warrantyMonths: 3, label: 'promotion' },
          locationId: null,
          fromLocationId: null,
          units: [{ unit: { serial: 'SN-1' } }, { unit: { serial: 'SN-2' } }],
          quantities: [],
        }),
      ))

  it('refuses a request that names no unit', () =>
    term
      .given({ units: [] })
      .when(UnitTermRequest.parse({ months: 3, label: 'promotion' }))
      .refuses('request.invalid', /at least one unit/))
})

describe('repaired units handed back', () => {
  it('go back to their customers at the given time, "repaired" unless a reason is given', () => {
    const at = '2026-02-10T10:00:00Z'
    handBack
      .given({ units: [unit('SN-3', { status: 'in_repair' })] })
      .when(RepairReturnRequest.parse({ units: ['SN-3'], at }))
      .then((plan) =>
        expect(plan).toMatchObject({
          type: 'repair_returned',
          document: { type: 'warranty_claim', prefix: 'RPR' },
          reason: 'repaired',
          occurredAt: new Date(at).toISOString(),
          payload: {},
          units: [{ unit: { serial: 'SN-3' } }],
        }),
      )
  })

  it('refuses a unit that is not in repair, and a request that names none', () => {
    handBack
      .given({ units: [unit('SN-4', { status: 'in_stock' })] })
      .when(RepairReturnRequest.parse({ units: ['SN-4'] }))
      .refuses('unit.illegal_transition', /SN-4/)
    handBack.given({ units: [] }).when(RepairReturnRequest.parse({})).refuses('request.invalid')
  })
})
