import type { Command } from 'commander'
import type { Db } from '../db/connect.js'
import { type VerifyReport, verifyLedger } from '../modules/ledger/index.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

/** One line for the operator: what was checked, or where the ledger is broken and why. */
export function describeVerify(report: VerifyReport, replayed: boolean): string {
  const events = report.events.toLocaleString('en-US')
  const counts = `${events} events, ${report.unitLines.toLocaleString('en-US')} unit lines`
  if (report.ok)
    return `ledger OK: ${counts}, ${replayed ? 'projections match replay' : 'hash chain intact (replay skipped)'}`
  const p = report.problem!
  const where =
    p.seq !== undefined
      ? `event seq ${p.seq}${p.eventId ? ` (id ${p.eventId})` : ''}`
      : p.table
        ? `projection ${p.table}${p.key ? ` row ${p.key}` : ''}`
        : 'ledger head'
  return `ledger BROKEN at ${where}: ${p.reason}`
}

/** Re-computes the hash chain (and, unless `replay` is false, replays the ledger against the projections). */
export async function runVerify(
  db: Db,
  options: { replay?: boolean } = {},
): Promise<{ report: VerifyReport; text: string }> {
  const replay = options.replay !== false
  const report = await verifyLedger(db, { replay })
  return { report, text: describeVerify(report, replay) }
}

interface VerifyFlags extends DbFlags {
  replay: boolean
}

export function registerVerifyCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('verify')
      .description('re-compute the ledger hash chain and compare the projections with a replay; exit 1 if broken')
      .option('--no-replay', 'check the hash chain only (faster)')
      .option('--json', 'print the report as JSON'),
  ).action(async (flags: VerifyFlags) =>
    withDb(flags, async (ctx) => {
      const { report, text } = await runVerify(ctx.db, { replay: flags.replay })
      print(flags.json ? JSON.stringify(report, null, 2) : text)
      if (!report.ok) process.exitCode = 1
    }),
  )
}
