import { z } from 'zod'
import { DEFAULT_DATABASE_URL, DEFAULT_POOL_SIZE, DEFAULT_WRITE_PATH, type WritePath } from './db/connect.js'

/**
 * The environment the product reads, as one schema: every variable, its default and what it must look
 * like. A bad value stops the start with a message naming the variable, never a silent default.
 */
const Environment = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .default(DEFAULT_DATABASE_URL),
  /** A streaming replica of DATABASE_URL (PostgreSQL) for reports, lists and exports; unset = the primary. */
  READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (a streaming replica of DATABASE_URL)')
    .optional(),
  /**
   * Connections each server process opens to PostgreSQL (and as many to the replica). A command holds one
   * for its whole transaction, so this caps the commands in flight per instance.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_POOL_SIZE),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  SERIAL_LEDGER_ACTOR: z.string().min(1).default('local-admin'),
  SQLITE_SYNCHRONOUS: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['FULL', 'NORMAL']))
    .default('FULL'),
  /** Where the built web app is served from (tests point it elsewhere); `dist/web` by default. */
  SERIAL_LEDGER_WEB_ROOT: z.string().min(1).optional(),
  /** The Ed25519 key checkpoints are signed with: a PEM file outside the database, mode 0600. */
  SERIAL_LEDGER_SIGNING_KEY: z.string().min(1).default('./data/signing-key.pem'),
  /** Where each checkpoint is also written: a directory (keep it on another machine) or an http(s) URL. */
  SERIAL_LEDGER_WITNESS: z.string().min(1).default('./data/witness'),
  /** Seconds between periodic checkpoints while the server runs (made only if the ledger grew); 0 = off. */
  SERIAL_LEDGER_CHECKPOINT_INTERVAL: z.coerce.number().int().min(0).max(86_400).default(300),
  /** PostgreSQL's write path: `sequenced` (row locks, a sequencer orders the log) or `locked` (one writer). */
  LEDGER_WRITE_PATH: z.enum(['locked', 'sequenced']).default(DEFAULT_WRITE_PATH),
})

/** The web app's folder when the environment names one. */
export const webRootOf = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  Environment.shape.SERIAL_LEDGER_WEB_ROOT.parse(env.SERIAL_LEDGER_WEB_ROOT || undefined)

/** Settings read from the environment; every CLI flag of the same name overrides its variable. */
export interface Config {
  databaseUrl: string
  /** The read replica for stale-tolerant reads, when one is configured. */
  readDatabaseUrl?: string
  port: number
  host: string
  /** Actor recorded on events written by CLI commands (import, demo). */
  actor: string
  sqliteSynchronous: 'FULL' | 'NORMAL'
  /** Connections per process to PostgreSQL (ignored on SQLite). */
  poolSize: number
  /** The checkpoint signing key file. */
  signingKeyFile: string
  /** The witness: a directory or an http(s) URL each checkpoint is written to. */
  witness: string
  /** Seconds between periodic checkpoints; 0 turns them off. */
  checkpointIntervalSeconds: number
  /** How commands append to the ledger on PostgreSQL (SQLite always writes one at a time). */
  writePath: WritePath
}

/** The configuration from the environment with flags applied over it; throws naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: Partial<Config> = {}): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const flagged = {
    ...given,
    ...(flags.databaseUrl !== undefined && { DATABASE_URL: flags.databaseUrl }),
    ...(flags.port !== undefined && { PORT: String(flags.port) }),
    ...(flags.host !== undefined && { HOST: flags.host }),
    ...(flags.actor !== undefined && { SERIAL_LEDGER_ACTOR: flags.actor }),
    ...(flags.sqliteSynchronous !== undefined && { SQLITE_SYNCHRONOUS: flags.sqliteSynchronous }),
    ...(flags.signingKeyFile !== undefined && { SERIAL_LEDGER_SIGNING_KEY: flags.signingKeyFile }),
    ...(flags.witness !== undefined && { SERIAL_LEDGER_WITNESS: flags.witness }),
  }
  const parsed = Environment.safeParse(flagged)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0])
    throw new Error(`${name} ${issue.message} (got ${JSON.stringify(flagged[name as keyof typeof flagged])})`)
  }
  const e = parsed.data
  return {
    databaseUrl: e.DATABASE_URL,
    ...(e.READ_DATABASE_URL !== undefined && { readDatabaseUrl: e.READ_DATABASE_URL }),
    port: e.PORT,
    host: e.HOST,
    actor: e.SERIAL_LEDGER_ACTOR,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    poolSize: e.DATABASE_POOL_SIZE,
    signingKeyFile: e.SERIAL_LEDGER_SIGNING_KEY,
    witness: e.SERIAL_LEDGER_WITNESS,
    checkpointIntervalSeconds: e.SERIAL_LEDGER_CHECKPOINT_INTERVAL,
    writePath: e.LEDGER_WRITE_PATH,
  }
}
