import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Command } from 'commander'
import { AppError } from '../core/errors.js'
import { inReadSnapshot } from '../db/transaction.js'
import { captureEpcis, EpcisExportQuery, type EpcisFilter, exportEpcis } from '../modules/epcis/index.js'
import { parseFlags } from './cli-flags.js'
import type { DbFlags, OutFlags, Print } from './cli-context.js'
import { printLine, withDatabaseOption, withDb, withOutFile } from './cli-context.js'

interface ExportFlags extends OutFlags, EpcisFilter {}

/** `serial-ledger epcis export|capture`: the ledger as EPCIS 2.0 JSON-LD, and EPCIS documents into it. */
export function registerEpcisCommand(program: Command, print: Print = printLine): void {
  const epcis = program.command('epcis').description('EPCIS 2.0 JSON-LD: export the ledger, capture documents')
  withOutFile(
    epcis
      .command('export')
      .description('stream a slice of the ledger as one EPCIS 2.0 document (to stdout or --out)')
      .option('--from <time>', 'business time from (ISO-8601, inclusive)')
      .option('--to <time>', 'business time to (ISO-8601, exclusive)')
      .option('--sku <code>', 'events of this SKU, its lines only')
      .option('--location <code>', 'events at this location or inside it')
      .option('--serial <serial>', "one unit's events")
      .option('--document <number>', "one document's events"),
  ).action(async (flags: ExportFlags) =>
    withDb(flags, async (ctx) => {
      const { out: _out, ...filter } = flags
      const query = parseFlags(EpcisExportQuery, {
        from: filter.from,
        to: filter.to,
        sku: filter.sku,
        location: filter.location,
        serial: filter.serial,
        document: filter.document,
      })
      const out = flags.out ? createWriteStream(flags.out) : process.stdout
      await inReadSnapshot(ctx.db, (ex) =>
        pipeline(Readable.from(exportEpcis(ex, query, ctx.clock.now().toISOString())), out, {
          end: flags.out !== undefined,
        }),
      )
      if (flags.out) process.stderr.write(`exported EPCIS to ${flags.out}\n`)
    }),
  )
  withDatabaseOption(
    epcis
      .command('capture')
      .description('capture an EPCIS 2.0 JSON / JSON-LD document: every event becomes a ledger event, or none')
      .argument('<file>', 'EPCIS document (.json / .jsonld)')
      .option('--actor <name>', 'who is recorded on the ledger events (default SERIAL_LEDGER_ACTOR or local-admin)')
      .option('--json', 'print the result, or the error as problem JSON'),
  ).action(async (file: string, flags: DbFlags & { actor?: string; json?: boolean }) =>
    withDb(flags, async (ctx, config) => {
      let doc: unknown
      try {
        doc = JSON.parse(await readFile(file, 'utf8'))
      } catch (e) {
        throw new AppError('epcis.invalid', `${file} is not a JSON document: ${(e as Error).message}`)
      }
      const result = await captureEpcis(ctx, flags.actor ?? config.actor, doc)
      const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : ''
      print(flags.json ? JSON.stringify(result) : `captured ${result.captured} of ${result.events} events${skipped}`)
    }),
  )
}
