import { describe, expect, it } from 'vitest'
import { lookupUnits } from '../../src/modules/units/index.js'
import { DIALECTS } from '../dialects.js'
import { useTestDb } from '../factories.js'

for (const dialect of DIALECTS)
  describe(`${dialect.name}: the scan lookup`, () => {
    const t = useTestDb(dialect)

    it('finds a unit by its serial, its IMEI, or the GS1 barcode that carries its GTIN and serial', async () => {
      const g = t.given
      const phone = await g.sku({ gtin: '09506000134352', identifiers: [{ name: 'imei', isUnique: true }] })
      const other = await g.sku({ gtin: '4006381333931' })
      const [site, supplier] = [await g.site(), await g.supplier()]
      await g.receipt({
        supplier: supplier.code,
        location: site.code,
        lines: [
          { sku: phone.code, units: [{ serial: 'ABC123', identifiers: { imei: '356938035643809' } }] },
          { sku: other.code, serials: ['ABC123'] },
        ],
      })
      const skusOf = async (code: string) => (await lookupUnits(t.db, code)).map((u) => u.sku.code).sort()
      expect(await skusOf('abc123')).toEqual([phone.code, other.code].sort())
      expect(await skusOf('356938035643809')).toEqual([phone.code])
      expect(await skusOf('(01)09506000134352(21)ABC123')).toEqual([phone.code])
      expect(await skusOf(']d2010950600013435221ABC123')).toEqual([phone.code])
      expect(await skusOf('https://id.example.com/01/04006381333931/21/ABC123')).toEqual([other.code])
      // A GTIN no unit of that serial has: the barcode is of another product.
      expect(await skusOf('(01)00036000291452(21)ABC123')).toEqual([])
    })

    it("answers a unit once when the code is both a serial and an identifier, its own or another unit's", async () => {
      const g = t.given
      const phone = await g.sku({ identifiers: [{ name: 'imei', isUnique: true }] })
      const router = await g.sku({ identifiers: [{ name: 'mac' }, { name: 'label' }] })
      const [site, supplier] = [await g.site(), await g.supplier()]
      await g.receipt({
        supplier: supplier.code,
        location: site.code,
        lines: [
          {
            sku: phone.code,
            units: [
              { serial: 'SAME-1', identifiers: { imei: 'SAME-1' } },
              { serial: 'P-2', identifiers: { imei: 'Q-3' } },
              { serial: 'Q-3', identifiers: { imei: '111' } },
            ],
          },
          // Two identifiers that are two spellings of one code.
          { sku: router.code, units: [{ serial: 'R-5', identifiers: { mac: 'ab:cd', label: 'AB:CD' } }] },
        ],
      })
      const serialsOf = async (code: string) => (await lookupUnits(t.db, code)).map((u) => u.serial).sort()
      expect(await serialsOf('SAME-1')).toEqual(['SAME-1'])
      expect(await serialsOf('q-3')).toEqual(['P-2', 'Q-3'])
      expect(await serialsOf('111')).toEqual(['Q-3'])
      expect(await serialsOf('Ab:Cd')).toEqual(['R-5'])
    })
  })
