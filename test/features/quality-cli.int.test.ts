import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { Command } from 'commander'
import { buildProgram } from '../../src/cli/program.js'
import { registerDefectReportCommand, registerRecallCommand } from '../../src/cli/quality.command.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { createDefectCode, inspect } from '../../src/modules/quality/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { DIALECTS } from '../dialects.js'
import { useTempDir, useTestDb } from '../factories.js'

const dir = useTempDir('quality-cli')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: serial-ledger recall and report defects`, () => {
    const t = useTestDb(dialect, { file: true })

    it('runs `recall open|preview|quarantine|customers|close` and `report defects --out`', async () => {
      const g = t.given
      const phone = await g.sku()
      const site = await g.site({ kind: 'warehouse' })
      const supplier = await g.supplier()
      const customer = await g.customer()
      const lot = g.uniq('LOT')
      const serials = Array.from({ length: 6 }, () => g.uniq('QC'))
      await g.receipt({ supplier: supplier.code, location: site.code, lines: [{ sku: phone.code, lot, serials }] })
      await g.op(sell, { customer: customer.code, orderRef: 'SHOP-9', units: serials.slice(0, 2) })
      const code = (await createDefectCode(t.ctx, { code: g.uniq('DOA'), name: 'dead' })).code
      await g.op(inspect, { units: [serials[2]!], stage: 'ad_hoc', result: 'fail', defectCodes: [code] })

      const printed: string[] = []
      expect(buildProgram().commands.map((c) => c.name())).toEqual(expect.arrayContaining(['recall', 'report']))
      const run = (...args: string[]) => {
        const program = new Command('serial-ledger')
        registerRecallCommand(program, (line) => printed.push(line))
        registerDefectReportCommand(program, (line) => printed.push(line))
        return program.parseAsync(['node', 'serial-ledger', ...args, '--database-url', t.db.url], { from: 'node' })
      }
      const number = `RCL-CLI-${dialect.name}`
      await run('recall', 'preview', '--sku', phone.code, '--lot', lot)
      expect(printed.join('\n')).toContain('6 units match: 4 in stock, 2 sold')
      await run('recall', 'open', '--title', 'bad lot', '--number', number, '--sku', phone.code, '--lot', lot)
      await run('recall', 'quarantine', number)
      expect(printed.join('\n')).toContain(`4 units quarantined by recall ${number}`)
      const customers = join(dir, `${dialect.name}-customers.csv`)
      await run('recall', 'customers', number, '--out', customers)
      const rows = parse(readFileSync(customers, 'utf8'), { columns: true }) as { serial: string; order: string }[]
      expect(rows.map((r) => r.serial).sort()).toEqual(serials.slice(0, 2).sort())
      expect(rows[0]!.order).toBe('SHOP-9')
      await run('recall', 'close', number)
      const defects = join(dir, `${dialect.name}-defects.csv`)
      await run('report', 'defects', '--sku', phone.code, '--dimension', 'lot', '--min-units', '1', '--out', defects)
      const report = parse(readFileSync(defects, 'utf8'), { columns: true }) as Record<string, string>[]
      expect(report).toEqual([expect.objectContaining({ dimension: 'lot', units: '6', defective: '1', tooFew: 'no' })])
      expect(process.exitCode ?? 0).toBe(0)
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}
