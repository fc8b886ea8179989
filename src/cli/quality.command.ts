import type { Command } from 'commander'
import { stringify } from 'csv-stringify/sync'
import type { AppContext } from '../core/context.js'
import { execute } from '../modules/operations/index.js'
import {
  closeRecall,
  CUSTOMER_COLUMNS,
  customerRows,
  DEFECT_COLUMNS,
  defectCsvRows,
  DefectQuery,
  defectReport,
  getRecall,
  openRecall,
  previewRecall,
  quarantineRecall,
  RecallCriteriaSchema,
  refuseBadCriteria,
  resolveCriteria,
} from '../modules/quality/index.js'
import type { DbFlags, OutFlags, Print } from './cli-context.js'
import { asInputError, printLine, withDatabaseOption, withDb, withOutFile, writeOut } from './cli-context.js'

interface CriteriaFlags {
  sku?: string[]
  lot?: string[]
  supplier?: string
  receipt?: string[]
  serial?: string[]
  serialFrom?: string
  serialTo?: string
  receivedFrom?: string
  receivedTo?: string
  soldFrom?: string
  soldTo?: string
  passedThrough?: string
  passedFrom?: string
  passedTo?: string
}

/** A recall's criteria from the command line's flags, validated as the API validates them. */
export function criteriaOf(f: CriteriaFlags) {
  return asInputError(() =>
    RecallCriteriaSchema.parse({
      skus: f.sku,
      lots: f.lot,
      supplier: f.supplier,
      receipts: f.receipt,
      serials: f.serial,
      serialRange: f.serialFrom || f.serialTo ? { from: f.serialFrom ?? '', to: f.serialTo ?? '' } : undefined,
      receivedFrom: f.receivedFrom,
      receivedTo: f.receivedTo,
      soldFrom: f.soldFrom,
      soldTo: f.soldTo,
      passedThrough: f.passedThrough ? { location: f.passedThrough, from: f.passedFrom, to: f.passedTo } : undefined,
    }),
  )
}

const withCriteria = (cmd: Command): Command =>
  cmd
    .option('--sku <code...>', 'SKU codes')
    .option('--lot <code...>', 'lot codes')
    .option('--supplier <code>', 'supplier code')
    .option('--receipt <number...>', 'receipt numbers')
    .option('--serial <serial...>', 'serials')
    .option('--serial-from <serial>', 'serial range start (inclusive)')
    .option('--serial-to <serial>', 'serial range end (inclusive)')
    .option('--received-from <date>', 'received on or after')
    .option('--received-to <date>', 'received before')
    .option('--sold-from <date>', 'sold on or after')
    .option('--sold-to <date>', 'sold before')
    .option('--passed-through <location>', 'units that were at this location (or beneath it)')
    .option('--passed-from <date>', 'at that location from this date')
    .option('--passed-to <date>', 'at that location before this date')

/** What a recall (by number) or criteria (by flags) select now, as text lines or JSON. */
export async function cliPreview(ctx: AppContext, number: string | undefined, flags: CriteriaFlags) {
  const db = ctx.db.kysely
  if (number) return previewRecall(db, (await getRecall(db, number)).resolved)
  const criteria = criteriaOf(flags)
  refuseBadCriteria(criteria)
  return previewRecall(db, await resolveCriteria(db, criteria))
}

/** The customer notification list of a recall as CSV text. */
export async function recallCustomersCsv(ctx: AppContext, number: string): Promise<string> {
  const rows = await customerRows(ctx.db.kysely, (await getRecall(ctx.db.kysely, number)).resolved)
  return stringify(rows, { header: true, columns: [...CUSTOMER_COLUMNS] })
}

/** The defect analysis as CSV text. */
export async function defectsCsv(ctx: AppContext, input: Record<string, unknown>): Promise<string> {
  const q = asInputError(() => DefectQuery.parse(input))
  return stringify(defectCsvRows(await defectReport(ctx.db.kysely, q)), { header: true, columns: [...DEFECT_COLUMNS] })
}

interface ActorFlags extends DbFlags {
  actor?: string
}

