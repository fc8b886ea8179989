import { createWriteStream } from 'node:fs'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Command } from 'commander'
import { stringify } from 'csv-stringify'
import { AppError } from '../core/errors.js'
import type { Db } from '../db/connect.js'
import type { Executor } from '../db/database.js'
import { inReadSnapshot } from '../db/transaction.js'
import { EVENT_COLUMNS, eventRows, UNIT_COLUMNS, unitRows } from './export/export-tables.js'
import { type OutFlags, withDb, withOutFile } from './cli-context.js'

export const EXPORT_KINDS = ['units', 'events'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

const TABLES: Record<ExportKind, { columns: readonly string[]; rows: (db: Executor) => AsyncGenerator<unknown[]> }> = {
  units: { columns: UNIT_COLUMNS, rows: unitRows },
  events: { columns: EVENT_COLUMNS, rows: eventRows },
}

/**
 * Streams a table as CSV (header row first) to `out`, paging through it on one read snapshot (of the
 * replica, when there is one) so the file is consistent and memory stays flat. Returns the number of
 * data rows. `out` is ended unless `endOutput` is false (stdout).
 */
export async function exportCsv(db: Db, kind: string, out: Writable, endOutput = true): Promise<number> {
  const table = TABLES[exportKindOf(kind)]
  let count = 0
  // An export may lag the newest writes: it reads the replica when one is configured (READ_DATABASE_URL).
  await inReadSnapshot(db.replica ? { ...db, kysely: db.replica } : db, async (ex) => {
    async function* counted() {
      for await (const row of table.rows(ex)) {
        count++
        yield row
      }
    }
    await pipeline(
      Readable.from(counted()),
      stringify({ header: true, columns: [...table.columns], cast: { date: (d) => d.toISOString() } }),
      out,
      { end: endOutput },
    )
  })
  return count
}

function exportKindOf(kind: string): ExportKind {
  if (!(EXPORT_KINDS as readonly string[]).includes(kind))
    throw new AppError(
      'request.invalid',
      `unknown export ${JSON.stringify(kind)}; expected ${EXPORT_KINDS.join(' or ')}`,
    )
  return kind as ExportKind
}

export function registerExportCommand(program: Command): void {
  withOutFile(
    program
      .command('export')
      .description('stream units or ledger events as CSV to stdout or a file')
      .argument('<what>', EXPORT_KINDS.join(' | ')),
  ).action(async (what: string, flags: OutFlags) =>
    withDb(flags, async (ctx) => {
      exportKindOf(what)
      const out = flags.out ? createWriteStream(flags.out) : process.stdout
      const count = await exportCsv(ctx.db, what, out, flags.out !== undefined).catch((e: NodeJS.ErrnoException) => {
        // `export units | head` closes the pipe early: that is the reader's choice, not a failure.
        if (e?.code === 'EPIPE') return -1
        throw e
      })
      if (flags.out && count >= 0) process.stderr.write(`exported ${count} ${what} to ${flags.out}\n`)
    }),
  )
}
