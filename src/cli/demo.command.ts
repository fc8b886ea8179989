import type { Command } from 'commander'
import { sql } from 'kysely'
import type { AppContext } from '../core/context.js'
import { AppError } from '../core/errors.js'
import { ensureDemoReference } from './demo/demo-catalog.js'
import { simulate } from './demo/demo-simulation.js'
import { demoStart } from './demo/demo-time.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

export interface DemoOptions {
  units?: number
  seed?: number
  days?: number
  force?: boolean
  /** The simulated period ends the day before this (default: today). */
  now?: Date
  onProgress?: (percent: number, through: string) => void
}

export interface DemoSummary {
  unitsReceived: number
  events: Record<string, number>
  seconds: number
}

const DEFAULT_UNITS = 5000

/**
 * Loads a deterministic year of demo trading (3 sites, ~20 SKUs of all three tracking kinds, suppliers,
 * customers, receipts, transfers, sales, returns, counts, scraps) through the real services. Refuses a
 * database that already has data unless `force`.
 */
export async function loadDemo(ctx: AppContext, opts: DemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now()
  const units = opts.units ?? DEFAULT_UNITS
  if (!Number.isInteger(units) || units < 1 || units > 1_000_000)
    throw new AppError('request.invalid', `--units must be a whole number from 1 to 1,000,000, got ${units}`)
  const existing = await existingRows(ctx)
  if (existing.total > 0 && !opts.force)
    throw new AppError(
      'request.invalid',
      `the database is not empty (${existing.text}); ` +
        `demo data goes into an empty database, or pass --force to add it anyway`,
    )
  await ensureDemoReference(ctx)
  const days = opts.days ?? 365
  const world = await simulate(ctx, {
    units,
    seed: opts.seed ?? 20260101,
    days,
    start: demoStart(days, opts.now),
    run: existing.events,
    onProgress: opts.onProgress,
  })
  return {
    unitsReceived: world.unitsReceived,
    events: Object.fromEntries([...world.eventCounts].sort()),
    seconds: (performance.now() - started) / 1000,
  }
}

async function existingRows(ctx: AppContext): Promise<{ total: number; events: number; text: string }> {
  const count = async (table: 'sku' | 'location' | 'party' | 'event') =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const counts = {
    SKUs: await count('sku'),
    locations: await count('location'),
    parties: await count('party'),
    events: await count('event'),
  }
  const text = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
    .join(', ')
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), events: counts.events, text }
}

export function describeDemo(s: DemoSummary): string {
  const events = Object.entries(s.events)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ')
  const total = Object.values(s.events).reduce((a, b) => a + b, 0)
  const units = `${s.unitsReceived.toLocaleString('en-US')} serial units`
  return `demo data loaded in ${s.seconds.toFixed(1)} s: ${units}, ${total.toLocaleString('en-US')} events (${events})`
}

interface DemoFlags extends DbFlags {
  units: string
  seed?: string
  force?: boolean
}

export function registerDemoCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('demo')
      .description('load a year of realistic demo data through the real services (deterministic)')
      .option('--units <n>', 'serial units to receive over the year', String(DEFAULT_UNITS))
      .option('--seed <n>', 'random seed (the same seed gives the same data)')
      .option('--force', 'add demo data even though the database is not empty')
      .option('--json', 'print the summary, or the error as problem JSON'),
  ).action(async (flags: DemoFlags) =>
    withDb(flags, async (ctx) => {
      const onProgress = flags.json
        ? undefined
        : (pct: number, through: string) => process.stderr.write(`  ${String(pct).padStart(3)}% (through ${through})\n`)
      const summary = await loadDemo(ctx, {
        units: Number(flags.units),
        seed: flags.seed === undefined ? undefined : Number(flags.seed),
        force: flags.force,
        onProgress,
      })
      print(flags.json ? JSON.stringify(summary) : describeDemo(summary))
    }),
  )
}
