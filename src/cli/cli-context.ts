import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { systemClock } from '../core/clock.js'
import type { AppContext } from '../core/context.js'
import { AppError, type FieldIssue } from '../core/errors.js'
import { type Config, loadConfig } from '../config.js'
import { connect, migrateToLatest } from '../db/connect.js'
import { toProblem } from '../http/problem.js'

/** Flags every database command accepts. */
export interface DbFlags {
  databaseUrl?: string
  json?: boolean
}

/** Adds `--database-url`, which overrides DATABASE_URL (default: the SQLite file under ./data). */
export const withDatabaseOption = (cmd: Command): Command =>
  cmd.option('--database-url <url>', 'database to use: sqlite:<file> or postgres://… (overrides DATABASE_URL)')

/** Flags of a command that writes a file's worth of text (a CSV, a document): to stdout, or `--out`. */
export interface OutFlags extends DbFlags {
  out?: string
}

/** Adds `--out`, `--json` (errors as problem JSON) and `--database-url` to a command that writes such text. */
export const withOutFile = (cmd: Command): Command =>
  withDatabaseOption(
    cmd
      .option('--out <file>', 'write to this file instead of stdout')
      .option('--json', 'print an error as problem JSON'),
  )

/** Writes `text` to the `--out` file as it is, else prints it (print adds the last newline). */
export function writeOut(text: string, out: string | undefined, print: Print): void {
  if (!out) return print(text.trimEnd())
  writeFileSync(out, text)
}

/** The configuration with this command's flags applied over the environment. */
export const configOf = (flags: DbFlags & Partial<Config>): Config =>
  loadConfig(process.env, { databaseUrl: flags.databaseUrl })

/**
 * Opens and migrates the database, runs `fn` with a use-case context, and always closes the database.
 * Errors are printed as `error <code>: …` (or problem JSON with --json) and set the exit code.
 */
export async function withDb(flags: DbFlags, fn: (ctx: AppContext, config: Config) => Promise<void>): Promise<void> {
  try {
    const config = asInputError(() => configOf(flags))
    const db = asInputError(() =>
      connect(config.databaseUrl, {
        sqliteSynchronous: config.sqliteSynchronous,
        readUrl: config.readDatabaseUrl,
        writePath: config.writePath,
      }),
    )
    try {
      await migrateToLatest(db)
      await fn({ db, clock: systemClock }, config)
    } finally {
      await db.close()
    }
  } catch (e) {
    reportError(e, flags.json === true)
  }
}

/** A bad flag or environment value is the operator's input error, not an internal failure. */
export function asInputError<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw e instanceof AppError ? e : new AppError('request.invalid', (e as Error).message)
  }
}

/** Exit code per status class: 1 for the user's input or a refused operation, 2 for our own failure. */
export const exitCodeOf = (status: number): number => (status < 500 ? 1 : 2)

/** Prints an error for an operator and sets the exit code; internal errors keep their stack on stderr. */
export function reportError(
  e: unknown,
  asJson: boolean,
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): void {
  const problem = toProblem(e)
  process.exitCode = exitCodeOf(problem.status)
  if (asJson) return err(JSON.stringify(problem, null, 2))
  if (problem.status >= 500 && !(e instanceof AppError))
    return err(`error internal: ${(e as Error)?.stack ?? String(e)}`)
  err(formatError(problem.code, problem.detail, e instanceof AppError ? e.details : problem))
}

/** `error <code>: <message>` then one line per row/field issue, e.g. `  row 17, field gtin: …`. */
export function formatError(code: string, message: string, details?: Record<string, unknown>): string {
  const lines = [`error ${code}: ${message}`]
  const issues = (details?.issues ?? []) as FieldIssue[]
  for (const i of issues) lines.push(`  ${formatIssue(i)}`)
  const errors = (details?.errors ?? []) as { path: string; message: string }[]
  for (const z of errors) lines.push(`  field ${z.path}: ${z.message}`)
  const total = Number(details?.issueCount ?? issues.length)
  if (total > issues.length) lines.push(`  … and ${total - issues.length} more`)
  return lines.join('\n')
}

export const formatIssue = (i: FieldIssue): string => {
  const where = i.row !== undefined ? `row ${i.row}, ` : ''
  const value = i.value !== undefined && !i.message.includes(i.value) ? ` (value ${JSON.stringify(i.value)})` : ''
  return `${where}field ${i.field}: ${i.message}${value}`
}

/** Where command output goes; tests pass a collector instead of stdout. */
export type Print = (line: string) => void
export const printLine: Print = (line) => process.stdout.write(`${line}\n`)