export function registerRecallCommand(program: Command, print: Print = printLine): void {
  const recall = program.command('recall').description('recalls: preview, open, quarantine, customers, close')
  withDatabaseOption(
    withCriteria(
      recall
        .command('preview')
        .description('what a recall (or the criteria given) affects: units by status and site, sold units')
        .argument('[number]', 'an existing recall; otherwise the criteria flags')
        .option('--json', 'print the preview (or an error) as JSON'),
    ),
  ).action(async (number: string | undefined, flags: DbFlags & CriteriaFlags) =>
    withDb(flags, async (ctx) => {
      const p = await cliPreview(ctx, number, flags)
      if (flags.json) return print(JSON.stringify(p, null, 2))
      print(p.message)
      for (const s of p.inStockBySite) print(`  ${s.site}\t${s.status}\t${s.count}`)
      for (const s of p.sold)
        print(`  sold\t${s.sku} ${s.serial}\t${s.customer ?? '-'}\t${s.order ?? '-'}\t${s.soldAt}`)
    }),
  )
  withDatabaseOption(
    withCriteria(
      recall
        .command('open')
        .description('open a recall over the criteria given; prints its number')
        .requiredOption('--title <text>', 'what is recalled and why')
        .option('--number <number>', 'the recall number (default RCL-<seq>)')
        .option('--actor <name>', 'who is recorded on the ledger event')
        .option('--json', 'print the result (or an error) as JSON'),
    ),
  ).action(async (flags: ActorFlags & CriteriaFlags & { title: string; number?: string }) =>
    withDb(flags, async (ctx, config) => {
      const input = { title: flags.title, number: flags.number, criteria: criteriaOf(flags) }
      const r = (await execute(ctx, openRecall, { actor: flags.actor ?? config.actor }, input)).result
      print(flags.json ? JSON.stringify(r, null, 2) : r.number)
    }),
  )
  withDatabaseOption(
    recall
      .command('quarantine')
      .description('quarantine every affected unit in stock, in one event')
      .argument('<number>', 'the recall')
      .option('--actor <name>', 'who is recorded on the ledger event')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(async (number: string, flags: ActorFlags) =>
    withDb(flags, async (ctx, config) => {
      const r = (await execute(ctx, quarantineRecall, { actor: flags.actor ?? config.actor }, { number })).result
      print(flags.json ? JSON.stringify(r, null, 2) : `${r.quarantined} units quarantined by recall ${r.recall}`)
    }),
  )
  withOutFile(
    recall
      .command('customers')
      .description('the customer notification list (CSV: customer, contact, order, sale date, SKU, serial)')
      .argument('<number>', 'the recall'),
  ).action(async (number: string, flags: OutFlags) =>
    withDb(flags, async (ctx) => writeOut(await recallCustomersCsv(ctx, number), flags.out, print)),
  )
  withDatabaseOption(
    recall
      .command('close')
      .description('close a recall')
      .argument('<number>', 'the recall')
      .option('--reason <text>', 'why it is closed')
      .option('--actor <name>', 'who is recorded on the ledger event')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(async (number: string, flags: ActorFlags & { reason?: string }) =>
    withDb(flags, async (ctx, config) => {
      const input = { number, reason: flags.reason }
      const r = (await execute(ctx, closeRecall, { actor: flags.actor ?? config.actor }, input)).result
      print(flags.json ? JSON.stringify(r, null, 2) : `recall ${number} closed (event ${r.eventSeq})`)
    }),
  )
}

/** `report defects`, beside the other reports. */
export function registerDefectReportCommand(program: Command, print: Print = printLine): void {
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report')
  withOutFile(
    report
      .command('defects')
      .description('defect and return rates per supplier, receipt, lot, SKU and location passed through, as CSV')
      .option('--from <date>', 'units received on or after')
      .option('--to <date>', 'units received before')
      .option('--sku <code...>', 'only these SKUs')
      .option('--dimension <name>', 'supplier, receipt, lot, sku, location or site (default all)')
      .option('--measure <name>', 'rank by defect (default) or return rate')
      .option('--min-units <n>', 'fewer units are marked tooFew (default 30)'),
  ).action(
    async (
      flags: OutFlags & {
        from?: string
        to?: string
        sku?: string[]
        dimension?: string
        measure?: string
        minUnits?: string
      },
    ) =>
      withDb(flags, async (ctx) => {
        const { from, to, sku, dimension, measure, minUnits } = flags
        writeOut(await defectsCsv(ctx, { from, to, skus: sku, dimension, measure, minUnits }), flags.out, print)
      }),
  )
}
