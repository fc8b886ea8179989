/*
 * The API behind the list and header screens, on every dialect: documents listed newest first with their
 * party, units and value, a page at a time past 200; a sale's document listing serials, prices and total;
 * the units list sorted, filtered and totalled; a location found by its label barcode; the currency setting.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../http.js'
import { DIALECTS } from '../dialects.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: list and header screens' API`, () => {
    const t = useTestApp(dialect, { role: 'manager', username: 'screens' })
    const { get, post } = t
    const patch = (url: string, payload: unknown) =>
      t.client({ method: 'PATCH', url: `/api/v1${url}`, payload: payload as object })

    beforeAll(async () => {
      const setup = [
        post('/skus', { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799.5 }),
        post('/skus', { code: 'CABLE', name: 'Cable', tracking: 'quantity', cost: 2, price: 9 }),
        post('/locations', { code: 'WH', name: 'Warehouse', kind: 'warehouse', barcode: 'LBL-WH' }),
        post('/parties', { code: 'ACME', name: 'Acme', role: 'supplier' }),
        post('/parties', { code: 'JANE', name: 'Jane', role: 'customer' }),
      ]
      for (const r of await Promise.all(setup)) expect(r.statusCode, r.body).toBe(201)
    })

    it('lists documents newest first with party, units and value', async () => {
      const rcv = await post('/receipts', {
        supplier: 'ACME',
        location: 'WH',
        number: 'R-1',
        lines: [
          { sku: 'PHX', serials: ['S-1', 'S-2', 'S-3'] },
          { sku: 'CABLE', quantity: 10 },
        ],
      })
      expect(rcv.statusCode, rcv.body).toBe(201)
      for (const [i, serial] of ['S-1', 'S-2'].entries()) {
        const r = await post('/sales', { orderRef: `O-${i}`, customer: 'JANE', units: [{ serial, price: 700 + i }] })
        expect(r.statusCode, r.body).toBe(201)
      }
      const cables = await post('/sales', {
        orderRef: 'O-9',
        quantities: [{ sku: 'CABLE', quantity: 3, location: 'WH' }],
      })
      expect(cables.statusCode, cables.body).toBe(201)
      const list = (await get('/documents')).json()
      expect(list.map((d: { reference: string | null; number: string }) => d.reference ?? d.number)).toEqual([
        'O-9',
        'O-1',
        'O-0',
        'R-1',
      ])
      expect(list[3]).toMatchObject({
        number: 'R-1',
        type: 'receipt',
        party: { code: 'ACME', name: 'Acme' },
        unitCount: 3,
        quantity: 10,
        amountKind: 'cost',
        value: 3 * 400 + 10 * 2,
      })
      expect(list[1]).toMatchObject({ party: { code: 'JANE' }, unitCount: 1, value: 701, amountKind: 'price' })
      expect(list[0]).toMatchObject({ party: null, unitCount: 0, quantity: 3, value: 27 })
    })

    it('pages documents past 200 by offset: every document once, newest first', async () => {
      for (let i = 0; i < 205; i++) {
        const r = await post('/receipts', { supplier: 'ACME', location: 'WH', lines: [{ sku: 'CABLE', quantity: 1 }] })
        expect(r.statusCode, r.body).toBe(201)
      }
      const seen: { id: string; occurredAt: string }[] = []
      for (let offset = 0; ; offset += 100) {
        const page = (await get(`/documents?limit=100&offset=${offset}`)).json() as { id: string; occurredAt: string }[]
        seen.push(...page)
        if (page.length < 100) break
      }
      expect(seen.length).toBe(4 + 205)
      expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length)
      const times = seen.map((d) => d.occurredAt)
      expect(times).toEqual([...times].sort().reverse())
      expect(seen.at(-1)).toMatchObject({ occurredAt: expect.any(String) })
      expect((await get('/documents?limit=100&offset=200')).json()).toHaveLength(9)
    })

    it("shows a sale's serials with their prices and the total, and a return's at the price sold", async () => {
      const order = (await get('/documents?type=order&search=O-0')).json()[0]
      const doc = (await get(`/documents/order/${order.number}`)).json()
      expect(doc).toMatchObject({
        units: [{ serial: 'S-1', sku: 'PHX', amount: 700 }],
        unitCount: 1,
        amountKind: 'price',
        total: 700,
      })
      const ret = await post('/returns', { location: 'WH', customer: 'JANE', units: [{ serial: 'S-1', sku: 'PHX' }] })
      expect(ret.statusCode, ret.body).toBe(201)
      const back = (await get(`/documents/return/${ret.json().number}`)).json()
      expect(back).toMatchObject({ units: [{ serial: 'S-1', amount: 700 }], total: 700 })
    })

    it('lists units newest first, by serial, or oldest first, with totals over every page', async () => {
      const newest = (await get('/units?sort=newest&limit=2&totals=true')).json()
      expect(newest.items.map((u: { serial: string }) => u.serial)).toEqual(['S-3', 'S-2'])
      expect(newest.totals).toEqual({ count: 3, cost: 1200 })
      const next = (await get(`/units?sort=newest&limit=2&cursor=${newest.nextCursor}`)).json()
      expect(next.items.map((u: { serial: string }) => u.serial)).toEqual(['S-1'])
      expect(next.totals).toBeUndefined()
      const bySerial = (await get('/units?sort=serial&limit=1')).json()
      const second = (await get(`/units?sort=serial&limit=5&cursor=${encodeURIComponent(bySerial.nextCursor)}`)).json()
      expect([...bySerial.items, ...second.items].map((u: { serial: string }) => u.serial)).toEqual([
        'S-1',
        'S-2',
        'S-3',
      ])
      const inStock = (await get('/units?status=in_stock&totals=true')).json()
      expect(inStock.totals.count).toBe(inStock.items.length)
      const unit = inStock.items.find((u: { serial: string }) => u.serial === 'S-3')
      expect(unit).toMatchObject({ returnWindowEndsOn: null, warrantyEndsOn: null })
      const sold = (await get('/units?status=sold')).json().items[0]
      expect(sold.returnWindowEndsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    })

    it("finds a location by its label's barcode, sets and clears it, and refuses one already used", async () => {
      expect((await get('/locations?barcode=LBL-WH')).json()).toEqual([
        expect.objectContaining({ code: 'WH', barcode: 'LBL-WH' }),
      ])
      expect((await post('/locations', { code: 'BIN-1', name: 'Bin', level: 'site', kind: 'store' })).statusCode).toBe(
        201,
      )
      const clash = await patch('/locations/BIN-1', { barcode: 'LBL-WH' })
      expect(clash.statusCode).toBe(409)
      expect(clash.json()).toMatchObject({ code: 'location.duplicate', detail: expect.stringContaining('LBL-WH') })
      expect((await patch('/locations/BIN-1', { barcode: 'LBL-B1' })).json()).toMatchObject({ barcode: 'LBL-B1' })
      expect((await get('/locations/BIN-1')).json()).toMatchObject({ barcode: 'LBL-B1' })
      expect((await patch('/locations/BIN-1', { barcode: null })).json()).toMatchObject({ barcode: null })
      expect((await get('/locations?barcode=LBL-B1')).json()).toEqual([])
      const bad = await patch('/locations/BIN-1', { barcode: 'has space' })
      expect(bad.statusCode).toBe(400)
    })

    it("declares a SKU's example serial, words its format, and refuses an example that does not match", async () => {
      const ok = await post('/skus', {
        code: 'TAB',
        name: 'Tablet',
        tracking: 'serial',
        serialPattern: 'T-\\d{3}',
        serialExample: 'T-042',
      })
      expect(ok.json()).toMatchObject({ serialExample: 'T-042', serialFormat: '“T-” then 3 digits, for example T-042' })
      const bad = await post('/skus', {
        code: 'TAB2',
        name: 'Tablet 2',
        tracking: 'serial',
        serialPattern: 'T-\\d{3}',
        serialExample: 'X-1',
      })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().detail).toContain('serialExample X-1 does not match')
      const refused = await post('/receipts', {
        supplier: 'ACME',
        location: 'WH',
        lines: [{ sku: 'TAB', serials: ['T-1'] }],
      })
      expect(refused.json().issues[0].message).toBe(
        "serial does not match the SKU's format: “T-” then 3 digits, for example T-042",
      )
    })

    it('says the currency and locale money is shown in', async () => {
      expect((await get('/settings/display')).json()).toEqual({
        currency: expect.stringMatching(/^[A-Z]{3}$/),
        locale: expect.any(String),
      })
    })
  })
}
