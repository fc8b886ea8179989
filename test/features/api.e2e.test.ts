import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../http.js'
import { DIALECTS } from '../dialects.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: HTTP API`, () => {
    const t = useTestApp(dialect, { role: 'manager', username: 'api-user' })
    const { get, post } = t
    beforeAll(async () => {
      expect(
        (
          await post('/skus', {
            code: 'PHX',
            name: 'Phone X',
            tracking: 'serial',
            gtin: '4006381333931',
            price: 799,
            identifiers: [{ name: 'imei', isUnique: true }],
          })
        ).statusCode,
      ).toBe(201)
      expect((await post('/locations', { code: 'S1', name: 'Store 1', kind: 'store' })).statusCode).toBe(201)
      expect(
        (await post('/locations', { code: 'S1-FLOOR', name: 'Floor', level: 'zone', parent: 'S1' })).statusCode,
      ).toBe(201)
      expect((await post('/parties', { code: 'ACME', name: 'Acme', role: 'supplier' })).statusCode).toBe(201)
      expect((await post('/parties', { code: 'JANE', name: 'Jane', role: 'customer' })).statusCode).toBe(201)
    })

    it('receives, scans, sells and shows the sale in the timeline', async () => {
      const r = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1-FLOOR',
        lines: [
          { sku: 'PHX', units: [{ serial: 'sn-1', identifiers: { imei: '490154203237518' } }, { serial: 'SN-2' }] },
        ],
      })
      expect(r.statusCode).toBe(201)
      expect(r.json()).toMatchObject({ unitCount: 2, number: expect.stringMatching(/^RCV-/) })
      const [unit] = (await get('/units/lookup?code=490154203237518')).json()
      expect(unit).toMatchObject({
        serial: 'SN-1',
        status: 'in_stock',
        location: { code: 'S1-FLOOR' },
        identifiers: { imei: '490154203237518' },
      })
      expect(
        (await post('/sales', { customer: 'JANE', orderRef: 'POS-77', from: 'S1', units: ['sn-1'] })).statusCode,
      ).toBe(201)
      const timeline = (await get(`/units/${unit.id}/timeline`)).json()
      expect(timeline.map((e: { type: string }) => e.type)).toEqual(['received', 'sold'])
      expect(timeline[1]).toMatchObject({
        actor: 'api-user (token tests)',
        party: { code: 'JANE' },
        orderRef: 'POS-77',
        price: 799,
      })
      expect((await get(`/units/${unit.id}/provenance`)).json()).toMatchObject({
        supplier: { code: 'ACME' },
        receipt: { unitsInReceipt: 2 },
      })
      const page = (await get('/units?sku=PHX&status=in_stock&location=S1&limit=1')).json()
      expect(page.items.map((u: { serial: string }) => u.serial)).toEqual(['SN-2'])
      const receipt = (await get(`/documents/receipt/${r.json().number}`)).json()
      expect(
        (await get(`/units?receipt=${r.json().number}`))
          .json()
          .items.map((u: { serial: string }) => u.serial)
          .sort(),
      ).toEqual(['SN-1', 'SN-2'])
      expect((await get('/units?receipt=NO-SUCH-RECEIPT')).json().items).toEqual([])
      expect(receipt).toMatchObject({
        type: 'receipt',
        party: { code: 'ACME' },
        location: 'S1-FLOOR',
        events: [{ type: 'received', unitCount: 2, actor: 'api-user (token tests)' }],
      })
      const events = (await get('/events?afterSeq=0&limit=10')).json()
      expect(events.map((e: { type: string }) => e.type)).toEqual(['received', 'sold'])
      expect(events[1].prevHash).toBe(events[0].hash)
      const verified = (await get('/ledger/verify')).json()
      expect(verified).toVerify()
      expect(verified).toMatchObject({ events: 2, unitLines: 3 })
      expect((await get('/stock?location=S1')).json()).toEqual([
        expect.objectContaining({ sku: 'PHX', location: 'S1-FLOOR', onHand: 1 }),
      ])
    })

    it('answers an Idempotency-Key retry with the first result and writes once', async () => {
      await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [{ sku: 'PHX', serials: ['IDEM-1', 'IDEM-2'] }],
      })
      const body = { orderRef: 'RETRY-1', units: ['IDEM-1'] }
      const first = await post('/sales', body, { 'idempotency-key': 'k-123' })
      const second = await post('/sales', body, { 'idempotency-key': 'k-123' })
      expect(second.statusCode).toBe(201)
      expect(second.headers['idempotent-replayed']).toBe('true')
      expect(second.json()).toEqual(first.json())
      const other = await post('/sales', { orderRef: 'RETRY-2', units: ['IDEM-2'] }, { 'idempotency-key': 'k-123' })
      expect(other.statusCode).toBe(422)
      expect(other.json().code).toBe('idempotency.key_reused')
    })

    it('refuses bad input with problem+json naming the field', async () => {
      const wrongType = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [{ sku: 'PHX', serials: 'SN-9' }],
      })
      expect(wrongType.statusCode).toBe(400)
      expect(wrongType.headers['content-type']).toContain('application/problem+json')
      expect(wrongType.json()).toMatchObject({
        code: 'request.invalid',
        status: 400,
        errors: [expect.objectContaining({ path: 'lines.0.serials' })],
      })
      const extra = await post('/skus', { code: 'X', name: 'X', tracking: 'serial', colour: 'red' })
      expect(extra.json()).toMatchObject({ code: 'request.invalid' })
      const malformed = await t.postRaw('/sales', '{"orderRef": ')
      expect(malformed.statusCode).toBe(400)
      expect(malformed.json().code).toBe('request.invalid')
      const badGtin = await post('/skus', { code: 'BAD', name: 'Bad', tracking: 'serial', gtin: '4006381333932' })
      expect(badGtin.json()).toMatchObject({ status: 400, code: 'gtin.invalid' })
      expect((await get('/units/nope')).json()).toMatchObject({ status: 404, code: 'unit.not_found' })
      const dupe = await post('/skus', { code: 'PHX', name: 'again', tracking: 'serial' })
      expect(dupe.json()).toMatchObject({ status: 409, code: 'sku.duplicate' })
      const huge = await post('/skus', { code: 'H', name: 'x'.repeat(2 * 1024 * 1024), tracking: 'serial' })
      expect(huge.statusCode).toBe(413)
      const injection = await get(`/units/lookup?code=${encodeURIComponent("' OR 1=1 --")}`)
      expect(injection.json()).toEqual([])
    })

    it('serves its OpenAPI document and interactive docs', async () => {
      const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
      expect(spec.openapi).toMatch(/^3\./)
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/receipts',
          '/api/v1/sales',
          '/api/v1/units/lookup',
          '/api/v1/units/{id}/timeline',
          '/api/v1/stock',
        ]),
      )
      expect(spec.components.schemas).toHaveProperty('ReceiveRequest')
      expect((await t.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200)
    })
  })
}
