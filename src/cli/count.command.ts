import type { Command } from 'commander'
import type { AppContext } from '../core/context.js'
import {
  closeCount,
  getCount,
  periodBounds,
  reconcile,
  reconciliationCsv,
  shrinkageCsv as shrinkageCsvOf,
  ShrinkageQuery,
  shrinkageReport,
  startCount,
} from '../modules/counts/index.js'
import { execute } from '../modules/operations/index.js'
import type { DbFlags, OutFlags, Print } from './cli-context.js'
import { printLine, withDatabaseOption, withDb, withOutFile, writeOut } from './cli-context.js'

/** Opens a count for an operator; returns its number. */
export async function cliStartCount(
  ctx: AppContext,
  actor: string,
  input: { location: string; skus?: string[]; withExpected?: boolean; number?: string; reason?: string },
) {
  return (await execute(ctx, startCount, { actor }, input)).result
}

/** Closes a count for an operator (a manager's act: the CLI runs with the database's own rights). */
export async function cliCloseCount(ctx: AppContext, actor: string, number: string, reason?: string) {
  return (await execute(ctx, closeCount, { actor }, { number, reason })).result
}

/** A count's reconciliation as CSV text, every item. */
export async function countCsv(ctx: AppContext, number: string): Promise<string> {
  const r = await reconcile(ctx.db.kysely, await getCount(ctx.db.kysely, number))
  return reconciliationCsv(r)
}

/** The shrinkage report's lost units as CSV text. */
export async function shrinkageCsv(ctx: AppContext, input: Record<string, unknown>): Promise<string> {
  const q = ShrinkageQuery.parse(input)
  const r = await shrinkageReport(ctx.db.kysely, { ...q, ...periodBounds(q, ctx.clock.now(), 90) })
  return shrinkageCsvOf(r)
}

interface ActorFlags extends DbFlags {
  actor?: string
}

export function registerCountCommand(program: Command, print: Print = printLine): void {
  const count = program.command('count').description('cycle counts: start one, export its reconciliation, close it')
  withDatabaseOption(
    count
      .command('start')
      .description('start a blind cycle count of a location subtree; prints its number')
      .requiredOption('--location <code>', 'the site, zone or bin to count (with everything beneath it)')
      .option('--sku <code...>', 'count only these SKUs')
      .option('--with-expected', 'let counters see what is expected (not blind)')
      .option('--number <number>', 'the count number (default CNT-<seq>)')
      .option('--reason <text>', 'why the count is held')
      .option('--actor <name>', 'who is recorded on the ledger events (default SERIAL_LEDGER_ACTOR or local-admin)')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(
    async (
      flags: ActorFlags & {
        location: string
        sku?: string[]
        withExpected?: boolean
        number?: string
        reason?: string
      },
    ) =>
      withDb(flags, async (ctx, config) => {
        const result = await cliStartCount(ctx, flags.actor ?? config.actor, {
          location: flags.location,
          skus: flags.sku,
          withExpected: flags.withExpected === true,
          number: flags.number,
          reason: flags.reason,
        })
        print(flags.json ? JSON.stringify(result, null, 2) : result.number)
      }),
  )
  withOutFile(
    count
      .command('export')
      .description("write a count's reconciliation as CSV (missing, misplaced, other status, unknown, quantities)")
      .argument('<number>', 'the count number'),
  ).action(async (number: string, flags: OutFlags) =>
    withDb(flags, async (ctx) => writeOut(await countCsv(ctx, number), flags.out, print)),
  )
  withDatabaseOption(
    count
      .command('close')
      .description('close a count: post missing units lost, move misplaced ones, post quantity variances')
      .argument('<number>', 'the count number')
      .option('--reason <text>', 'recorded on the adjustments')
      .option('--actor <name>', 'who is recorded on the ledger events (default SERIAL_LEDGER_ACTOR or local-admin)')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(async (number: string, flags: ActorFlags & { reason?: string }) =>
    withDb(flags, async (ctx, config) => {
      const r = await cliCloseCount(ctx, flags.actor ?? config.actor, number, flags.reason)
      print(
        flags.json
          ? JSON.stringify(r, null, 2)
          : `${r.number} closed: ${r.missing} missing, ${r.moved} moved, ${r.found} found, ` +
              `${r.quantityLines} quantity lines`,
      )
    }),
  )
}

export function registerReportCommand(program: Command, print: Print = printLine): void {
  const report = program.command('report').description('reports as CSV')
  withOutFile(
    report
      .command('shrinkage')
      .description('units posted lost in a period, with where, when and by whom each was last seen, as CSV')
      .option('--from <date>', 'start of the period (default 90 days ago)')
      .option('--to <date>', 'end of the period, exclusive (default now)')
      .option('--location <code>', 'only losses last seen inside this location')
      .option('--sku <code>', 'only this SKU'),
  ).action(async (flags: OutFlags & { from?: string; to?: string; location?: string; sku?: string }) =>
    withDb(flags, async (ctx) => {
      const { from, to, location, sku } = flags
      writeOut(await shrinkageCsv(ctx, { from, to, location, sku }), flags.out, print)
    }),
  )
}
