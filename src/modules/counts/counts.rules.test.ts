import { describe, expect, it } from 'vitest'
import { location, spec, unit } from '../../../test/rules-spec.js'
import {
  type CountFact,
  decideClose,
  decideRecount,
  decideScans,
  decideStart,
  judgeUnit,
  type ScanFacts,
} from './counts.rules.js'
import { CloseCountRequest, RecountRequest, ScanCountRequest, StartCountRequest } from './counts.schemas.js'

const site = location('STORE')
const zoneA = location('ZA', site)
const zoneB = location('ZB', site)
const other = location('WH')
const count = (over: Partial<CountFact> = {}): CountFact => ({
  id: 'doc-CNT-1',
  number: 'CNT-1',
  location: site,
  skuIds: [],
  isBlind: true,
  status: 'open',
  startedSeq: 10,
  ...over,
})
const facts = (over: Partial<ScanFacts> = {}): ScanFacts => ({
  count: count(),
  location: zoneA,
  units: [],
  skus: new Map(),
  lots: new Map(),
  seenKeys: new Set(),
  scannedUnitIds: new Set(),
  ...over,
})
const scans = (location: string, list: Record<string, unknown>[]) => ScanCountRequest.parse({ location, scans: list })

describe('starting a count', () => {
  it('is blind unless opened with expected figures, and names its SKUs', () => {
    spec(decideStart)
      .given({ location: site, skus: [{ id: 'sku-PHX', code: 'PHX' }] })
      .when(StartCountRequest.parse({ location: 'STORE', skus: ['PHX'] }))
      .then((plan) =>
        expect(plan).toMatchObject({
          type: 'count_started',
          locationId: site.id,
          payload: { isBlind: true, skuIds: ['sku-PHX'] },
          document: { type: 'count', prefix: 'CNT' },
        }),
      )
    spec(decideStart)
      .given({ location: site, skus: [] })
      .when(StartCountRequest.parse({ location: 'STORE', withExpected: true }))
      .then((plan) => expect(plan.payload).toMatchObject({ isBlind: false }))
  })

  it('refuses a location outside the manager’s stores', () => {
    spec(decideStart)
      .given({ location: other, skus: [] })
      .when(StartCountRequest.parse({ location: 'WH' }), { now: new Date(), actor: 'm', locationScope: [site.path] })
      .refuses('auth.out_of_scope', /WH/)
  })
})

