import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { connect } from '../../src/db/connect.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'

/*
 * PostgreSQL only: SQLite has no plan cache that outlives a statement's values.
 *
 * Our pool runs every statement with values as a named statement, and PostgreSQL plans a named statement
 * once for any value after its fifth run (a generic plan) when that looks no dearer than planning each
 * run. For `document.type = $1` the generic plan guesses the commonest type's share (sales orders, nearly
 * every row), and a sale's probe for open recalls scanned the whole `document` table: 2.8 ms of
 * PostgreSQL's CPU per sale at 40,000 documents, more with every sale made, and the check of the units'
 * picks walked every `sold` event (15 ms at 22,000 sales). This test plans each statement that a sale, a
 * return, a move and a transfer send as PostgreSQL's generic plan would, on a ledger whose documents are
 * nearly all orders and whose units are nearly all in stock. Its events are many, and the units' latest
 * events the earliest of them: the join of a unit to its latest event was then planned as a merge join
 * that read the event index from its start to the unit's event (every event of the ledger, for a unit
 * moved a moment ago).
 */
const dialect = DIALECTS.find((d) => d.name === 'postgres')
const ORDERS = 20_000
/**
 * A whole-table scan of documents, an index walked by a bound event or document type or unit status (the
 * generic plan then reads every row of the commonest kind), or by the commonest kinds themselves: every
 * sale, every unit in stock.
 */
const DRIVEN_BY_A_BOUND_KIND =
  /Seq Scan on document\b|Index Cond: \((type|status) = (\$\d+|'sold'::text|'in_stock'::text)\)/
/**
 * A scan of the whole event table, or a merge join: one reads an index from its first row to the key it
 * joins (for the latest event of a unit, every event of the ledger up to it).
 */
const WALKS_THE_LEDGER = /Seq Scan on event\b|Merge (Left |Right |Full |Anti |Semi )?Join/

describe.skipIf(!dialect)('postgres: stock commands under generic plans', () => {
  let db: TestDb

  beforeAll(async () => {
    db = await dialect!.create()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('plans no walk by a bound kind, nor of the ledger, for a sale, a return, a move or a transfer', async () => {
    const g = givens({ db, clock: systemClock })
    const { header, site } = await g.place()
    const other = await g.site()
    const sku = await g.sku()
    const customer = await g.customer()
    const serials = [g.uniq('GP'), g.uniq('GP'), g.uniq('GP')]
    await g.receipt({ ...header, lines: [{ sku: sku.code, serials }] })
    // Orders of many sales before: plain document rows (no ledger event needs them for this test) …
    await sql`
      insert into document (id, type, number, occurred_at, created_at, actor, data)
      select 'gp-doc-' || n, 'order', 'GP-' || n, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'test', '{}'
      from generate_series(1, ${ORDERS}) n
    `.execute(db.kysely)
    // And units in stock (copies of the first, outside the ledger), so the planner knows in-stock is common.
    await sql`
      insert into unit
      select (jsonb_populate_record(null::unit,
        to_jsonb(u) || jsonb_build_object('id', 'gp-unit-' || n, 'serial', 'GPX-' || n))).*
      from unit u, generate_series(1, ${ORDERS}) n where u.serial = ${serials[0]}
    `.execute(db.kysely)
    // And a ledger of many events after the receipt, so that the units' latest events are its earliest:
    // a merge join to `event` then looks cheap to the planner, and reads the event index from its start.
    // They have places in the log (far past the head), so the sequencer leaves them alone.
    await sql`
      insert into event (seq, id, type, occurred_at, recorded_at, actor, payload, unit_count, quantity_line_count,
        lines_hash, log_pos)
      select 1000000 + n, 'gp-event-' || n, 'moved', e.occurred_at, e.recorded_at, e.actor, e.payload, 0, 0,
        e.lines_hash, 1000000 + n
      from event e, generate_series(1, ${ORDERS}) n where e.seq = (select min(seq) from event)
    `.execute(db.kysely)
    await sql`analyze event`.execute(db.kysely)
    await sql`analyze document`.execute(db.kysely)
    await sql`analyze unit`.execute(db.kysely)

    const sent: { text: string; values: unknown[] }[] = []
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
    ;(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      const [first, second] = args
      if (typeof first === 'object' && first && 'values' in first)
        sent.push(first as { text: string; values: unknown[] })
      else if (typeof first === 'string' && Array.isArray(second)) sent.push({ text: first, values: second })
      return query.apply(this, args)
    }
    const writer = connect(db.url)
    try {
      const w = givens({ db: writer, clock: systemClock })
      await w.op(sell, { customer: customer.code, orderRef: 'GP-SALE', units: serials.slice(0, 2) })
      await w.op(returnGoods, { location: site.code, customer: customer.code, units: [serials[0]!] })
      await w.op(move, { to: other.code, units: [serials[2]!] })
      const transfer = await w.op(shipTransfer, { from: other.code, to: site.code, units: [serials[2]!] })
      await w.op(receiveTransfer, { number: transfer.number })
    } finally {
      ;(pg.Client.prototype as { query: unknown }).query = query
      await writer.close()
    }
    // Five commands, each several statements.
    expect(sent.length).toBeGreaterThan(20)

    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const scans: string[] = []
    try {
      await client.query('set plan_cache_mode = force_generic_plan')
      for (const [i, s] of sent.filter((x) => x.values.length > 0).entries()) {
        await client.query(`prepare gp_${i} as ${s.text}`)
        const args = s.values.map((v) => literal(client, v)).join(', ')
        const plan = (await client.query(`explain execute gp_${i}(${args})`)).rows
          .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
          .join('\n')
        if (DRIVEN_BY_A_BOUND_KIND.test(plan) || WALKS_THE_LEDGER.test(plan)) scans.push(`${s.text}\n${plan}`)
        await client.query(`deallocate gp_${i}`)
      }
    } finally {
      await client.end()
    }
    expect(scans).toEqual([])
  })
})

/** A bound value as an SQL literal for EXECUTE's arguments (PostgreSQL casts it to the parameter's type). */
function literal(client: pg.Client, v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return client.escapeLiteral(`{${v.map((x) => JSON.stringify(String(x))).join(',')}}`)
  if (v instanceof Date) return client.escapeLiteral(v.toISOString())
  return client.escapeLiteral(typeof v === 'object' ? JSON.stringify(v) : String(v))
}
