import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { newId } from '../../src/core/ids.js'
import { connect } from '../../src/db/connect.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { disposeReturn, returnGoods, sell } from '../../src/modules/sales/index.js'
import { placeOrder, pickOrder, shipOrder } from '../../src/modules/orders/index.js'
import { closeCount, scanCount, startCount } from '../../src/modules/counts/index.js'
import { pack } from '../../src/modules/containers/index.js'
import { changePrice } from '../../src/modules/pricing/index.js'
import { claimWarranty, returnRepair } from '../../src/modules/warranty/index.js'
import { scrap } from '../../src/modules/adjustments/index.js'
import {
  createDefectCode,
  inspect,
  openClaim,
  openRecall,
  quarantineRecall,
  shipClaim,
} from '../../src/modules/quality/index.js'
import { appWithUsers, rest } from '../http.js'
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
 *
 * The same for an inspection, a supplier claim, a recall, an order, a count, packing, a price change, a
 * warranty repair, a disposition and a scrap, and for the pages a person opens on one thing: a unit (the
 * scan box's lookup among them), a document, a claim, a recall, a party's or SKU's history, the feed. Its
 * customers are many too, each with an order and its event, made after the units' receipt: the unit
 * view's joins to its receipt and supplier were planned as merge joins that read `document_pkey` and
 * `party_pkey` from their first rows (measured with 300,000 orders made after a receipt: a lookup of a unit
 * received a moment later took 44 ms and 8,272 buffers, against 0.7 ms for an older unit).
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

describe.skipIf(!dialect)('postgres: stock commands and reads under generic plans', () => {
  let db: TestDb
  let setting: Awaited<ReturnType<typeof loadBusyLedger>>

  beforeAll(async () => {
    db = await dialect!.create()
    setting = await loadBusyLedger(db, givens({ db, clock: systemClock }))
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('plans no walk by a bound kind, nor of the ledger, for a sale, a return, a move or a transfer', async () => {
    const { serials, customer, site, other } = setting
    const sent = await statementsOf(db, async (w) => {
      await w.op(sell, { customer: customer.code, orderRef: 'GP-SALE', units: serials.slice(0, 2) })
      await w.op(returnGoods, { location: site.code, customer: customer.code, units: [serials[0]!] })
      await w.op(move, { to: other.code, units: [serials[2]!] })
      const transfer = await w.op(shipTransfer, { from: other.code, to: site.code, units: [serials[2]!] })
      await w.op(receiveTransfer, { number: transfer.number })
    })
    // Five commands, each several statements.
    expect(sent.length).toBeGreaterThan(20)
    expect(await walkingPlans(db, sent)).toEqual([])
  })

  it('plans none for an inspection, a supplier claim and its shipment, or a recall and its quarantine', async () => {
    const { failed, supplier, defect } = setting
    const sent = await statementsOf(db, async (w) => {
      await w.op(inspect, {
        units: failed,
        stage: 'receiving',
        result: 'fail',
        defectCodes: [defect],
        quarantine: true,
      })
      const claim = await w.op(openClaim, { supplier: supplier.code, units: failed, reason: 'battery' })
      await w.op(shipClaim, { number: claim.number })
      const recall = await w.op(openRecall, { title: 'GP recall', criteria: { serials: [setting.serials[3]!] } })
      await w.op(quarantineRecall, { number: recall.number })
      setting.claim = claim.number
      setting.recall = recall.number
    })
    expect(sent.length).toBeGreaterThan(15)
    expect(await walkingPlans(db, sent)).toEqual([])
  })

  it('plans none for an order, a count, packing, repricing, a warranty repair, a disposition or a scrap', async () => {
    const { extra: e, customer, site, sku, countSite, counted } = setting
    const sent = await statementsOf(db, async (w) => {
      const order = await w.op(placeOrder, { customer: customer.code, lines: [{ sku: sku.code, quantity: 1 }] })
      await w.op(pickOrder, { number: order.number, units: [{ serial: e[0]! }] })
      await w.op(shipOrder, { number: order.number, units: [{ serial: e[0]! }] })
      const count = await w.op(startCount, { location: countSite.code })
      await w.op(scanCount, {
        number: count.number,
        location: countSite.code,
        scans: [{ key: 'k1', serial: counted[0]! }],
      })
      await w.op(closeCount, { number: count.number })
      await w.op(pack, { container: w.uniq('GPBOX'), units: [e[1]!, e[2]!] })
      await w.op(changePrice, { units: [{ serial: e[3]!, price: 699 }] })
      await w.op(sell, { customer: customer.code, orderRef: 'GP-W', units: [e[4]!, e[5]!] })
      await w.op(claimWarranty, {
        serial: e[4]!,
        claimant: { customer: customer.code },
        outcome: 'repair',
        fault: 'does not charge',
        location: site.code,
      })
      await w.op(returnRepair, { units: [e[4]!] })
      await w.op(returnGoods, { location: site.code, customer: customer.code, units: [e[5]!] })
      await w.op(disposeReturn, { disposition: 'open_box', units: [e[5]!], price: 599 })
      await w.op(scrap, { reason: 'dropped', units: [e[6]!] })
    })
    expect(sent.length).toBeGreaterThan(40)
    expect(await walkingPlans(db, sent)).toEqual([])
  })

  it("plans none for a unit's, a document's, an order's, a claim's or a recall's page", async () => {
    const { serials, sku, supplier, site, customer } = setting
    expect(setting.claim && setting.recall).toBeTruthy()
    const unit = await db.kysely
      .selectFrom('unit')
      .select('id')
      .where('serial', '=', serials[0]!)
      .executeTakeFirstOrThrow()
    const order = await db.kysely
      .selectFrom('document')
      .select('number')
      .where('reference', '=', 'GP-SALE')
      .executeTakeFirstOrThrow()
    const sent = await statementsOf(db, async (_w, app) => {
      const { get } = rest(await app.as('admin'))
      for (const url of [
        `/units/lookup?code=${serials[0]}`,
        `/units/${unit.id}`,
        `/units/${unit.id}/timeline`,
        `/units/${unit.id}/provenance`,
        `/units/${unit.id}/custody`,
        `/units/${unit.id}/pricing`,
        `/documents/order/${order.number}`,
        `/documents?type=return`,
        `/claims/${setting.claim}`,
        `/claims/${setting.claim}/pack`,
        `/recalls/${setting.recall}`,
        `/warranty?code=${serials[1]}`,
        `/units?sku=${sku.code}`,
        `/units?supplier=${supplier.code}`,
        `/units?location=${site.code}`,
        `/parties/${customer.code}/history`,
        `/skus/${sku.code}/history`,
        `/locations/${site.code}/history`,
        `/feed?after=1`,
        `/events?afterSeq=1`,
      ]) {
        const r = await get(url)
        expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200)
      }
    })
    expect(sent.length).toBeGreaterThan(40)
    expect(await walkingPlans(db, sent)).toEqual([])
  })
})

/**
 * A ledger whose documents are nearly all customers' orders, whose units are nearly all in stock, and whose
 * events are many, the units' latest events the earliest of them: a merge join to `event`, `document` or
 * `party` then looks cheap to the planner, and reads the index from its start. Also the units, sites and
 * defect code the tests' commands need.
 */
async function loadBusyLedger(db: TestDb, g: ReturnType<typeof givens>) {
  const { header, site, supplier } = await g.place()
  const other = await g.site()
  const sku = await g.sku()
  const customer = await g.customer()
  const serials = [g.uniq('GP'), g.uniq('GP'), g.uniq('GP'), g.uniq('GP')]
  const failed = [g.uniq('GPF'), g.uniq('GPF')]
  const extra = Array.from({ length: 7 }, () => g.uniq('GPE'))
  await g.receipt({
    ...header,
    lines: [{ sku: sku.code, lot: g.uniq('LOT'), serials: [...serials, ...failed, ...extra] }],
  })
  // A site of its own to count, so that closing the count finds none of the other units missing.
  const countSite = await g.site()
  const counted = [g.uniq('GPK'), g.uniq('GPK')]
  await g.receipt({ supplier: supplier.code, location: countSite.code, lines: [{ sku: sku.code, serials: counted }] })
  const defect = (await createDefectCode({ db, clock: systemClock }, { code: g.uniq('GPD'), name: 'swollen' })).code
  // Many customers (a retailer's customer records), and as many orders of theirs, each with an event:
  // made after the receipt, so their ids (UUIDv7, in creation order) come after the receipt's and before
  // those of what the tests then do, as in a ledger in service.
  const ids = (n: number) => Array.from({ length: n }, () => newId())
  const [parties, documents] = [ids(ORDERS), ids(ORDERS)]
  await sql`
    insert into party (id, code, name, role, created_at)
    select id, 'GPC-' || n, 'Customer ' || n, 'customer', '2026-01-01T00:00:00.000Z'
    from unnest(${parties}::text[]) with ordinality as p(id, n)
  `.execute(db.kysely)
  await sql`
    insert into document (id, type, number, occurred_at, created_at, actor, data, party_id)
    select d.id, 'order', 'GP-' || d.n, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'test', '{}', p.id
    from unnest(${documents}::text[]) with ordinality as d(id, n)
    join unnest(${parties}::text[]) with ordinality as p(id, n) on p.n = d.n
  `.execute(db.kysely)
  // And units in stock (copies of the first, outside the ledger), so the planner knows in-stock is common.
  await sql`
    insert into unit
    select (jsonb_populate_record(null::unit,
      to_jsonb(u) || jsonb_build_object('id', 'gp-unit-' || n, 'serial', 'GPX-' || n))).*
    from unit u, generate_series(1, ${ORDERS}) n where u.serial = ${serials[0]}
  `.execute(db.kysely)
  // An event of each order, after the receipt, so that the units' latest events are the ledger's earliest.
  // Typed `moved`: the statistics then say sales are few (a young ledger's, or stale ones), under which a
  // join on `type = 'sold'` looks like a short walk of the sold events. They have places in the log (far
  // past the head), so the sequencer leaves them alone.
  await sql`
    insert into event (seq, id, type, occurred_at, recorded_at, actor, payload, unit_count, quantity_line_count,
      lines_hash, log_pos, document_id)
    select 1000000 + d.n, 'gp-event-' || d.n, 'moved', e.occurred_at, e.recorded_at, e.actor, e.payload, 0, 0,
      e.lines_hash, 1000000 + d.n, d.id
    from event e, unnest(${documents}::text[]) with ordinality as d(id, n) where e.seq = (select min(seq) from event)
  `.execute(db.kysely)
  for (const table of ['event', 'document', 'unit', 'party']) await sql`analyze ${sql.table(table)}`.execute(db.kysely)
  return {
    site,
    other,
    supplier,
    sku,
    customer,
    serials,
    failed,
    extra,
    countSite,
    counted,
    defect,
    claim: '',
    recall: '',
  }
}

type Sent = { text: string; values: unknown[] }
type Users = Awaited<ReturnType<typeof appWithUsers>>

/** The statements with values that `work` sends through a new pool (its commands) or a new app (its requests). */
async function statementsOf(db: TestDb, work: (w: ReturnType<typeof givens>, app: Users) => Promise<void>) {
  const writer = connect(db.url)
  const app = await appWithUsers(writer)
  const sent: Sent[] = []
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  ;(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args
    if (typeof first === 'object' && first && 'values' in first) sent.push(first as Sent)
    else if (typeof first === 'string' && Array.isArray(second)) sent.push({ text: first, values: second })
    return query.apply(this, args)
  }
  try {
    await work(givens({ db: writer, clock: systemClock }), app)
  } finally {
    ;(pg.Client.prototype as { query: unknown }).query = query
    await app.app.close()
    await writer.close()
  }
  return sent.filter((s) => s.values.length > 0)
}

/** Each statement's generic plan (`force_generic_plan`), with its text, where it walks by a kind or the ledger. */
async function walkingPlans(db: TestDb, sent: readonly Sent[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const scans: string[] = []
  try {
    await client.query('set plan_cache_mode = force_generic_plan')
    for (const [i, s] of sent.entries()) {
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
  return scans
}

/** A bound value as an SQL literal for EXECUTE's arguments (PostgreSQL casts it to the parameter's type). */
function literal(client: pg.Client, v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return client.escapeLiteral(`{${v.map((x) => JSON.stringify(String(x))).join(',')}}`)
  if (v instanceof Date) return client.escapeLiteral(v.toISOString())
  return client.escapeLiteral(typeof v === 'object' ? JSON.stringify(v) : String(v))
}