describe('taking scans', () => {
  const here = unit('SN-1', { at: zoneA })
  const misplaced = unit('SN-2', { at: zoneB })
  const sold = unit('SN-3', { status: 'sold' })
  const missing = unit('SN-4', { status: 'missing' })

  it('records units, flags repeats, units recorded elsewhere, other statuses and unknown serials', () =>
    spec(decideScans)
      .given(facts({ units: [here, misplaced, sold], scannedUnitIds: new Set([here.id]) }))
      .when(
        scans('ZA', [
          { key: 'k1', serial: 'SN-1' },
          { key: 'k2', serial: 'sn-2' },
          { key: 'k3', serial: 'SN-3' },
          { key: 'k4', serial: 'NOPE' },
        ]),
      )
      .then((plan) => {
        expect(plan.units.map((u) => [u.unit.serial, u.key])).toEqual([
          ['SN-1', 'k1'],
          ['SN-2', 'k2'],
          ['SN-3', 'k3'],
        ])
        expect(plan.unknown).toEqual([{ key: 'k4', serial: 'NOPE' }])
        expect(plan.flags.map((f) => [f.key, f.flag])).toEqual([
          ['k1', 'repeat'],
          ['k2', 'elsewhere'],
          ['k3', 'status'],
          ['k4', 'unknown'],
        ])
        expect(plan.found).toBeNull()
      }))

  it('counts a key it saw before once, in an earlier batch or twice in this one', () =>
    spec(decideScans)
      .given(facts({ units: [here, misplaced], seenKeys: new Set(['k1']) }))
      .when(
        scans('ZA', [
          { key: 'k1', serial: 'SN-1' },
          { key: 'k2', serial: 'SN-2' },
          { key: 'k2', serial: 'SN-2' },
        ]),
      )
      .then((plan) => {
        expect(plan.units.map((u) => u.key)).toEqual(['k2'])
        expect(plan.replayed).toBe(2)
      }))

  it('checks a GS1 scan’s GTIN against the unit’s SKU: another SKU’s GTIN is refused, naming the row', () => {
    const gtins = new Map([['sku-PHX', '09506000134352']])
    const gs1 = (gtin: string) => `(01)${gtin}(21)SN-1`
    spec(decideScans)
      .given(facts({ units: [here], gtins }))
      .when(scans('ZA', [{ key: 'k1', scan: gs1('09506000134352') }]))
      .then((plan) => expect(plan.units.map((u) => u.unit.serial)).toEqual(['SN-1']))
    const err = spec(decideScans)
      .given(facts({ units: [here], gtins }))
      .when(scans('ZA', [{ key: 'k1', scan: gs1('00614141007349') }]))
      .refuses('request.invalid', /scans refused/)
    expect(err.details?.issues?.[0]).toMatchObject({
      field: 'scans[0].gtin',
      message: expect.stringMatching(/GTIN 00614141007349 is not the GTIN of PHX \(09506000134352\)/),
    })
    // A SKU without a GTIN has nothing to compare: the serial decides.
    spec(decideScans)
      .given(facts({ units: [here], gtins: new Map([['sku-PHX', null]]) }))
      .when(scans('ZA', [{ key: 'k1', scan: gs1('00614141007349') }]))
      .then((plan) => expect(plan.units).toHaveLength(1))
  })

  it('refuses one key used for two different scans, naming the row, and records nothing', () => {
    const err = spec(decideScans)
      .given(facts({ units: [here, misplaced] }))
      .when(
        scans('ZA', [
          { key: 'k1', serial: 'SN-1' },
          { key: 'k1', serial: 'SN-2' },
        ]),
      )
      .refuses('request.invalid', /scans refused/)
    expect(err.details?.issues?.[0]).toMatchObject({ field: 'scans[1].key' })
  })

  it('counts quantities of lot and quantity SKUs, and refuses a quantity for a serial SKU', () => {
    const skus = new Map([
      ['CABLE', { id: 'sku-CABLE', code: 'CABLE', tracking: 'quantity' as const }],
      ['CREAM', { id: 'sku-CREAM', code: 'CREAM', tracking: 'lot' as const }],
      ['PHX', { id: 'sku-PHX', code: 'PHX', tracking: 'serial' as const }],
    ])
    const lots = new Map([['sku-CREAM|L1', 'lot-1']])
    spec(decideScans)
      .given(facts({ skus, lots }))
      .when(
        scans('ZA', [
          { key: 'q1', sku: 'CABLE', quantity: 3 },
          { key: 'q2', sku: 'CREAM', lot: 'L1', quantity: 2 },
        ]),
      )
      .then((plan) =>
        expect(plan.quantities).toEqual([
          { skuId: 'sku-CABLE', lotId: null, quantity: 3, key: 'q1' },
          { skuId: 'sku-CREAM', lotId: 'lot-1', quantity: 2, key: 'q2' },
        ]),
      )
    spec(decideScans)
      .given(facts({ skus, lots }))
      .when(scans('ZA', [{ key: 'q3', sku: 'PHX', quantity: 1 }]))
      .refuses('request.invalid', /scans refused/)
  })

  it('posts a missing unit found where it was scanned', () =>
    spec(decideScans)
      .given(facts({ units: [missing] }))
      .when(scans('ZA', [{ key: 'k1', serial: 'SN-4' }]))
      .then((plan) => {
        expect(plan.found).toMatchObject({ type: 'found', locationId: zoneA.id, document: { existingId: 'doc-CNT-1' } })
        expect(plan.flags[0]).toMatchObject({ flag: 'status', message: expect.stringMatching(/was missing/) })
      }))

  it('does not record a unit of a SKU the count does not cover, and says so', () =>
    spec(decideScans)
      .given(facts({ count: count({ skuIds: ['sku-OTHER'] }), units: [here] }))
      .when(scans('ZA', [{ key: 'k1', serial: 'SN-1' }]))
      .then((plan) => {
        expect(plan.units).toEqual([])
        expect(plan.flags).toMatchObject([
          { flag: 'not_counted', message: 'PHX is not part of this count: not recorded' },
        ])
      }))

  it('refuses scans into a closed count, or from outside its location', () => {
    spec(decideScans)
      .given(facts({ count: count({ status: 'closed' }) }))
      .when(scans('ZA', [{ key: 'k1', serial: 'SN-1' }]))
      .refuses('count.closed', /CNT-1 is closed/)
    spec(decideScans)
      .given(facts({ location: other }))
      .when(scans('WH', [{ key: 'k1', serial: 'SN-1' }]))
      .refuses('count.outside_scope', /WH is not inside STORE/)
  })
})

