import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/cli/program.js'
import { updateSku } from '../../src/modules/catalog/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { putPolicy } from '../../src/modules/pricing/index.js'
import { DIALECTS } from '../dialects.js'
import { useTempDir, useTestDb } from '../factories.js'

const dir = useTempDir('lifecycle-cli')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: serial-ledger report ageing|lifecycle|markdowns|advisor and markdowns apply`, () => {
    const t = useTestDb(dialect, { file: true })

    it('writes the four reports as CSV and applies the markdowns as one price event', async () => {
      const g = t.given
      const phone = await g.sku({ price: 500, cost: 200 })
      await updateSku(t.ctx, 'ops', phone.code, { skuGroup: 'CLI' })
      // Every unit qualifies (age 0+), so the CLI run (real clock) has something to apply.
      await putPolicy(t.ctx, 'ops', 'CLI', { rules: [{ minAgeDays: 0, action: 'discount', percent: 10 }] })
      const { site, supplier } = await g.place()
      const serials = [g.uniq('SN'), g.uniq('SN')]
      await g.receipt({ supplier: supplier.code, location: site.code, lines: [{ sku: phone.code, serials }] })
      const url = t.db.url
      const run = (...args: string[]) =>
        buildProgram().parseAsync(['node', 'serial-ledger', ...args, '--database-url', url], { from: 'node' })
      const read = (name: string) =>
        parse(readFileSync(join(dir, name), 'utf8'), { columns: true }) as Record<string, string>[]
      const file = (name: string) => join(dir, `${dialect.name}-${name}.csv`)
      await run('report', 'ageing', '--by', 'supplier', '--out', file('ageing'))
      expect(read(`${dialect.name}-ageing.csv`).filter((r) => r.units !== '0')).toEqual([
        expect.objectContaining({ supplier: supplier.code, kind: 'unit', units: '2', valueAtCost: '400' }),
      ])
      await run('report', 'lifecycle', '--out', file('lifecycle'))
      expect(read(`${dialect.name}-lifecycle.csv`)).toEqual([
        expect.objectContaining({ sku: phone.code, supplier: supplier.code, received: '2', sold: '0' }),
      ])
      await run('report', 'markdowns', '--out', file('markdowns'))
      expect(read(`${dialect.name}-markdowns.csv`)).toEqual([
        expect.objectContaining({ sku: phone.code, currentPrice: '500', suggestedPrice: '450', units: '2' }),
      ])
      await run('report', 'advisor', '--out', file('advisor'))
      expect(read(`${dialect.name}-advisor.csv`).map((r) => r.code)).toContain(phone.code)
      await run('markdowns', 'apply', '--sku', phone.code, '--actor', 'ops')
      expect(process.exitCode ?? 0).toBe(0)
      const events = await t.db.kysely.selectFrom('event').select(['type', 'actor', 'unit_count']).execute()
      expect(events.filter((e) => e.type === 'price_changed')).toEqual([
        { type: 'price_changed', actor: 'ops', unit_count: 2 },
      ])
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}
