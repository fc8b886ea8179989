import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../http.js'
import { DIALECTS } from '../dialects.js'
import { rowCount } from '../factories.js'

/** Inputs a code or serial cannot hold: whitespace or the NUL character. */
const hasSpaceOrNul = (t: string) => /\s/.test(t) || t.includes('\u0000')
const INJECTIONS = [
  "'); DROP TABLE unit; --",
  '" OR "1"="1',
  '<script>alert(1)</script>',
  '${7*7}',
  '\u0000',
  '../../etc/passwd',
]

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: hostile and malformed input`, () => {
    const t = useTestApp(dialect, { role: 'admin' })
    const { post } = t
    const unitCount = () => rowCount(t.db.kysely, 'unit')
    const eventCount = () => rowCount(t.db.kysely, 'event')
    const receipt = (line: object) =>
      post('/receipts', { supplier: 'SUP', location: 'LOC', lines: [{ sku: 'SKU', ...line }] })

    beforeAll(async () => {
      await post('/skus', {
        code: 'SKU',
        name: 'Phone',
        tracking: 'serial',
        identifiers: [{ name: 'imei', isUnique: true }],
      })
      await post('/locations', { code: 'LOC', name: 'Store', kind: 'store' })
      await post('/parties', { code: 'SUP', name: 'Supplier', role: 'supplier' })
    })

    it('names the row of every bad serial among 100,000 and writes nothing', async () => {
      const serials = Array.from({ length: 100_000 }, (_, i) => `H-${i}`)
      serials[10] = '   '
      serials[20] = 'Н-20' // Cyrillic capital EN
      serials[30] = 'A\u0007B'
      serials[99_999] = 'A B'
      const res = await receipt({ serials })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'receipt.invalid', issueCount: 4 })
      expect(res.json().issues.map((i: { row: number }) => i.row)).toEqual([11, 21, 31, 100_000])
      expect([await unitCount(), await eventCount()]).toEqual([0, 0])
    })

    it('refuses arrays over the limit and wrong element types, naming the path', async () => {
      const tooMany = await post('/sales', { orderRef: 'X', units: Array.from({ length: 200_001 }, (_, i) => `S${i}`) })
      expect(tooMany.statusCode).toBe(400)
      expect(tooMany.json().errors[0].path).toBe('units')
      const wrong = await receipt({ serials: ['A', 7, null] })
      expect(wrong.json().errors.map((e: { path: string }) => e.path)).toEqual([
        'lines.0.serials.1',
        'lines.0.serials.2',
      ])
      const notObject = await t.postRaw('/sales', '[1,2]')
      expect(notObject.statusCode).toBe(400)
      const noType = await t.postRaw('/sales', 'orderRef=1', 'text/plain')
      expect(noType.json()).toMatchObject({ status: 400, code: 'request.invalid' })
    })

    const csvQuirks =
      'reads CSV with a BOM and quoted fields, and refuses a wrong delimiter or a newline inside a serial'
    it(csvQuirks, async () => {
      const ok = await receipt({ csv: '\uFEFFserial,imei\r\n"Q-1",111\r\nQ-2,222\r\n' })
      expect(ok.statusCode).toBe(201)
      const semicolons = await receipt({ csv: 'serial;imei\nQ-3;333\n' })
      expect(semicolons.json()).toMatchObject({
        status: 400,
        code: 'import.invalid',
        detail: expect.stringContaining('no "serial" column'),
      })
      const newline = await receipt({ csv: 'serial\n"Q-4\nQ-5"\n' })
      expect(newline.json()).toMatchObject({
        code: 'receipt.invalid',
        issues: [expect.objectContaining({ row: 2, message: expect.stringContaining('a line break') })],
      })
      const ragged = await receipt({ csv: 'serial,imei\nQ-6,1,extra\n' })
      expect(ragged.json()).toMatchObject({ code: 'import.invalid' })
      expect(await unitCount()).toBe(2)
    })

    const injections =
      'stores injection strings in free text verbatim as data, and refuses them where codes are expected'
    it(injections, async () => {
      for (const [i, text] of INJECTIONS.entries()) {
        const res = await post('/parties', { code: `INJ-${i}`, name: text.replace('\u0000', 'nul'), role: 'customer' })
        expect(res.statusCode).toBe(201)
        expect(res.json().name).toBe(text.replace('\u0000', 'nul'))
        // Codes refuse spaces, quotes, angle brackets and control characters; what is left is inert text.
        const asCode = await post('/parties', { code: text, name: 'x', role: 'customer' })
        if (hasSpaceOrNul(text) || /["'`<>]/.test(text)) {
          expect(asCode.statusCode).toBe(400)
          expect(asCode.json().errors[0].path).toBe('code')
        } else expect(asCode.json().code).toBe(text)
        const asSerial = await receipt({ serials: [text] })
        expect(asSerial.statusCode).toBe(hasSpaceOrNul(text) ? 400 : 201)
        const lookup = await t.client({
          method: 'GET',
          url: `/api/v1/units/lookup?code=${encodeURIComponent(text.replace('\u0000', 'x'))}`,
        })
        expect(lookup.json().map((u: { serial: string }) => u.serial)).toEqual(
          hasSpaceOrNul(text) ? [] : [text.toUpperCase()],
        )
      }
      expect(
        await t.db.kysely.selectFrom('unit').select('serial').where('serial', 'like', 'Q-%').execute(),
      ).toHaveLength(2)
    })
  })
}
