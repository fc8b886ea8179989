import { describe, expect, it } from 'vitest'
import { location, spec, unit } from '../../../test/rules-spec.js'
import { decideSell } from '../sales/sell.rules.js'
import {
  decideClaimStatus,
  decideInspect,
  decideOpenRecall,
  decideRelease,
  refuseBadCriteria,
  refuseQuarantinedToStore,
} from './quality.rules.js'
import { InspectRequest } from './quality.schemas.js'

const wh = location('WH')
const held = unit('SN-1', { at: wh, status: 'quarantined' })
const free = unit('SN-2', { at: wh })
const codes = new Map([
  ['SCREEN', { retired: false }],
  ['OLD', { retired: true }],
])
const inspection = (input: Record<string, unknown>) =>
  InspectRequest.parse({ units: ['SN-2'], stage: 'receiving', ...input })

describe('inspections', () => {
  const inspect = spec(decideInspect).given({ units: [free], codes, attachments: [] })
  it('records a pass, or a failure with its codes, as an observation of the units', () => {
    inspect.when(inspection({ result: 'pass' })).then((plan) => {
      expect(plan).toMatchObject({ type: 'inspected', reason: 'inspection_pass', document: { type: 'inspection' } })
    })
    inspect.when(inspection({ result: 'fail', defectCodes: ['SCREEN'], notes: 'cracked' })).then((plan) => {
      expect(plan.type).toBe('inspected')
      expect(plan.payload).toMatchObject({ inspection: { result: 'fail', defectCodes: ['SCREEN'], notes: 'cracked' } })
    })
  })
  it('quarantines in the same event when a failure asks to', () =>
    inspect.when(inspection({ result: 'fail', defectCodes: ['SCREEN'], quarantine: true })).then((plan) => {
      expect(plan).toMatchObject({ type: 'quarantined', reason: 'inspection_fail', units: [{ unit: free }] })
    }))
  it('refuses a failure without codes, unknown or retired codes, and a quarantining pass', () => {
    inspect.when(inspection({ result: 'fail' })).refuses('request.invalid', /at least one defect code/)
    const bad = inspect
      .when(inspection({ result: 'fail', defectCodes: ['NOPE', 'OLD'] }))
      .refuses('defect_code.not_found')
    expect(bad.details?.issues?.map((i) => i.field)).toEqual(['defectCodes[0]', 'defectCodes[1]'])
    inspect.when(inspection({ result: 'pass', quarantine: true })).refuses('request.invalid', /only a failed/)
  })
  it('records an inspection of a unit in transit without moving it, but will not quarantine it there', () => {
    const moving = unit('SN-3', { status: 'in_transit', transferId: 'TRF-1' })
    const onTheRoad = spec(decideInspect).given({ units: [free, moving], codes, attachments: [] })
    onTheRoad.when(inspection({ units: ['SN-2', 'SN-3'], result: 'fail', defectCodes: ['SCREEN'] })).then((plan) => {
      expect(plan).toMatchObject({ type: 'inspected', locationId: null, units: [{ unit: free }, { unit: moving }] })
    })
    const refused = onTheRoad
      .when(inspection({ units: ['SN-2', 'SN-3'], result: 'fail', defectCodes: ['SCREEN'], quarantine: true }))
      .refuses('unit.illegal_transition', /units in transit cannot be quarantined/)
    expect(refused.details?.issues).toEqual([
      expect.objectContaining({ field: 'units[1]', message: expect.stringMatching(/SN-3 is in transit/) }),
    ])
  })
})

describe('quarantine and recalls', () => {
  it('keeps quarantined units out of the stores', () => {
    expect(() => refuseQuarantinedToStore([free, held], { code: 'ST', kind: 'store' })).toThrow(
      expect.objectContaining({ code: 'unit.quarantined', message: expect.stringContaining('quarantined') }),
    )
    expect(() => refuseQuarantinedToStore([held], { code: 'WH2', kind: 'warehouse' })).not.toThrow()
  })
  it('refuses a sale of a recalled unit naming the recall, before anything else', () =>
    spec(decideSell)
      .given({
        units: [free],
        listPrices: new Map([[free.skuId, 100]]),
        quantities: [],
        recalls: new Map([[free.id, 'RCL-7']]),
      })
      .when({ units: ['SN-2'], quantities: [], orderRef: 'O-1' })
      .refuses('recall.affected', /RCL-7/))
  it('releases quarantined units with a reason, not while a recall covers them', () => {
    const release = spec(decideRelease)
    release
      .given({ units: [held], recalls: new Map() })
      .when({ units: ['SN-1'], reason: 'tested' })
      .then((plan) => expect(plan).toMatchObject({ type: 'released', reason: 'tested' }))
    release
      .given({ units: [held], recalls: new Map([[held.id, 'RCL-1']]) })
      .when({ units: ['SN-1'], reason: 'tested' })
      .refuses('recall.affected', /RCL-1/)
    release
      .given({ units: [free], recalls: new Map() })
      .when({ units: ['SN-2'], reason: 'x' })
      .refuses('unit.illegal_transition')
  })
  it('names each bad criterion', () => {
    expect(() => refuseBadCriteria({})).toThrow(expect.objectContaining({ code: 'recall.invalid_criteria' }))
    try {
      refuseBadCriteria({
        skus: ['A'],
        soldFrom: '2026-03-01',
        soldTo: '2026-02-01',
        serialRange: { from: 'B', to: 'A' },
      })
      expect.unreachable()
    } catch (e) {
      const fields = (e as { details: { issues: { field: string }[] } }).details.issues.map((i) => i.field)
      expect(fields).toEqual(['criteria.soldFrom', 'criteria.serialRange'])
    }
    spec(decideOpenRecall)
      .given({ resolved: { skuIds: ['sku-1'] } })
      .when({ title: 'bad batch', criteria: { skus: ['A'] } })
      .then((plan) =>
        expect(plan).toMatchObject({ type: 'recall_opened', units: [], document: { type: 'recall', prefix: 'RCL' } }),
      )
  })
})

describe('supplier claims', () => {
  const claim = (status: 'open' | 'sent' | 'accepted') => ({
    claim: { id: 'c', number: 'CLM-1', status, supplierId: 's', unitIds: [] },
  })
  it('goes open → sent → accepted → credited, with the amount and the credit note', () => {
    spec(decideClaimStatus)
      .given(claim('open'))
      .when({ status: 'sent' })
      .then((p) => expect(p.reason).toBe('sent'))
    spec(decideClaimStatus).given(claim('open')).when({ status: 'credited' }).refuses('claim.invalid_status', /open/)
    spec(decideClaimStatus).given(claim('accepted')).when({ status: 'credited' }).refuses('request.invalid')
    spec(decideClaimStatus)
      .given(claim('accepted'))
      .when({ status: 'credited', creditedAmountMinor: 50000, creditNote: 'CN-1' })
      .then((p) => expect(p.payload).toMatchObject({ creditedAmountMinor: 50000, creditNote: 'CN-1' }))
  })
})
