import { describe, expect, it } from 'vitest'
import { Command } from 'commander'
import { cliWarranty, registerWarrantyCommand, warrantyText } from '../../src/cli/warranty.command.js'
import { sell } from '../../src/modules/sales/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, useTestDb } from '../factories.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: serial-ledger warranty SERIAL`, () => {
    const t = useTestDb(dialect, { file: true })

    it('prints the status, the term and the rule that gave it, the supplier term and the owner', async () => {
      const g = t.given
      const [phone, site, supplier, customer] = [await g.sku(), await g.site(), await g.supplier(), await g.customer()]
      const [a, b] = [g.uniq('SN'), g.uniq('SN')]
      await g.receipt({ supplier: supplier.code, location: site.code, lines: [{ sku: phone.code, serials: [a, b] }] })
      await g.op(sell, {
        customer: customer.code,
        orderRef: 'ORD-CLI',
        units: [{ serial: a, extendedWarranty: { months: 12, price: 59 } }],
        soldAt: '2026-01-03T10:00:00Z',
      })
      const w = await cliWarranty(t.ctx, a)
      expect(w.warranty).toMatchObject({ status: 'in_warranty', endsOn: '2029-01-02', extendedMonths: 12 })
      expect(warrantyText(w).split('\n').slice(0, 4)).toEqual([
        `${phone.code} ${a} (Phone X 128GB): in warranty, unit sold`,
        '  warranty: 2026-01-03 to 2029-01-02 (rule sku_policy)',
        '    SKU policy: 24 months (24 months from sale)',
        '    extended warranty bought with the sale: +12 months',
      ])
      expect(warrantyText(w)).toContain(`owner: ${customer.code} Jane Doe`)
      expect((await cliWarranty(t.ctx, b)).warranty.status).toBe('not_sold')
      expect((await caught(() => cliWarranty(t.ctx, 'NO-SUCH'))).code).toBe('unit.not_found')

      const printed: string[] = []
      const program = new Command('serial-ledger')
      registerWarrantyCommand(program, (s) => printed.push(s))
      await program.parseAsync(['node', 'serial-ledger', 'warranty', a, '--json', '--database-url', t.db.url], {
        from: 'node',
      })
      expect(JSON.parse(printed[0]!)).toMatchObject({ serial: a, warranty: { rule: 'sku_policy' } })
    })
  })
}
