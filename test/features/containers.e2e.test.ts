import { beforeAll, describe, expect, it } from 'vitest'
import { gs1CheckDigit } from '../../src/modules/gs1/ai.rules.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { schemaProblems } from '../../src/modules/epcis/index.js'
import { ACME, createReferenceData, expectOk, JANE, STORE, useTestApp, WAREHOUSE } from '../http.js'
import { DIALECTS } from '../dialects.js'
import { rowCount } from '../factories.js'

const body17 = '10614141123456789'
const SSCC = body17 + gs1CheckDigit(body17)
const BAD_SSCC = body17 + String((Number(gs1CheckDigit(body17)) + 1) % 10)

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: containers (pack, nest, move, ship, receive, sell, unpack)`, () => {
    const api = useTestApp(dialect, { role: 'manager' })
    const { refused } = api
    const ok = expectOk
    const locationOf = async (serial: string) =>
      await api.db.kysely
        .selectFrom('unit')
        .leftJoin('location', 'location.id', 'unit.location_id')
        .select(['location.code', 'unit.container_code', 'unit.status'])
        .where('unit.serial', '=', serial)
        .executeTakeFirstOrThrow()

    beforeAll(async () => {
      await createReferenceData(api.post, {
        skus: [{ code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 800 }],
        locations: [WAREHOUSE, { code: 'WH-B1', name: 'Zone 1', level: 'zone', parent: 'WH' }, STORE],
        parties: [ACME, JANE],
      })
      const serials = ['C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6']
      await ok(api.post('/receipts', { supplier: 'ACME', location: 'WH', lines: [{ sku: 'PHX', serials }] }))
      await ok(api.post('/receipts', { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials: ['S-1'] }] }))
    })

    it('packs units into an SSCC box and nests it in a pallet of our own code', async () => {
      await ok(api.post('/containers/pack', { container: SSCC, units: ['C-1', 'C-2'] }))
      await ok(api.post('/containers/pack', { container: 'PAL-1', units: ['C-3'] }))
      await ok(api.post('/containers/pack', { container: SSCC, units: [], parent: 'PAL-1' }))
      const pallet = await ok<any>(api.get('/containers/PAL-1'), 200)
      expect(pallet).toMatchObject({
        code: 'PAL-1',
        kind: 'own',
        parent: null,
        location: 'WH',
        units: [{ serial: 'C-3', sku: 'PHX' }],
        containers: [{ code: SSCC, kind: 'sscc', parent: 'PAL-1', units: [{ serial: 'C-1' }, { serial: 'C-2' }] }],
      })
      expect((await locationOf('C-1')).container_code).toBe(SSCC)
      const [c1] = (await api.get('/units/lookup?code=C-1')).json<{ id: string; container: string | null }[]>()
      expect(c1!.container).toBe(SSCC)
      expect((await api.get(`/units/${c1!.id}`)).json()).toMatchObject({ serial: 'C-1', container: SSCC })
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('refuses a bad SSCC, a unit in another container, one elsewhere, a cycle and an unknown container', async () => {
      const bad = await refused(
        api.post('/containers/pack', { container: BAD_SSCC, units: ['C-4'] }),
        400,
        'container.invalid_code',
      )
      expect(bad.detail).toMatch(/check digit/)
      const other = await refused(
        api.post('/containers/pack', { container: 'BOX-9', units: ['C-1'] }),
        409,
        'container.unit_in_other_container',
      )
      expect(other.detail).toMatch(new RegExp(`C-1 is already packed in ${SSCC}`))
      await refused(
        api.post('/containers/pack', { container: 'PAL-1', units: ['S-1'] }),
        409,
        'container.location_mismatch',
      )
      await refused(
        api.post('/containers/pack', { container: 'PAL-1', units: [], parent: SSCC }),
        409,
        'container.cycle',
      )
      await refused(api.post('/containers/unpack', { container: 'NOPE' }), 404, 'container.not_found')
      await refused(api.post('/moves', { to: 'ST', containers: ['NOPE'] }), 404, 'container.not_found')
      await refused(
        api.post('/containers/unpack', { container: 'PAL-1', units: ['C-1'] }),
        409,
        'container.unit_not_in_container',
      )
      // A packed unit moved on its own would leave its box behind.
      const loose = await refused(api.post('/moves', { to: 'WH-B1', units: ['C-1'] }), 409, 'container.packed_unit')
      expect(loose.detail).toMatch(/scan the container/)
      expect(await rowCount(api.db.kysely, 'container')).toBe(2)
    })

    it('moves a pallet with its nested box in one event, named by a scan of the SSCC label or by code', async () => {
      const events = await rowCount(api.db.kysely, 'event')
      const moved = await ok<any>(api.post('/moves', { to: 'WH-B1', containers: ['PAL-1'] }))
      expect(moved.unitCount).toBe(3)
      expect(await rowCount(api.db.kysely, 'event')).toBe(events + 1)
      for (const s of ['C-1', 'C-2', 'C-3']) expect((await locationOf(s)).code).toBe('WH-B1')
      expect((await ok<any>(api.get('/containers/PAL-1'), 200)).location).toBe('WH-B1')
      // The box alone, scanned as a GS1 element string.
      const back = await ok<any>(api.post('/moves', { to: 'WH', containers: [`(00)${SSCC}`] }))
      expect(back.unitCount).toBe(2)
      expect((await locationOf('C-1')).code).toBe('WH')
      expect((await locationOf('C-3')).code).toBe('WH-B1')
      await ok(api.post('/moves', { to: 'WH', containers: ['PAL-1'] }))
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('ships a pallet on a transfer and receives it by its container: contents stay packed', async () => {
      await ok(api.post('/transfers', { from: 'WH', to: 'ST', number: 'TRF-C1', containers: ['PAL-1'] }))
      expect(await locationOf('C-2')).toMatchObject({ code: null, status: 'in_transit', container_code: SSCC })
      const received = await ok<any>(api.post('/transfers/TRF-C1/receipt', { containers: ['PAL-1'] }))
      expect(received.unitCount).toBe(3)
      expect(await locationOf('C-2')).toMatchObject({ code: 'ST', status: 'in_stock', container_code: SSCC })
      expect((await ok<any>(api.get('/containers/PAL-1'), 200)).location).toBe('ST')
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('sells a box: its units leave it; unpacking empties the pallet', async () => {
      const sold = await ok<any>(api.post('/sales', { customer: 'JANE', orderRef: 'R-1', containers: [SSCC] }))
      expect(sold.unitCount).toBe(2)
      expect(await locationOf('C-1')).toMatchObject({ status: 'sold', container_code: null })
      const box = await ok<any>(api.get(`/containers/${SSCC}`), 200)
      expect(box).toMatchObject({ units: [], location: null, parent: 'PAL-1' })
      await ok(api.post('/containers/unpack', { container: 'PAL-1' }))
      const pallet = await ok<any>(api.get('/containers/PAL-1'), 200)
      expect(pallet).toMatchObject({ units: [], containers: [] })
      expect((await locationOf('C-3')).container_code).toBeNull()
      // Loose again: it moves on its own.
      await ok(api.post('/moves', { to: 'ST', units: ['C-3'] }))
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('exports packings as AggregationEvents and captures them back into pack and unpack', async () => {
      const doc = (await api.get('/epcis/events')).json<any>()
      expect(schemaProblems(doc)).toBeUndefined()
      const aggregations = doc.epcisBody.eventList.filter((e: any) => e.type === 'AggregationEvent')
      expect(aggregations[0]).toMatchObject({
        action: 'ADD',
        bizStep: 'packing',
        parentID: `https://id.gs1.org/00/${SSCC}`,
        childEPCs: [expect.stringContaining('C-1'), expect.stringContaining('C-2')],
      })
      expect(aggregations.at(-1)).toMatchObject({
        action: 'DELETE',
        'sl:container': { container: 'PAL-1', emptied: true },
      })
      // A foreign AggregationEvent ADD: units packed into a new SSCC, taken out again by DELETE.
      await ok(api.post('/receipts', { supplier: 'ACME', location: 'WH', lines: [{ sku: 'PHX', serials: ['E-1'] }] }))
      const sscc2 = '10614141000000999'.slice(0, 17)
      const code2 = sscc2 + gs1CheckDigit(sscc2)
      const aggregation = (action: string) => ({
        type: 'AggregationEvent',
        eventTime: new Date().toISOString(),
        eventTimeZoneOffset: '+00:00',
        action,
        parentID: `urn:epc:id:sscc:0614141.${code2.slice(0, 1)}${code2.slice(8, 17)}`,
        childEPCs: ['https://serial-ledger.dev/id/unit/PHX/E-1'],
      })
      const capture = (e: unknown) =>
        api.post('/epcis/capture', {
          '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
          type: 'EPCISDocument',
          schemaVersion: '2.0',
          creationDate: new Date().toISOString(),
          epcisBody: { eventList: [e] },
        })
      const added = await capture(aggregation('ADD'))
      expect(added.statusCode, added.body).toBeLessThan(300)
      expect(await locationOf('E-1')).toMatchObject({ container_code: code2 })
      const removed = await capture(aggregation('DELETE'))
      expect(removed.statusCode, removed.body).toBeLessThan(300)
      expect(await locationOf('E-1')).toMatchObject({ container_code: null })
      expect(await verifyLedger(api.db)).toVerify()
    })
  })
}
