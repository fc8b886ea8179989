import type { Command } from 'commander'
import { backupSqlite, restoreSqlite } from '../db/backup.js'
import { connect } from '../db/connect.js'
import {
  asInputError,
  configOf,
  type DbFlags,
  type Print,
  printLine,
  reportError,
  withDatabaseOption,
  withDb,
} from './cli-context.js'
import { runVerify } from './verify.command.js'

/**
 * `backup FILE`: online copy of the SQLite database while the server runs. `restore FILE`: puts a backup
 * in place of the database (server stopped) and verifies it. PostgreSQL uses pg_dump/pg_restore (README).
 */
export function registerBackupCommands(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program.command('backup <file>').description('online backup of the SQLite database to a new file'),
  ).action(async (file: string, flags: DbFlags) =>
    withDb(flags, async (ctx) => {
      const result = await asInputError(() => backupSqlite(ctx.db, file))
      print(`backup written to ${result.file} (${result.pages} pages)`)
    }),
  )
  withDatabaseOption(
    program
      .command('restore <file>')
      .description('replace the SQLite database with a backup (stop the server first), then verify it')
      .option('--force', 'replace an existing database file'),
  ).action(async (file: string, flags: DbFlags & { force?: boolean }) => {
    try {
      const url = configOf(flags).databaseUrl
      if (!url.startsWith('sqlite:'))
        throw new Error('restore puts back SQLite backups; for PostgreSQL use pg_restore (see README)')
      const target = asInputError(() => restoreSqlite(file, url.slice('sqlite:'.length), { force: flags.force }))
      const db = connect(`sqlite:${target}`)
      try {
        const { report, text } = await runVerify(db)
        print(`restored ${file} to ${target}\n${text}`)
        if (!report.ok) process.exitCode = 1
      } finally {
        await db.close()
      }
    } catch (e) {
      reportError(e, false)
    }
  })
}
