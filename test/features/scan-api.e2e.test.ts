import { beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../dialects.js'
import { useTestApp } from '../http.js'

const GS = '\x1d'
const GTIN = '04006381333931'

/** The API takes a raw scan wherever it takes a serial: `{"scan": "]d2…"}`. */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: {scan} in operations`, () => {
    const { get, post } = useTestApp(dialect, { role: 'manager' })
    beforeAll(async () => {
      await post('/skus', { code: 'PHX', name: 'Phone X', tracking: 'serial', gtin: GTIN, price: 799 })
      await post('/skus', { code: 'TAB', name: 'Tablet', tracking: 'serial', price: 300 })
      await post('/locations', { code: 'S1', name: 'Store 1', kind: 'store' })
      await post('/locations', { code: 'S2', name: 'Store 2', kind: 'store' })
      await post('/parties', { code: 'ACME', name: 'Acme', role: 'supplier' })
      const r = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [
          { sku: 'PHX', units: [{ serial: 'A1' }, { serial: 'A2' }, { serial: 'A3' }] },
          { sku: 'TAB', units: [{ serial: 'T1' }] },
        ],
      })
      expect(r.statusCode, r.body).toBe(201)
    })

    const statusOf = async (serial: string) =>
      ((await get(`/units/lookup?code=${serial}`)).json() as { status: string; location: { code: string } }[])[0]

    it('moves units named by a GS1 DataMatrix scan, a Digital Link and a plain serial', async () => {
      const r = await post('/moves', {
        to: 'S2',
        units: [{ scan: `]d2${GS}01${GTIN}21A1` }, { scan: `https://id.gs1.org/01/${GTIN}/21/A2` }, { scan: 'T1' }],
      })
      expect(r.statusCode).toBe(201)
      expect(r.json()).toMatchObject({ unitCount: 3 })
      expect(await statusOf('A1')).toMatchObject({ location: { code: 'S2' } })
      expect(await statusOf('T1')).toMatchObject({ location: { code: 'S2' } })
    })

    it('sells a scanned unit with its own price', async () => {
      const r = await post('/sales', { orderRef: 'POS-1', units: [{ scan: `(01)${GTIN}(21)A3`, price: 700 }] })
      expect(r.statusCode).toBe(201)
      expect(await statusOf('A3')).toMatchObject({ status: 'sold' })
    })

    it('refuses an unreadable scan, naming the row and field, and writes nothing', async () => {
      const r = await post('/moves', { to: 'S1', units: ['A1', { scan: `(01)09506000134353(21)A2` }] })
      expect(r.statusCode).toBe(400)
      expect(JSON.stringify(r.json())).toContain('units.1.scan')
      expect(r.json().detail ?? JSON.stringify(r.json())).toMatch(/GTIN 09506000134353 has a wrong check digit/)
      expect(await statusOf('A1')).toMatchObject({ location: { code: 'S2' } })
    })

    it('refuses a product barcode without a serial and a unit whose SKU has another GTIN', async () => {
      const noSerial = await post('/moves', { to: 'S1', units: [{ scan: `]C101${GTIN}` }] })
      expect(noSerial.statusCode).toBe(400)
      expect(JSON.stringify(noSerial.json())).toMatch(/carries no serial/)
      const wrong = await post('/moves', { to: 'S1', units: [{ scan: '(01)09506000134352(21)A1' }] })
      expect(wrong.statusCode).toBe(404)
      expect(wrong.json().detail).toMatch(/no unit with serial A1 of GTIN 09506000134352/)
    })

    it('receives units named by scans, in `serials` and in `units`; a bad scan is a 400 naming its field', async () => {
      const bad = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [{ sku: 'PHX', serials: ['R8', { scan: '(01)09506000134353(21)R9' }] }],
      })
      expect(bad.statusCode).toBe(400)
      expect(JSON.stringify(bad.json())).toContain('lines.0.serials.1.scan')
      expect(await statusOf('R8')).toBeUndefined()
      const badUnit = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [{ sku: 'PHX', units: [{ scan: `]C101${GTIN}` }] }],
      })
      expect(badUnit.statusCode).toBe(400)
      expect(JSON.stringify(badUnit.json())).toMatch(
        /lines\.0\.units\.0\.scan.*carries no serial|carries no serial.*lines\.0\.units\.0\.scan/,
      )
      // A scan of another product's GTIN is not this line's SKU: refused by row, nothing received.
      const otherGtin = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [{ sku: 'PHX', units: [{ serial: 'R8' }, { scan: '(01)09506000134352(21)R7' }] }],
      })
      expect(otherGtin.json()).toMatchObject({ code: 'receipt.invalid' })
      expect(JSON.stringify(otherGtin.json())).toMatch(/GTIN 09506000134352, not PHX's GTIN 04006381333931/)
      expect(await statusOf('R8')).toBeUndefined()
      const r = await post('/receipts', {
        supplier: 'ACME',
        location: 'S1',
        lines: [
          { sku: 'PHX', serials: [{ scan: `(01)${GTIN}(21)R1` }, 'R2'] },
          { sku: 'PHX', units: [{ scan: `]d2${GS}01${GTIN}21R3` }] },
        ],
      })
      expect(r.statusCode, r.body).toBe(201)
      for (const serial of ['R1', 'R2', 'R3']) expect(await statusOf(serial)).toMatchObject({ status: 'in_stock' })
    })

    it("sells a till order's scanned serials; a bad scan is a 400 naming its field", async () => {
      const line = (scan: string) => ({ sku: 'PHX', quantity: 1, serials: [{ scan }] })
      const bad = await post('/orders', { completed: true, lines: [line(`https://id.gs1.org/01/${GTIN}`)] })
      expect(bad.statusCode).toBe(400)
      expect(JSON.stringify(bad.json())).toContain('lines.0.serials.0.scan')
      const otherGtin = await post('/orders', { completed: true, lines: [line('(01)09506000134352(21)R1')] })
      expect(otherGtin.statusCode).toBe(404)
      expect(otherGtin.json().detail).toMatch(/no unit with serial R1 of GTIN 09506000134352/)
      const r = await post('/orders', { completed: true, lines: [line(`https://id.gs1.org/01/${GTIN}/21/R1`)] })
      expect(r.statusCode, r.body).toBe(201)
      expect(await statusOf('R1')).toMatchObject({ status: 'sold' })
    })

    it('counts a unit named by a scan; a bad scan is a 400 naming its field', async () => {
      const started = await post('/counts', { location: 'S1' })
      expect(started.statusCode, started.body).toBe(201)
      const { number } = started.json() as { number: string }
      const bad = await post(`/counts/${number}/scans`, { location: 'S1', scans: [{ key: 'k0', scan: '(01)1(21)' }] })
      expect(bad.statusCode).toBe(400)
      expect(JSON.stringify(bad.json())).toContain('scans.0.scan')
      const scans = [
        { key: 'k1', scan: `(01)${GTIN}(21)R2` },
        { key: 'k2', serial: 'R3' },
      ]
      const r = await post(`/counts/${number}/scans`, { location: 'S1', scans })
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json()).toMatchObject({ accepted: 2, flags: [] })
      const tally = await get(`/counts/${number}`)
      expect(tally.json()).toMatchObject({ scans: 2 })
    })
  })
}
