import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { PassThrough } from 'node:stream'
import { PDFParse } from 'pdf-parse'
import { beforeAll, describe, expect, it } from 'vitest'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { DIALECTS } from '../../../test/dialects.js'
import { useTestDb } from '../../../test/factories.js'
import { symbolPng } from './labels-pdf.js'
import { labelContent } from './labels.rules.js'
import { LabelsQuery } from './labels.schemas.js'
import { labelUnits, writeLabels } from './labels.service.js'

const GTIN = '04006381333931'

async function render(db: Parameters<typeof writeLabels>[0], query: Record<string, string>): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await writeLabels(db, LabelsQuery.parse(query), out)
  return Buffer.concat(chunks)
}

beforeAll(() => {
  // The decoder's WebAssembly from node_modules, never from a CDN.
  const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm')
  prepareZXingModule({ overrides: { wasmBinary: readFileSync(wasm).buffer as ArrayBuffer } })
})

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: labels`, () => {
    const t = useTestDb(dialect)
    let receipt: string
    beforeAll(async () => {
      const sku = await t.given.sku({ gtin: GTIN })
      const supplier = await t.given.supplier()
      const site = await t.given.site()
      const lines = [{ sku: sku.code, serials: ['LBL-1', 'LBL-2', 'LBL-3'] }]
      receipt = (await t.given.receipt({ supplier: supplier.code, location: site.code, lines })).number
    })

    it("decodes each receipt unit's GS1 DataMatrix back to (01)+(21)", async () => {
      for await (const u of labelUnits(t.db.kysely, { receipt })) {
        const png = await symbolPng(labelContent(u, 'datamatrix'))
        const [read] = await readBarcodes(new Uint8Array(png), { formats: ['DataMatrix'] })
        expect(read).toMatchObject({ symbologyIdentifier: ']d2', text: `(01)${GTIN}(21)${u.serial}` })
      }
    })

    it('decodes the QR code back to the Digital Link', async () => {
      const { value: u } = await labelUnits(t.db.kysely, { serials: 'LBL-2' }).next()
      const [read] = await readBarcodes(new Uint8Array(await symbolPng(labelContent(u!, 'qr'))))
      expect(read).toMatchObject({ format: 'QRCode', text: `https://id.gs1.org/01/${GTIN}/21/LBL-2` })
    })

    it('prints a PDF of a receipt on an A4 sheet with the human-readable text', async () => {
      const pdf = await render(t.db.kysely, { receipt, layout: 'a4-grid' })
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      const text = (await new PDFParse({ data: pdf }).getText()).text
      for (const s of ['LBL-1', 'LBL-2', 'LBL-3']) expect(text).toContain(`(01)${GTIN}(21)${s}`)
    })

    it('prints ZPL with ^BX field data per unit, and a dumbbell tag as PDF', async () => {
      const zpl = (await render(t.db.kysely, { serials: 'LBL-1,LBL-3', format: 'zpl' })).toString()
      expect(zpl.match(/\^XA/g)).toHaveLength(2)
      expect(zpl).toContain(`^FD_101${GTIN}21LBL-1^FS`)
      expect(zpl).toContain(`^FD_101${GTIN}21LBL-3^FS`)
      const tag = await render(t.db.kysely, { serials: 'LBL-1', layout: 'jewelry-dumbbell', symbol: 'qr' })
      expect((await new PDFParse({ data: tag }).getText()).text).toContain('LBL-1')
    })

    it('refuses unknown serials and an empty selection', async () => {
      await expect(render(t.db.kysely, { serials: 'NOPE' })).rejects.toThrow(/no unit with serial NOPE/)
      await expect(render(t.db.kysely, {})).rejects.toThrow(/name a receipt or serials/)
    })
  })
}
