import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { AppError } from '../core/errors.js'
import { LABEL_LAYOUT_NAMES, LabelsQuery, writeLabels } from '../modules/labels/index.js'
import { type DbFlags, withDatabaseOption, withDb } from './cli-context.js'
import { parseFlags } from './cli-flags.js'

interface LabelFlags extends DbFlags {
  receipt?: string
  serials?: string
  format?: string
  layout?: string
  symbol?: string
  out?: string
}

/** `serial-ledger labels --receipt NUMBER|--serials FILE --format pdf|zpl --layout … --out FILE`. */
export function registerLabelsCommand(program: Command): void {
  withDatabaseOption(
    program
      .command('labels')
      .description('print unit labels (GS1 DataMatrix or Digital Link QR + text) as PDF or ZPL')
      .option('--receipt <number>', 'a label for each unit of this receipt')
      .option('--serials <file>', 'a file of serials, one per line (or comma-separated)')
      .option('--format <format>', 'pdf | zpl', 'pdf')
      .option('--layout <layout>', LABEL_LAYOUT_NAMES.join(' | '), 'thermal-50x25')
      .option('--symbol <symbol>', 'datamatrix | qr', 'datamatrix')
      .option('--out <file>', 'write to this file (required)')
      .option('--json', 'print an error as problem JSON'),
  ).action(async (flags: LabelFlags) =>
    withDb(flags, async (ctx) => {
      if (!flags.out) throw new AppError('request.invalid', '--out FILE is required')
      const serials = flags.serials ? await readFile(flags.serials, 'utf8') : undefined
      const query = parseFlags(LabelsQuery, {
        receipt: flags.receipt,
        serials,
        format: flags.format,
        layout: flags.layout,
        symbol: flags.symbol,
      })
      const n = await writeLabels(ctx.db.kysely, query, createWriteStream(flags.out))
      process.stderr.write(`wrote ${n} labels to ${flags.out}\n`)
    }),
  )
}
