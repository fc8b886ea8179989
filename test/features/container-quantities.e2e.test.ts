import { beforeAll, describe, expect, it } from 'vitest'
import { gs1CheckDigit } from '../../src/modules/gs1/ai.rules.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { schemaProblems } from '../../src/modules/epcis/index.js'
import { ACME, createReferenceData, expectOk, JANE, STORE, useTestApp, WAREHOUSE } from '../http.js'
import { DIALECTS } from '../dialects.js'
import { rowCount } from '../factories.js'

const sscc = (body17: string) => body17 + gs1CheckDigit(body17)
const CASE = sscc('10614141000000101')
const INNER = sscc('10614141000000202')
const OUTER = sscc('10614141000000303')
const GTIN = '0' + '0614141007349' // a GTIN-14 with a valid check digit (0614141007349 is an EAN-13)

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: lot and quantity stock in containers`, () => {
    const api = useTestApp(dialect, { role: 'manager' })
    const { refused } = api
    const ok = expectOk
    /** On hand per location of a SKU (and lot). */
    const onHand = async (sku: string) => {
      const rows = (await api.get(`/stock?sku=${sku}&limit=50`)).json<
        { location: string; lot?: string | null; onHand: number }[]
      >()
      return Object.fromEntries(rows.filter((r) => r.onHand !== 0).map((r) => [r.location, r.onHand]))
    }
    const view = (code: string) => ok<any>(api.get(`/containers/${code}`), 200)

    beforeAll(async () => {
      await createReferenceData(api.post, {
        skus: [
          { code: 'CBL', name: 'Cable', tracking: 'quantity', cost: 1, price: 5, gtin: GTIN },
          { code: 'VIT', name: 'Vitamins', tracking: 'lot', cost: 2, price: 9 },
          { code: 'PHQ', name: 'Phone Q', tracking: 'serial', cost: 400, price: 800 },
        ],
        locations: [WAREHOUSE, { code: 'WH-B1', name: 'Zone 1', level: 'zone', parent: 'WH' }, STORE],
        parties: [ACME, JANE],
      })
      await ok(
        api.post('/receipts', {
          supplier: 'ACME',
          location: 'WH',
          lines: [
            { sku: 'CBL', quantity: 100 },
            { sku: 'VIT', lot: 'L1', quantity: 50 },
            { sku: 'PHQ', serials: ['Q-1', 'Q-2'] },
          ],
        }),
      )
    })

    it('packs a unit and quantities into a case and nests it in a pallet; stock on hand does not change', async () => {
      await ok(
        api.post('/containers/pack', {
          container: CASE,
          units: ['Q-1'],
          quantities: [
            { sku: 'CBL', quantity: 30 },
            { sku: 'VIT', lot: 'L1', quantity: 20 },
          ],
        }),
      )
      // An empty container needs to be told where the stock is.
      const where = await refused(
        api.post('/containers/pack', { container: 'BOX-Q', quantities: [{ sku: 'CBL', quantity: 1 }] }),
        400,
        'request.invalid',
      )
      expect(where.detail).toMatch(/at: name where the stock is/)
      await ok(
        api.post('/containers/pack', { container: 'BOX-Q', at: 'WH', quantities: [{ sku: 'CBL', quantity: 10 }] }),
      )
      await ok(api.post('/containers/pack', { container: CASE, parent: 'PAL-Q' }))
      await ok(api.post('/containers/pack', { container: 'BOX-Q', parent: 'PAL-Q' }))
      expect(await view(CASE)).toMatchObject({
        location: 'WH',
        units: [{ serial: 'Q-1' }],
        quantities: [
          { sku: 'CBL', lot: null, quantity: 30 },
          { sku: 'VIT', lot: 'L1', quantity: 20 },
        ],
      })
      expect(await view('PAL-Q')).toMatchObject({ location: 'WH', containers: [{ code: CASE }, { code: 'BOX-Q' }] })
      expect(await onHand('CBL')).toEqual({ WH: 100 })
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('refuses packing more than is loose, loose stock that is packed, and stock elsewhere', async () => {
      // 100 on hand at WH, 40 of them packed: 60 are loose.
      const more = await refused(
        api.post('/containers/pack', { container: 'BOX-R', at: 'WH', quantities: [{ sku: 'CBL', quantity: 61 }] }),
        409,
        'stock.insufficient',
      )
      expect(more.issues?.[0]?.message).toMatch(/61 needed, 60 on hand/)
      await refused(
        api.post('/sales', {
          customer: 'JANE',
          orderRef: 'R-0',
          quantities: [{ sku: 'CBL', location: 'WH', quantity: 61 }],
        }),
        409,
        'stock.insufficient',
      )
      await refused(
        api.post('/moves', { to: 'ST', quantities: [{ sku: 'VIT', lot: 'L1', from: 'WH', quantity: 31 }] }),
        409,
        'stock.insufficient',
      )
      await refused(
        api.post('/containers/pack', { container: CASE, at: 'ST', quantities: [{ sku: 'CBL', quantity: 1 }] }),
        409,
        'container.location_mismatch',
      )
    })

    it('moves the pallet with its packed stock in one event; loose stock stays', async () => {
      const events = await rowCount(api.db.kysely, 'event')
      const moved = await ok<any>(api.post('/moves', { to: 'WH-B1', containers: ['PAL-Q'] }))
      expect(moved).toMatchObject({ unitCount: 1 })
      expect(await rowCount(api.db.kysely, 'event')).toBe(events + 1)
      expect(await onHand('CBL')).toEqual({ WH: 60, 'WH-B1': 40 })
      expect(await onHand('VIT')).toEqual({ WH: 30, 'WH-B1': 20 })
      expect((await view('PAL-Q')).location).toBe('WH-B1')
      expect((await view('BOX-Q')).location).toBe('WH-B1')
      // The case taken whole with 10 loose cables more: at WH-B1 all 40 are packed, the case's 30 are the move's.
      const mixed = await refused(
        api.post('/moves', {
          to: 'WH',
          containers: [`(00)${CASE}`],
          quantities: [{ sku: 'CBL', from: 'WH-B1', quantity: 10 }],
        }),
        409,
        'stock.insufficient',
      )
      expect(mixed.issues?.[0]?.message).toMatch(/40 needed, 30 on hand/)
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('ships the pallet on a transfer and receives it whole: its stock is in transit, then at the store', async () => {
      expect(await onHand('CBL')).toEqual({ WH: 60, 'WH-B1': 40 })
      await ok(api.post('/transfers', { from: 'WH', to: 'ST', number: 'TRF-Q1', containers: ['PAL-Q'] }))
      expect(await onHand('CBL')).toEqual({ WH: 60 })
      expect((await view(CASE)).location).toBeNull()
      const received = await ok<any>(api.post('/transfers/TRF-Q1/receipt', {}))
      expect(received).toMatchObject({ unitCount: 1, quantity: 60 })
      expect(await onHand('CBL')).toEqual({ WH: 60, ST: 40 })
      expect(await onHand('VIT')).toEqual({ WH: 30, ST: 20 })
      expect((await view('PAL-Q')).location).toBe('ST')
      // Back to the warehouse, received by naming the case: only its stock arrives.
      await ok(api.post('/transfers', { from: 'ST', to: 'WH', number: 'TRF-Q2', containers: [CASE] }))
      await refused(api.post('/transfers/TRF-Q2/receipt', { containers: ['BOX-Q'] }), 409, 'transfer.invalid')
      await ok(api.post('/transfers/TRF-Q2/receipt', { containers: [CASE] }))
      expect(await onHand('CBL')).toEqual({ WH: 90, ST: 10 })
      expect((await view(CASE)).location).toBe('WH')
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('unpacks part of a container and refuses taking out more than is packed', async () => {
      const much = await refused(
        api.post('/containers/unpack', { container: CASE, quantities: [{ sku: 'CBL', quantity: 31 }] }),
        409,
        'container.quantity_not_in_container',
      )
      expect(much.issues?.[0]?.message).toMatch(new RegExp(`31 of CBL to take out, 30 packed in ${CASE}`))
      await ok(api.post('/containers/unpack', { container: CASE, quantities: [{ sku: 'CBL', quantity: 4 }] }))
      expect((await view(CASE)).quantities).toEqual([
        { sku: 'CBL', lot: null, quantity: 26 },
        { sku: 'VIT', lot: 'L1', quantity: 20 },
      ])
      // The 4 are loose again: 60 + 4 loose at WH.
      await ok(api.post('/moves', { to: 'WH-B1', quantities: [{ sku: 'CBL', from: 'WH', quantity: 64 }] }))
      expect(await onHand('CBL')).toEqual({ WH: 26, 'WH-B1': 64, ST: 10 })
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('sells a container with its stock; emptying one returns its stock to loose', async () => {
      const sold = await ok<any>(api.post('/sales', { customer: 'JANE', orderRef: 'R-Q', containers: ['BOX-Q'] }))
      expect(sold).toMatchObject({ unitCount: 0, quantity: 10 })
      expect(await onHand('CBL')).toEqual({ WH: 26, 'WH-B1': 64 })
      expect((await view('BOX-Q')).quantities).toEqual([])
      await ok(api.post('/containers/unpack', { container: CASE }))
      expect(await view(CASE)).toMatchObject({ units: [], quantities: [] })
      await ok(api.post('/moves', { to: 'ST', quantities: [{ sku: 'VIT', lot: 'L1', from: 'WH', quantity: 50 }] }))
      expect(await onHand('VIT')).toEqual({ ST: 50 })
      expect(await rowCount(api.db.kysely, 'container_quantity')).toBe(0)
      expect(await verifyLedger(api.db)).toVerify()
    })

    it('exports packed stock as childQuantityList and captures a foreign one with nested SSCCs', async () => {
      const doc = (await api.get('/epcis/events')).json<any>()
      expect(schemaProblems(doc)).toBeUndefined()
      const first = doc.epcisBody.eventList.find((e: any) => e.type === 'AggregationEvent')
      expect(first).toMatchObject({
        action: 'ADD',
        parentID: `https://id.gs1.org/00/${CASE}`,
        childQuantityList: [
          { epcClass: `https://id.gs1.org/01/${GTIN}`, quantity: 30 },
          { epcClass: 'https://serial-ledger.dev/id/sku/VIT/lot/L1', quantity: 20 },
        ],
        'sl:container': { container: CASE, quantities: [{ sku: 'CBL', location: 'WH', quantity: 30 }, { sku: 'VIT' }] },
      })
      // A partner's pallet: an outer SSCC holding an inner SSCC, which holds cables and a lot of vitamins.
      await ok(
        api.post('/receipts', { supplier: 'ACME', location: 'WH', lines: [{ sku: 'VIT', lot: 'L2', quantity: 8 }] }),
      )
      const aggregation = (action: string, parent: string, children: string[], quantities: unknown[]) => ({
        type: 'AggregationEvent',
        eventTime: new Date().toISOString(),
        eventTimeZoneOffset: '+00:00',
        action,
        bizStep: 'packing',
        parentID: `urn:epc:id:sscc:0614141.${parent.slice(0, 1)}${parent.slice(8, 17)}`,
        childEPCs: children.map((c) => `https://id.gs1.org/00/${c}`),
        ...(quantities.length > 0 && { childQuantityList: quantities }),
        bizLocation: { id: 'https://serial-ledger.dev/id/location/WH' },
      })
      const capture = (events: unknown[]) =>
        api.post('/epcis/capture', {
          '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
          type: 'EPCISDocument',
          schemaVersion: '2.0',
          creationDate: new Date().toISOString(),
          epcisBody: { eventList: events },
        })
      const lines = [
        { epcClass: `urn:epc:class:lgtin:0614141.000734.L9`, quantity: 5 },
        { epcClass: 'https://serial-ledger.dev/id/sku/VIT/lot/L2', quantity: 8 },
      ]
      const unknownLot = await capture([aggregation('ADD', INNER, [], lines)])
      expect(unknownLot.statusCode, unknownLot.body).toBe(400)
      expect(unknownLot.body).toMatch(/CBL has no lots/)
      const added = await capture([
        aggregation('ADD', INNER, [], [{ epcClass: `https://id.gs1.org/01/${GTIN}`, quantity: 5 }, lines[1]]),
        aggregation('ADD', OUTER, [INNER], []),
      ])
      expect(added.statusCode, added.body).toBe(201)
      expect(await view(OUTER)).toMatchObject({
        location: 'WH',
        containers: [
          {
            code: INNER,
            quantities: [
              { sku: 'CBL', lot: null, quantity: 5 },
              { sku: 'VIT', lot: 'L2', quantity: 8 },
            ],
          },
        ],
      })
      const removed = await capture([
        aggregation('DELETE', OUTER, [INNER], []),
        aggregation('DELETE', INNER, [], [{ epcClass: `https://id.gs1.org/01/${GTIN}`, quantity: 2 }]),
      ])
      expect(removed.statusCode, removed.body).toBe(201)
      expect(await view(INNER)).toMatchObject({
        parent: null,
        quantities: [{ sku: 'CBL', quantity: 3 }, { sku: 'VIT' }],
      })
      expect(await verifyLedger(api.db)).toVerify()
    })
  })
}
