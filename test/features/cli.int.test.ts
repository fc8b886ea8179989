import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatError } from '../../src/cli/cli-context.js'
import { loadDemo } from '../../src/cli/demo.command.js'
import { exportCsv } from '../../src/cli/export.command.js'
import { importFile } from '../../src/cli/import.command.js'
import { runVerify } from '../../src/cli/verify.command.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTempDir, useTestDb } from '../factories.js'

const dir = useTempDir('cli')
let files = 0
/** Writes a CSV file (lines joined with \n unless the text is given whole) and returns its path. */
const csv = (content: string | string[]) => {
  const path = join(dir, `f${++files}.csv`)
  writeFileSync(path, Array.isArray(content) ? `${content.join('\n')}\n` : content)
  return path
}
const RECEIPT_HEADER =
  'receipt,supplier,location,sku,serial,quantity,lot,unit_cost,received_at,supplier_ref,po,asn,imei'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: operator CLI`, () => {
    const t = useTestDb(dialect, { file: true })
    const count = (table: 'unit' | 'event' | 'sku' | 'location' | 'document') => rowCount(t.db.kysely, table)
    const importReceipts = (lines: string[], key?: string) =>
      importFile(t.ctx, 'receipts', csv([RECEIPT_HEADER, ...lines]), { actor: 'cli-test', idempotencyKey: key })

    beforeAll(async () => {
      await importFile(
        t.ctx,
        'skus',
        csv([
          'code,name,tracking,gtin,cost,price,warranty_months,return_window_days,' +
            'serial_pattern,serial_case,allow_negative,identifiers',
          'PHONE,Phone X,serial,,400,799,24,,,upper,,imei!',
          'CABLE,USB-C cable,quantity,,1.5,9.99,,,,,,',
          'CREAM,Face cream,lot,,5,15,,,,,,',
        ]),
      )
      await importFile(
        t.ctx,
        'locations',
        csv([
          'code,name,level,kind,parent',
          'WH,Warehouse,site,warehouse,',
          'WH-Z,Zone,zone,,WH',
          'WH-B,Bin,bin,,WH-Z',
        ]),
      )
      await importFile(
        t.ctx,
        'parties',
        csv(['code,name,role,email,phone', 'SUP,Acme,supplier,orders@acme.example,', 'CUS,Jane,customer,,']),
      )
    })

    it('imports reference data all-or-nothing, naming every bad row and column', async () => {
      const skus = await count('sku')
      const err = await caught(() =>
        importFile(
          t.ctx,
          'skus',
          csv([
            'code,name,tracking,gtin,cost',
            'OK-1,Fine,serial,,1',
            'BAD-1,Bad,serial,,"12,50"',
            'BAD-2,Bad,widget,,',
            'PHONE,Again,serial,,',
            'BAD-3,Bad,serial,4006381333932,',
          ]),
        ),
      )
      expect(err.code).toBe('import.invalid')
      expect(err.issues?.map((i) => [i.row, i.field])).toEqual([
        [3, 'cost'],
        [4, 'tracking'],
        [5, 'code'],
        [6, 'gtin'],
      ])
      expect(await count('sku')).toBe(skus)
      const loc = await caught(() =>
        importFile(
          t.ctx,
          'locations',
          csv(['code,name,level,kind,parent', 'X-BIN,Bin,bin,,X-ZONE', 'X-ZONE,Zone,zone,,WH']),
        ),
      )
      expect(loc.issues?.[0]).toMatchObject({
        row: 2,
        field: 'parent',
        message: expect.stringContaining('parents must come before their children'),
      })
    })

    it('imports receipts: consecutive rows are one receipt, serial runs and quantities become lines', async () => {
      const events = await count('event')
      const rows = Array.from(
        { length: 300 },
        (_, i) =>
          `R-A,SUP,WH-B,PHONE,A-${i},,,410.50,2026-03-01,DN-1,PO-1,,${String(356938035643809n + BigInt(i) * 10n)}`,
      )
      const s = await importReceipts([
        ...rows,
        'R-A,,,CABLE,,40,,,,,,,',
        'R-A,,,CREAM,,12,L-7,,,,,,',
        'R-B,SUP,WH,PHONE,B-1,,,,2026-03-02T10:00:00Z,,,,',
      ])
      expect(s).toMatchObject({ kind: 'receipts', receipts: 2, units: 301, quantity: 52, isReplay: false })
      expect(await count('event')).toBe(events + 2)
      const doc = await t.db.kysely
        .selectFrom('document')
        .select(['number', 'occurred_at'])
        .where('number', '=', 'R-A')
        .executeTakeFirstOrThrow()
      expect(doc.occurred_at).toBe('2026-03-01T00:00:00.000Z')
    })

    it('writes nothing when one row among many is bad, and names the row and field', async () => {
      const [units, events] = [await count('unit'), await count('event')]
      const rows = Array.from(
        { length: 500 },
        (_, i) => `R-BAD,SUP,WH-B,PHONE,${i === 315 ? 'BAD SERIAL' : `OK-${i}`},,,,,,,,`,
      )
      const err = await caught(() => importReceipts(rows))
      expect(err.code).toBe('import.invalid')
      expect(err.message).toContain('row 317')
      expect(err.issues).toEqual([expect.objectContaining({ row: 317, field: 'serial', value: 'BAD SERIAL' })])
      expect([await count('unit'), await count('event')]).toEqual([units, events])
    })

    it('reads a BOM and quoted fields with newlines, counting records as rows', async () => {
      const path = csv(
        `\uFEFF${RECEIPT_HEADER}\r\nR-Q,SUP,WH,PHONE,Q-1,,,,,"DN\r\n42",,,\r\nR-Q,,,PHONE,Q-2,,,,,,,,\r\n`,
      )
      expect(await importFile(t.ctx, 'receipts', path)).toMatchObject({ receipts: 1, units: 2 })
      const doc = await t.db.kysely
        .selectFrom('document')
        .select('reference')
        .where('number', '=', 'R-Q')
        .executeTakeFirstOrThrow()
      expect(doc.reference).toBe('DN\r\n42')
      const bad = csv(`\uFEFF${RECEIPT_HEADER}\nR-Q2,SUP,WH,PHONE,Q-3,,,,,"a\nb\nc",,,\nR-Q2,,,CABLE,,-3,,,,,,,\n`)
      expect((await caught(() => importFile(t.ctx, 'receipts', bad))).issues?.[0]).toMatchObject({
        row: 3,
        field: 'quantity',
      })
    })

    it('refuses a file with a missing column or the wrong delimiter, before anything else', async () => {
      const missing = await caught(() =>
        importFile(t.ctx, 'receipts', csv(['receipt,supplier,sku,serial', 'R-M,SUP,PHONE,M-1'])),
      )
      expect(missing).toMatchObject({
        code: 'import.invalid',
        issues: [{ row: 1, field: 'location', message: 'required column "location" is missing' }],
      })
      const semicolon = await caught(() => importFile(t.ctx, 'skus', csv(['code;name;tracking', 'S-1;Semi;serial'])))
      expect(semicolon.code).toBe('import.invalid')
      expect(semicolon.message).toContain(';-separated')
    })

    it('refuses a file that is not UTF-8, naming the row and column', async () => {
      const path = join(dir, 'latin1.csv')
      writeFileSync(
        path,
        Buffer.concat([
          Buffer.from('code,name,role\nP-OK,Plain,customer\nP-L1,Caf'),
          Buffer.from([0xe9]),
          Buffer.from(',customer\n'),
        ]),
      )
      const err = await caught(() => importFile(t.ctx, 'parties', path))
      expect(err).toMatchObject({
        code: 'import.invalid',
        issues: [
          expect.objectContaining({ row: 3, field: 'name', message: expect.stringContaining('not valid UTF-8') }),
        ],
      })
      expect(
        await t.db.kysely.selectFrom('party').select('code').where('code', 'in', ['P-OK', 'P-L1']).execute(),
      ).toEqual([])
    })

    it('lists every duplicate serial of a receipt file, known and repeated', async () => {
      const err = await caught(() =>
        importReceipts(['R-D,SUP,WH,PHONE,D-1,,,,,,,,', 'R-D,,,PHONE,A-5,,,,,,,,', 'R-D,,,PHONE,d-1,,,,,,,,']),
      )
      expect(err.code).toBe('serial.duplicate')
      expect(err.issues?.map((i) => [i.row, i.field])).toEqual([
        [3, 'serial'],
        [4, 'serial'],
      ])
      expect(err.issues?.[0]?.message).toContain('PHONE A-5 already exists')
    })

    it('lists every clash of a unique identifier in a receipt file, naming the unit that holds it', async () => {
      await importReceipts(['R-I1,SUP,WH,PHONE,IM-1,,,,,,,,490154203237518'])
      const units = await count('unit')
      const err = await caught(() =>
        importReceipts([
          'R-I2,SUP,WH,PHONE,IM-2,,,,,,,,490154203237518',
          'R-I2,,,PHONE,IM-3,,,,,,,,352099001761481',
          'R-I2,,,PHONE,IM-4,,,,,,,,352099001761481',
        ]),
      )
      expect(err.code, JSON.stringify(err)).toBe('identifier.duplicate')
      expect(err.issues?.map((i) => [i.row, i.field, i.message.match(/\d{15}/)?.[0]])).toEqual([
        [2, 'imei', '490154203237518'],
        [4, 'imei', '352099001761481'],
      ])
      expect(err.issues?.[0]?.message).toMatch(/is already the imei of unit PHONE IM-1 \(id /)
      expect(err.issues?.[1]?.message).toContain('repeated in this receipt (first at row 3, serial IM-3)')
      expect(await count('unit')).toBe(units)
    })

    it('applies a retried import with the same idempotency key once', async () => {
      const units = await count('unit')
      const first = await importReceipts(['R-K,SUP,WH,PHONE,K-1,,,,,,,,'], 'import-k')
      const again = await importReceipts(['R-K,SUP,WH,PHONE,K-1,,,,,,,,'], 'import-k')
      expect([first.kind === 'receipts' && first.isReplay, again.kind === 'receipts' && again.isReplay]).toEqual([
        false,
        true,
      ])
      expect(await count('unit')).toBe(units + 1)
    })

    it('exports every unit as CSV, streamed page by page', async () => {
      const out = new PassThrough()
      const chunks: Buffer[] = []
      out.on('data', (c: Buffer) => chunks.push(c))
      const n = await exportCsv(t.db, 'units', out)
      const rows = parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as Record<string, string>[]
      expect(n).toBe(await count('unit'))
      expect(rows).toHaveLength(n)
      expect(rows.find((r) => r.serial === 'A-0')).toMatchObject({
        sku: 'PHONE',
        status: 'in_stock',
        location: 'WH-B',
        receipt: 'R-A',
        supplier: 'SUP',
        cost: '410.5',
      })
    })

    it('verifies the ledger, then names the event whose header was changed', async () => {
      expect((await runVerify(t.db)).text).toMatch(/^ledger OK: \d+ events, \d+ unit lines, projections match replay$/)
      const target = await t.db.kysely
        .selectFrom('event')
        .select(['seq', 'actor'])
        .orderBy('seq')
        .limit(1)
        .offset(1)
        .executeTakeFirstOrThrow()
      await t.db.kysely.updateTable('event').set({ actor: 'mallory' }).where('seq', '=', target.seq).execute()
      const broken = await runVerify(t.db, { replay: false })
      expect(broken.report.problem?.reason).toContain('content was changed')
      expect(broken.report.ok).toBe(false)
      expect(broken.text).toContain(`event seq ${Number(target.seq)}`)
      await t.db.kysely.updateTable('event').set({ actor: target.actor }).where('seq', '=', target.seq).execute()
      expect((await runVerify(t.db)).report).toVerify()
    })
  })

  describe(`${dialect.name}: demo data`, () => {
    const t = useTestDb(dialect, { file: true })

    it('loads a deterministic, verifiable history through the services and refuses to run twice', async () => {
      const summary = await loadDemo(t.ctx, { units: 300, days: 60, now: new Date('2026-06-01T00:00:00Z') })
      expect(summary.unitsReceived).toBe(300)
      expect(summary.events).toMatchObject({
        received: expect.any(Number),
        sold: expect.any(Number),
        transfer_shipped: expect.any(Number),
      })
      expect((await runVerify(t.db)).report).toVerify()
      expect((await caught(() => loadDemo(t.ctx, { units: 10 }))).message).toContain('not empty')
    })
  })
}

describe('CLI error output', () => {
  it('prints the code, the message and one line per row/field issue', () => {
    const text = formatError('import.invalid', 'nothing was imported', {
      issues: [{ row: 17, field: 'gtin', message: 'wrong check digit' }],
      issueCount: 3,
    })
    expect(text.split('\n')).toEqual([
      'error import.invalid: nothing was imported',
      '  row 17, field gtin: wrong check digit',
      '  … and 2 more',
    ])
  })
})
