import type { Command } from 'commander'
import type { AppContext } from '../core/context.js'
import { advisorCsv, ageingCsv as ageingCsvOf, AgeingQuery, unitLifecycleCsv } from '../modules/lifecycle/index.js'
import { execute } from '../modules/operations/index.js'
import { ApplyMarkdownsRequest, applyMarkdowns, recommendations, recommendationsCsv } from '../modules/pricing/index.js'
import type { DbFlags, OutFlags, Print } from './cli-context.js'
import { printLine, withDatabaseOption, withDb, withOutFile, writeOut } from './cli-context.js'

/** The ageing report as CSV: one row per group and bucket. */
export async function ageingCsv(ctx: AppContext, input: Record<string, unknown>): Promise<string> {
  return ageingCsvOf(ctx.db.kysely, AgeingQuery.parse(input), ctx.clock.now())
}

/** The markdown recommendations as CSV. */
export async function markdownsCsv(ctx: AppContext, sku?: string): Promise<string> {
  const r = await recommendations(ctx.db.kysely, { asOf: ctx.clock.now(), sku, serials: false })
  return recommendationsCsv(r.lines)
}

/** Applies the markdown recommendations for an operator (the CLI runs with the database's own rights). */
export async function cliApplyMarkdowns(ctx: AppContext, actor: string, input: Record<string, unknown>) {
  return (await execute(ctx, applyMarkdowns, { actor }, ApplyMarkdownsRequest.parse(input))).result
}

type SkuFlags = OutFlags & { sku?: string }

/** `report ageing|lifecycle|markdowns|advisor` (CSV) and `markdowns apply`. */
export function registerLifecycleCommands(program: Command, print: Print = printLine): void {
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report')
  const csvCommand = (name: string, description: string) =>
    withOutFile(report.command(name).description(description).option('--sku <code>', 'only this SKU'))
  csvCommand('ageing', 'in-stock units and lot stock per age bucket, with value at cost, as CSV')
    .option('--by <dimension>', 'sku, location or supplier', 'sku')
    .option('--basis <basis>', 'receipt, stock (since last back in stock) or location', 'receipt')
    .option('--buckets <days>', 'bucket upper bounds in days, e.g. 30,60,90,180')
    .action(async (flags: SkuFlags & { by: string; basis: string; buckets?: string }) =>
      withDb(flags, async (ctx) => {
        const { by, basis, buckets, sku } = flags
        writeOut(await ageingCsv(ctx, { by, basis, buckets, sku }), flags.out, print)
      }),
    )
  csvCommand('lifecycle', 'per SKU and supplier: receipt-to-sale days, returns and repairs, as CSV').action(
    async (flags: SkuFlags) =>
      withDb(flags, async (ctx) => writeOut(await unitLifecycleCsv(ctx.db.kysely, flags.sku), flags.out, print)),
  )
  csvCommand('markdowns', 'markdown and price-rise recommendations with the value at stake, as CSV').action(
    async (flags: SkuFlags) =>
      withDb(flags, async (ctx) => writeOut(await markdownsCsv(ctx, flags.sku), flags.out, print)),
  )
  csvCommand('advisor', 'which SKUs to serialise or stop serialising, with reasons, as CSV').action(
    async (flags: SkuFlags) =>
      withDb(flags, async (ctx) => writeOut(await advisorCsv(ctx.db.kysely), flags.out, print)),
  )
  const markdowns = program.command('markdowns').description('markdown recommendations')
  withDatabaseOption(
    markdowns
      .command('apply')
      .description('apply the current recommendations (all, or of some SKUs or serials) as price-change events')
      .option('--sku <code...>', 'only the recommendations of these SKUs')
      .option('--serial <serial...>', 'only these units')
      .option('--rises', 'apply the price rises instead of the markdowns')
      .option('--note <text>', 'recorded on the price-change event')
      .option('--actor <name>', 'who is recorded on the ledger event (default SERIAL_LEDGER_ACTOR or local-admin)')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(
    async (flags: DbFlags & { sku?: string[]; serial?: string[]; rises?: boolean; note?: string; actor?: string }) =>
      withDb(flags, async (ctx, config) => {
        const r = await cliApplyMarkdowns(ctx, flags.actor ?? config.actor, {
          action: flags.rises ? 'raise' : 'discount',
          skus: flags.sku ?? [],
          serials: flags.serial ?? [],
          note: flags.note,
        })
        print(flags.json ? JSON.stringify(r, null, 2) : `${r.number}: ${r.unitCount} unit(s) repriced`)
      }),
  )
}
