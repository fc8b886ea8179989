import { describe, expect, it } from 'vitest'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { stockOnHand } from '../../src/modules/stock/index.js'
import { listUnits, lookupUnits, unitProvenance, unitTimeline } from '../../src/modules/units/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTestDb } from '../factories.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: receiving`, () => {
    const t = useTestDb(dialect)

    it('receives a list, a range and CSV with identifiers as one event, and records provenance', async () => {
      const sku = await t.given.sku({ identifiers: [{ name: 'imei', isUnique: true, pattern: '\\d{15}' }] })
      const { site, supplier, header } = await t.given.place()
      const r = await t.given.receipt({
        ...header,
        supplierRef: 'DN-778',
        po: 'PO-1',
        lines: [
          { sku: sku.code, serials: ['a-1', ' A-2 '], unitCost: 410.5 },
          { sku: sku.code, range: 'R-{001..003}' },
          { sku: sku.code, csv: '\uFEFFserial,imei\r\nC-1,356938035643809\r\n"C-2",356938035643817\r\n' },
        ],
      })
      expect(r.unitCount).toBe(7)
      const units = await listUnits(t.db.kysely, { sku: sku.code, limit: 100 })
      expect(units.items.map((u) => u.serial).sort()).toEqual(['A-1', 'A-2', 'C-1', 'C-2', 'R-001', 'R-002', 'R-003'])
      const [byImei] = await lookupUnits(t.db, '356938035643817')
      expect(byImei?.serial).toBe('C-2')
      // A code that is one unit's serial and another's IMEI finds both, once each, in any letter case.
      await t.given.receipt({
        ...header,
        lines: [{ sku: sku.code, serials: ['356938035643809', 'x-Mixed'] }],
      })
      expect((await lookupUnits(t.db, '356938035643809')).map((u) => u.serial).sort()).toEqual([
        '356938035643809',
        'C-1',
      ])
      expect((await lookupUnits(t.db, ' x-mixed ')).map((u) => u.serial)).toEqual(['X-MIXED'])
      expect(await lookupUnits(t.db, 'NOT-THERE')).toEqual([])
      const a1 = units.items.find((u) => u.serial === 'A-1')!
      expect(a1).toMatchObject({
        status: 'in_stock',
        cost: 410.5,
        location: { code: site.code },
        supplier: { code: supplier.code },
      })
      const prov = await unitProvenance(t.db.kysely, a1.id)
      expect(prov.receipt).toMatchObject({ number: r.number, supplierRef: 'DN-778', po: 'PO-1', unitsInReceipt: 7 })
      const timeline = await unitTimeline(t.db.kysely, a1.id)
      expect(timeline).toHaveLength(1)
      expect(timeline[0]).toMatchObject({
        type: 'received',
        actor: 'test-clerk',
        location: site.code,
        document: { type: 'receipt', number: r.number },
      })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('reports every duplicate, known and repeated, in one error and writes nothing', async () => {
      const sku = await t.given.sku()
      const { header } = await t.given.place()
      await t.given.receipt({
        ...header,
        lines: [{ sku: sku.code, serials: ['D-1', 'D-2'] }],
      })
      const [units, events] = [await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]
      const err = await caught(() =>
        t.given.receipt({
          ...header,
          lines: [{ sku: sku.code, serials: ['D-3', 'D-1', 'D-4', 'd-3', 'D-2'] }],
        }),
      )
      expect(err.code).toBe('serial.duplicate')
      expect(err.issues?.map((i) => [i.row, i.message])).toEqual([
        [2, `${sku.code} D-1 already exists`],
        [4, 'D-3 is repeated in this receipt (first at row 1)'],
        [5, `${sku.code} D-2 already exists`],
      ])
      expect([await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]).toEqual([units, events])
    })

    it('points a serial repeated on another line back at its first line and row', async () => {
      const [sku, other] = [await t.given.sku(), await t.given.sku()]
      const { header } = await t.given.place()
      const err = await caught(() =>
        t.given.receipt({
          ...header,
          lines: [
            { sku: sku.code, serials: ['X-1', 'X-2'] },
            { sku: other.code, serials: ['X-2'] },
            { sku: sku.code, serials: ['X-3', 'X-2'] },
          ],
        }),
      )
      expect(err.issues).toEqual([
        {
          row: 2,
          field: 'lines[2].serial',
          value: 'X-2',
          message: 'X-2 is repeated in this receipt (first at lines[0] row 2)',
        },
      ])
    })

    it('refuses a receipt of 10,000 serials with one bad row, names the row and field, writes nothing', async () => {
      const sku = await t.given.sku({ serialPattern: 'SN[0-9]{5}' })
      const { header } = await t.given.place()
      const serials = Array.from({ length: 10_000 }, (_, i) => `SN${String(i).padStart(5, '0')}`)
      serials[7_321] = 'SN1234X'
      const before = await Promise.all([
        rowCount(t.db.kysely, 'unit'),
        rowCount(t.db.kysely, 'event'),
        rowCount(t.db.kysely, 'document'),
        rowCount(t.db.kysely, 'event_unit'),
      ])
      const err = await caught(() => t.given.receipt({ ...header, lines: [{ sku: sku.code, serials }] }))
      expect(err.code).toBe('receipt.invalid')
      expect(err.issues).toEqual([
        {
          row: 7322,
          field: 'lines[0].serial',
          value: 'SN1234X',
          message: "serial does not match the SKU's format: “SN” then 5 digits, for example SN00001",
        },
      ])
      expect(err.message).toContain('row 7322')
      expect(
        await Promise.all([
          rowCount(t.db.kysely, 'unit'),
          rowCount(t.db.kysely, 'event'),
          rowCount(t.db.kysely, 'document'),
          rowCount(t.db.kysely, 'event_unit'),
        ]),
      ).toEqual(before)
    })

    it('refuses look-alike and control characters in serials', async () => {
      const sku = await t.given.sku()
      const { header } = await t.given.place()
      const err = await caught(() =>
        t.given.receipt({
          ...header,
          lines: [{ sku: sku.code, serials: ['OK-1', 'Р-1', 'X\u200bY', '', 'TAB\tX'] }],
        }),
      )
      expect(err.issues?.map((i) => i.row)).toEqual([2, 3, 4, 5])
      expect(err.issues?.[0]?.message).toContain("a Cyrillic 'Р' that looks like a Latin 'P'")
    })

    it('compares a receipt with the expected-serial manifest', async () => {
      const sku = await t.given.sku()
      const { header } = await t.given.place()
      const r = await t.given.receipt({
        ...header,
        lines: [{ sku: sku.code, serials: ['M-1', 'M-2', 'M-9'] }],
        expected: [{ sku: sku.code, serials: ['M-1', 'M-2', 'M-3'] }],
      })
      expect(r.manifest).toEqual({
        expectedCount: 3,
        missingCount: 1,
        unexpectedCount: 1,
        missing: [{ sku: sku.code, serial: 'M-3' }],
        unexpected: [{ sku: sku.code, serial: 'M-9' }],
      })
    })

    it('receives lot and quantity stock next to serial units (mixed inventory)', async () => {
      const cable = await t.given.sku({ tracking: 'quantity', cost: 2, price: 9 })
      const cream = await t.given.sku({ tracking: 'lot', cost: 5 })
      const phone = await t.given.sku()
      const { site, header } = await t.given.place()
      await t.given.receipt({
        ...header,
        lines: [
          { sku: cable.code, quantity: 40 },
          { sku: cream.code, lot: 'L-2026-01', quantity: 12 },
          { sku: phone.code, serials: ['P-1', 'P-2'] },
        ],
      })
      const rows = await stockOnHand(t.db.kysely, { location: site.code, limit: 100 })
      expect(rows.map((r) => [r.sku, r.lot, r.onHand])).toEqual(
        [
          [cable.code, null, 40],
          [cream.code, 'L-2026-01', 12],
          [phone.code, null, 2],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      )
      const err = await caught(() => t.given.receipt({ ...header, lines: [{ sku: cream.code, quantity: 3 }] }))
      expect(err.issues?.[0]).toMatchObject({ field: 'lines[0].lot' })
    })

    it('replays an Idempotency-Key retry without writing twice', async () => {
      const sku = await t.given.sku()
      const { header } = await t.given.place()
      const req = { ...header, lines: [{ sku: sku.code, serials: ['I-1'] }] }
      const first = await t.given.receipt(req, 'key-1')
      const events = await rowCount(t.db.kysely, 'event')
      expect(await t.given.receipt(req, 'key-1')).toEqual(first)
      expect(await rowCount(t.db.kysely, 'event')).toBe(events)
      const err = await caught(() => t.given.receipt({ ...req, lines: [{ sku: sku.code, serials: ['I-2'] }] }, 'key-1'))
      expect(err.code).toBe('idempotency.key_reused')
    })

    it(
      "refuses a SKU's product barcode (EAN-13 or GTIN-14) as a serial, " + 'naming the row and SKU; writes nothing',
      async () => {
        const boxed = await t.given.sku({ gtin: '9506000134352' })
        const sku = await t.given.sku()
        const site = await t.given.site()
        const supplier = await t.given.supplier()
        const [units, events] = [await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]
        const err = await caught(() =>
          t.given.receipt({
            supplier: supplier.code,
            location: site.code,
            lines: [{ sku: sku.code, serials: ['OK-1', '9506000134352', '09506000134352', '9506000134353'] }],
          }),
        )
        expect(err.code).toBe('receipt.invalid')
        expect(err.issues?.map((i) => [i.row, i.field, i.message])).toEqual([
          [
            2,
            'lines[0].serial',
            `9506000134352 is the product barcode (GTIN) of SKU ${boxed.code}, ` +
              'not a unit serial: scan the serial label',
          ],
          [
            3,
            'lines[0].serial',
            `09506000134352 is the product barcode (GTIN) of SKU ${boxed.code}, ` +
              'not a unit serial: scan the serial label',
          ],
        ])
        expect([await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]).toEqual([units, events])
        // A 13-digit serial with a wrong check digit is no GTIN: it is received.
        const ok = await t.given.receipt({
          supplier: supplier.code,
          location: site.code,
          lines: [{ sku: sku.code, serials: ['9506000134353'] }],
        })
        expect(ok.unitCount).toBe(1)
      },
    )

    it(
      'refuses a serial another SKU has when either SKU keeps serials unique across SKUs, ' + 'naming SKU and place',
      async () => {
        const strict = await t.given.sku({ serialsUniqueAcrossSkus: true })
        const loose = await t.given.sku()
        const other = await t.given.sku()
        const site = await t.given.site()
        const supplier = await t.given.supplier()
        const receipt = (sku: string, serials: string[]) =>
          t.given.receipt({ supplier: supplier.code, location: site.code, lines: [{ sku, serials }] })
        await receipt(loose.code, ['DEV-1'])
        await receipt(strict.code, ['DEV-2'])
        const [units, events] = [await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]
        // The strict SKU refuses a serial any other SKU has; another SKU refuses one the strict SKU has.
        const a = await caught(() => receipt(strict.code, ['NEW-1', 'dev-1']))
        expect(a.code).toBe('receipt.invalid')
        expect(a.issues?.map((i) => [i.row, i.message])).toEqual([
          [
            2,
            `DEV-1 is already a unit of SKU ${loose.code} (in stock at ${site.code}); ` +
              `${strict.code} keeps its serials unique across all SKUs`,
          ],
        ])
        const b = await caught(() => receipt(other.code, ['DEV-2']))
        expect(b.issues?.map((i) => i.message)).toEqual([
          `DEV-2 is already a unit of SKU ${strict.code} (in stock at ${site.code}); ` +
            `${strict.code} keeps its serials unique across all SKUs`,
        ])
        expect([await rowCount(t.db.kysely, 'unit'), await rowCount(t.db.kysely, 'event')]).toEqual([units, events])
        // Neither SKU strict: the serial may be received (the web asks the clerk to confirm first).
        expect((await receipt(other.code, ['DEV-1'])).unitCount).toBe(1)
        expect(await verifyLedger(t.db)).toVerify()
      },
    )
  })
}
