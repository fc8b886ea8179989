/**
 * EXPLAIN ANALYZE of every hot query on a PostgreSQL ledger, as the service builds it: the scan-box
 * lookup, a unit's timeline, the unit list with each filter and sort, and stock on hand. The queries are
 * captured while the real query functions run (a logging query builder over the database's pool), then
 * each is explained with its own parameters. A sequential scan of a big table (unit, event, event_unit,
 * unit_identifier, when it holds more than 10,000 rows) is flagged. It runs ANALYZE first.
 *
 *   node --import tsx bench/explain.ts postgres://postgres@127.0.0.1:5432/<a ledger, e.g. a bench --keep db>
 *
 * Prints Markdown (docs/scaling.md holds the output of one run).
 */
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { connect, type Db } from '../src/db/connect.js'
import type { Database } from '../src/db/database.js'
import { stockOnHand } from '../src/modules/stock/stock.queries.js'
import { StockQuery } from '../src/modules/stock/stock.schemas.js'
import { listUnits, lookupUnits, unitTimeline } from '../src/modules/units/unit.queries.js'
import { ListUnitsQuery } from '../src/modules/units/unit.schemas.js'

const BIG_TABLES = ['unit', 'event', 'event_unit', 'unit_identifier']
/** Explained as well: the unit counts stock on hand reads instead of `unit` (small, never flagged). */
const EXPLAINED = [...BIG_TABLES, 'unit_stock']
const BIG_ROWS = 10_000

async function main(): Promise<void> {
  const url = process.argv[2]
  if (!url?.startsWith('postgres')) throw new Error('usage: bench/explain.ts postgres://…/<ledger database>')
  const base = connect(url, { poolSize: 2 })
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  let captured: CompiledQuery[] = []
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query)
    },
  })
  const db: Db = {
    ...base,
    kysely,
    read: async (q) => {
      captured.push(q)
      return (await kysely.executeQuery(q)).rows as never
    },
  }
  const one = async (sql: string) => (await pool.query(sql)).rows[0] as Record<string, string | null>
  // Plans follow the statistics: gather them first (autovacuum may be off or behind after a bulk load).
  await pool.query('analyze')
  // Only a table of more than BIG_ROWS rows is big: scanning a near-empty one is what an index would cost.
  const sizes = await pool.query<{ relname: string; n: number }>(
    `select relname, reltuples::float8 as n from pg_class where relname = any($1) and relkind in ('r', 'p')`,
    [BIG_TABLES],
  )
  const big = sizes.rows.filter((r) => r.n > BIG_ROWS).map((r) => r.relname)
  const counts = await one(
    `select (select count(*) from unit) as units, (select count(*) from event) as events,
            (select count(*) from event_unit) as lines`,
  )
  const sample = await one(
    `select u.serial, u.id, s.code as sku, l.code as location, p.code as supplier, d.number as receipt
     from unit u join sku s on s.id = u.sku_id left join location l on l.id = u.location_id
     left join party p on p.id = u.supplier_id left join document d on d.id = u.receipt_id
     where u.status = 'in_stock' order by u.id desc limit 1`,
  )
  const day = new Date(Date.now() - 86_400_000).toISOString()
  const list = (q: Record<string, string>) => listUnits(db.kysely, ListUnitsQuery.parse(q) as never)
  const cases: [string, () => Promise<unknown>][] = [
    ['scan lookup (lookupUnits)', () => lookupUnits(db, sample.serial!)],
    ['unit timeline (unitTimeline)', () => unitTimeline(db, sample.id!)],
    ['unit list, no filter (first page)', () => list({})],
    ['unit list, status=sold', () => list({ status: 'sold' })],
    ['unit list, sku', () => list({ sku: sample.sku! })],
    ['unit list, location (and beneath)', () => list({ location: sample.location! })],
    ['unit list, supplier', () => list({ supplier: sample.supplier! })],
    ['unit list, receipt', () => list({ receipt: sample.receipt! })],
    ['unit list, received in the last day', () => list({ receivedFrom: day })],
    ['unit list, sold in the last day', () => list({ soldFrom: day })],
    ['unit list, sort=serial', () => list({ sort: 'serial' })],
    ['unit list, sort=newest, status=in_stock', () => list({ sort: 'newest', status: 'in_stock' })],
    ['stock on hand, everything', () => stockOnHand(db.kysely, StockQuery.parse({}))],
    ['stock on hand, one location', () => stockOnHand(db.kysely, StockQuery.parse({ location: sample.location! }))],
  ]
  const out: string[] = [
    `After ANALYZE. Ledger: ${Number(counts.units).toLocaleString('en-US')} units, ` +
      `${Number(counts.events).toLocaleString('en-US')} ` +
      `events, ${Number(counts.lines).toLocaleString('en-US')} unit lines; ${(await one('select version() as v')).v}`,
    '',
  ]
  const flagged: string[] = []
  for (const [name, run] of cases) {
    captured = []
    await run()
    // Every query the case ran, but the reference lookups by code (SKU, location, party, document).
    const queries = captured.filter((q) => EXPLAINED.some((t) => new RegExp(`from "${t}"`).test(q.sql)))
    for (const [i, q] of queries.entries()) {
      const { rows } = await pool.query(`explain (analyze, costs off, timing off, summary on) ${q.sql}`, [
        ...q.parameters,
      ])
      const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      const scans = big.filter((t) => plan.some((l) => new RegExp(`Seq Scan on ${t}\\b`).test(l)))
      const title = `${name}${queries.length > 1 ? `, query ${i + 1} of ${queries.length}` : ''}`
      if (scans.length) flagged.push(`${title}: sequential scan of ${scans.join(', ')}`)
      out.push(`#### ${title}${scans.length ? ` (sequential scan of ${scans.join(', ')})` : ''}`, '', '```')
      out.push(...plan, '```', '')
    }
  }
  out.push(
    flagged.length
      ? `Sequential scans of big tables:\n${flagged.map((f) => `- ${f}`).join('\n')}`
      : 'No sequential scan of a big table.',
  )
  console.log(out.join('\n'))
  await kysely.destroy()
  await base.close()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
