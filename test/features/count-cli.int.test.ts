import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { cliCloseCount, cliStartCount, countCsv, shrinkageCsv } from '../../src/cli/count.command.js'
import { buildProgram } from '../../src/cli/program.js'
import { scanCount } from '../../src/modules/counts/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, useTempDir, useTestDb } from '../factories.js'

const dir = useTempDir('count-cli')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: serial-ledger count and report shrinkage`, () => {
    const t = useTestDb(dialect, { file: true })

    it('starts a count, exports its reconciliation, closes it, and reports the shrinkage as CSV', async () => {
      const g = t.given
      const phone = await g.sku()
      const site = await g.site()
      const supplier = await g.supplier()
      const [a, b, c] = [g.uniq('SN'), g.uniq('SN'), g.uniq('SN')]
      await g.receipt({
        supplier: supplier.code,
        location: site.code,
        lines: [{ sku: phone.code, serials: [a, b, c] }],
      })

      const started = await cliStartCount(t.ctx, 'cli-manager', { location: site.code, skus: [phone.code] })
      await g.op(scanCount, {
        number: started.number,
        location: site.code,
        scans: [
          { key: 'k1', serial: a },
          { key: 'k2', serial: b },
          { key: 'k3', serial: 'STRANGER' },
        ],
      })
      const rows = parse(await countCsv(t.ctx, started.number), { columns: true }) as Record<string, string>[]
      expect(rows.map((r) => [r.bucket, r.serial, r.value])).toEqual([
        ['missing', c, '-400'],
        ['unknown', 'STRANGER', ''],
      ])
      expect(await cliCloseCount(t.ctx, 'cli-manager', started.number)).toMatchObject({ missing: 1, moved: 0 })
      expect((await caught(() => cliCloseCount(t.ctx, 'cli-manager', started.number))).code).toBe('count.closed')
      expect((await caught(() => countCsv(t.ctx, 'CNT-NONE'))).code).toBe('count.not_found')

      const lost = parse(await shrinkageCsv(t.ctx, { from: '2020-01-01' }), { columns: true }) as Record<
        string,
        string
      >[]
      expect(lost).toMatchObject([
        { serial: c, sku: phone.code, status: 'missing', lost_by: 'cli-manager', last_seen_location: site.code },
      ])
      expect(lost[0]!.last_seen_event).toBe('received')
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('runs as `serial-ledger count start|export|close` and `report shrinkage`', async () => {
      const site = await t.given.site()
      const url = t.db.url
      const run = (...args: string[]) =>
        buildProgram().parseAsync(['node', 'serial-ledger', ...args, '--database-url', url], { from: 'node' })
      const number = `CNT-CLI-${dialect.name}`
      await run('count', 'start', '--location', site.code, '--number', number, '--actor', 'ops')
      const out = join(dir, `${dialect.name}-count.csv`)
      await run('count', 'export', number, '--out', out)
      expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^bucket,serial,sku/)
      await run('count', 'close', number, '--actor', 'ops')
      const report = join(dir, `${dialect.name}-shrinkage.csv`)
      await run('report', 'shrinkage', '--from', '2020-01-01', '--out', report)
      expect(readFileSync(report, 'utf8')).toMatch(/^serial,sku,status,lost_at/)
      expect(process.exitCode ?? 0).toBe(0)
      const [session] = await t.db.kysely
        .selectFrom('count_session')
        .select('status')
        .where('status', '=', 'closed')
        .execute()
      expect(session).toBeDefined()
    })
  })
}