describe('judging a scan by the ledger at the time of the scan', () => {
  it('finds a unit on the branch it is recorded on, misplaced elsewhere, red-flags other statuses', () => {
    expect(judgeUnit('in_stock', zoneA.path, zoneA.path)).toBe('found')
    expect(judgeUnit('in_stock', `${zoneA.path}BIN-1/`, zoneA.path)).toBe('found')
    expect(judgeUnit('in_stock', site.path, zoneA.path)).toBe('found')
    expect(judgeUnit('quarantined', zoneB.path, zoneA.path)).toBe('misplaced')
    expect(judgeUnit('sold', null, zoneA.path)).toBe('other_status')
    expect(judgeUnit('scrapped', null, zoneA.path)).toBe('other_status')
  })
})

describe('recounting and closing', () => {
  it('recounts a zone of an open count only', () => {
    spec(decideRecount)
      .given({ count: count(), location: zoneB })
      .when(RecountRequest.parse({ location: 'ZB' }))
      .then((plan) => expect(plan).toMatchObject({ type: 'count_recounted', locationId: zoneB.id }))
    spec(decideRecount)
      .given({ count: count({ status: 'closed' }), location: zoneB })
      .when(RecountRequest.parse({ location: 'ZB' }))
      .refuses('count.closed')
  })

  it('closes in one event whose lines say each unit’s transition: lost, moved or found, and where', () => {
    const gone = unit('SN-9', { at: zoneA })
    const stray = unit('SN-8', { at: zoneB })
    const back = unit('SN-7', { status: 'missing' })
    spec(decideClose)
      .given({
        count: count(),
        missing: [gone],
        misplaced: [{ unit: stray, seenAt: zoneA }],
        found: [{ unit: back, seenAt: zoneB }],
        variances: [],
      })
      .when(CloseCountRequest.parse({}))
      .then((plan) => {
        expect(plan).toMatchObject({ type: 'count_closed', locationId: site.id, reason: 'count CNT-1' })
        expect(plan.units.map((u) => [u.unit.serial, u.transition])).toEqual([
          ['SN-9', { type: 'lost', locationId: null }],
          ['SN-8', { type: 'moved', locationId: zoneA.id }],
          ['SN-7', { type: 'found', locationId: zoneB.id }],
        ])
        expect(plan.payload).toMatchObject({ missing: 1, moved: 1, found: 1 })
      })
  })

  it('refuses a close whose line would be an illegal transition, naming the unit', () => {
    spec(decideClose)
      .given({
        count: count(),
        missing: [unit('SN-6', { status: 'sold' })],
        misplaced: [],
        found: [],
        variances: [],
      })
      .when(CloseCountRequest.parse({}))
      .refuses('unit.illegal_transition')
  })

  it('refuses to close a closed count', () => {
    spec(decideClose)
      .given({ count: count({ status: 'closed' }), missing: [], misplaced: [], found: [], variances: [] })
      .when(CloseCountRequest.parse({}))
      .refuses('count.closed', /closed already/)
  })
})
