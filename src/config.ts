import { DEFAULT_DATABASE_URL } from './db/connect.js'

/** Settings read from the environment; every CLI flag of the same name overrides its variable. */
export interface Config {
  databaseUrl: string
  port: number
  host: string
  /** Who local requests act as until accounts exist (issue: accounts and roles). */
  actor: string
  sqliteSynchronous: 'FULL' | 'NORMAL'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: Partial<Config> = {}): Config {
  const port = Number(flags.port ?? env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const sync = (flags.sqliteSynchronous ?? env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase()
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, got ${sync}`)
  return {
    databaseUrl: flags.databaseUrl ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    port,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    actor: flags.actor ?? env.SERIAL_LEDGER_ACTOR ?? 'local-admin',
    sqliteSynchronous: sync,
  }
}
