import type { Command } from 'commander'
import { connect, migrateToLatest } from '../db/connect.js'
import { configOf, type DbFlags, type Print, printLine, reportError, withDatabaseOption } from './cli-context.js'

/** Applies pending migrations and says which (the server and every other command also do this on start). */
export async function runMigrate(databaseUrl: string | undefined, print: Print = printLine): Promise<string[]> {
  const config = configOf({ databaseUrl })
  const db = connect(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous })
  try {
    const applied = await migrateToLatest(db)
    print(
      applied.length ? applied.map((m) => `applied ${m}`).join('\n') : 'database is up to date; no migration applied',
    )
    return applied
  } finally {
    await db.close()
  }
}

export function registerMigrateCommand(program: Command): void {
  withDatabaseOption(
    program
      .command('migrate')
      .description('apply pending database migrations')
      .option('--json', 'print errors as problem JSON'),
  ).action(async (flags: DbFlags) => {
    try {
      await runMigrate(flags.databaseUrl)
    } catch (e) {
      reportError(e, flags.json === true)
    }
  })
}
