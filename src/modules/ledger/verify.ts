import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type Db, migrateToLatest } from '../../db/connect.js'
import type { Database, Executor } from '../../db/database.js'
import { inReadSnapshot } from '../../db/transaction.js'
import { type SelectQueryBuilder, sql } from 'kysely'
import { eventHash, LinesHasher, type WrittenEvent } from './event.js'
import { readEvents, readQuantityLines, readUnitLines, readUnplacedEvents } from './ledger.repository.js'
import { projectEventHeader, projectQuantityLines, projectUnitLines } from './projector.js'
import { applyUnitStock, UnitStockChanges, unitStockCounts, unitStockFromUnits } from './unit-stock-projector.js'

export interface VerifyReport {
  ok: boolean
  events: number
  unitLines: number
  /** The first problem found, naming the event (or projection row) and what is wrong. */
  problem?: { seq?: number; eventId?: string; table?: string; key?: string; reason: string }
}

/**
 * Re-computes the hash chain in log order from the first event, checks that every unit's (and stock
 * row's) events are in the same order by seq and by place in the log, then replays the ledger into fresh
 * projections in a scratch database and compares them row by row with the live ones. Runs on one read
 * snapshot (on the sequenced path, after the sequencer placed what was committed before it).
 */
export async function verifyLedger(db: Db, options: { replay?: boolean } = {}): Promise<VerifyReport> {
  return inReadSnapshot(db, async (ex) => {
    const chain = await verifyChain(ex)
    if (!chain.ok) return chain
    const misordered = await verifyOrder(ex)
    if (misordered) return { ...chain, ok: false, problem: misordered }
    if (options.replay === false) return chain
    const mismatch = await replayAndCompare(ex)
    return mismatch ? { ...chain, ok: false, problem: mismatch } : chain
  })
}

async function verifyChain(ex: Executor): Promise<VerifyReport> {
  let prev = { logPos: 0, seq: 0, hash: '0'.repeat(64) }
  let events = 0
  let unitLines = 0
  const fail = (reason: string, e?: { seq: number; id: string }): VerifyReport => ({
    ok: false,
    events,
    unitLines,
    problem: { seq: e?.seq, eventId: e?.id, reason },
  })
  for await (const e of readEvents(ex)) {
    events++
    const at = e.seq === e.logPos ? `event ${e.seq}` : `event ${e.seq} (place ${e.logPos})`
    if (e.logPos !== prev.logPos + 1)
      return fail(`${at} follows place ${prev.logPos} in the log: events are missing`, e)
    if (e.prevHash !== prev.hash) return fail(`${at} does not link to event ${prev.seq} (prev_hash differs)`, e)
    const hasher = new LinesHasher()
    let count = 0
    for await (const batch of readUnitLines(ex, e.seq))
      for (const line of batch) {
        hasher.addUnit(line)
        count++
      }
    const quantities = await readQuantityLines(ex, e.seq)
    for (const q of quantities) hasher.addQuantity(q)
    unitLines += count
    if (count !== e.unitCount || quantities.length !== e.quantityLineCount)
      return fail(
        `${at} has ${count} unit lines and ${quantities.length} quantity lines, ` +
          `its header says ${e.unitCount} and ${e.quantityLineCount}`,
        e,
      )
    if (hasher.digest() !== e.linesHash) return fail(`${at}: its lines were changed (lines hash differs)`, e)
    const { hash, ...rest } = e
    if (eventHash(rest) !== hash) return fail(`${at}: its content was changed (hash differs)`, e)
    prev = { logPos: e.logPos, seq: e.seq, hash }
  }
  const head = await ex.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow()
  if (Number(head.seq) !== prev.logPos || head.hash !== prev.hash)
    return fail(`ledger head says event ${head.seq} is last, the ledger ends at ${prev.logPos}: events were removed`)
  return { ok: true, events, unitLines }
}

/**
 * Replay applies events in log order, the live projections saw them in commit order: the two agree when
 * every unit's and every stock row's events are in the same order by seq as by place in the log (what
 * the sequencer keeps). On a ledger whose every event is at its seq (the locked path) there is nothing
 * to check.
 */
async function verifyOrder(ex: Executor): Promise<VerifyReport['problem'] | undefined> {
  const moved = await sql`select 1 from event where log_pos <> seq limit 1`.execute(ex)
  if (moved.rows.length === 0) return undefined
  const units = await sql<{ key: string; seq: number; prev_seq: number }>`
    select unit_id as key, seq, prev_seq from (
      select u.unit_id, u.event_seq as seq, e.log_pos,
        lag(u.event_seq) over (partition by u.unit_id order by u.event_seq) as prev_seq,
        lag(e.log_pos) over (partition by u.unit_id order by u.event_seq) as prev_pos
      from event_unit u join event e on e.seq = u.event_seq
      where e.log_pos is not null
    ) t where prev_pos > log_pos limit 1
  `.execute(ex)
  const stock = await sql<{ key: string; seq: number; prev_seq: number }>`
    select sku_id || '/' || location_id || '/' || lot_key as key, seq, prev_seq from (
      select q.sku_id, q.location_id, coalesce(q.lot_id, '') as lot_key, q.event_seq as seq, e.log_pos,
        lag(q.event_seq) over (partition by q.sku_id, q.location_id, q.lot_id order by q.event_seq) as prev_seq,
        lag(e.log_pos) over (partition by q.sku_id, q.location_id, q.lot_id order by q.event_seq) as prev_pos
      from event_quantity q join event e on e.seq = q.event_seq
      where e.log_pos is not null
    ) t where prev_pos > log_pos limit 1
  `.execute(ex)
  const [bad, table] = units.rows[0] ? [units.rows[0], 'unit'] : [stock.rows[0], 'stock']
  if (!bad) return undefined
  return {
    seq: Number(bad.seq),
    table,
    key: bad.key,
    reason:
      `${table} ${bad.key}: event ${bad.seq} comes after event ${bad.prev_seq} by seq but before it in the log: ` +
      'replaying the log would not give the live projection',
  }
}

/** Reference tables the projections point at; copied as they are into the scratch database. */
const REFERENCE_TABLES = ['sku', 'location', 'party', 'lot', 'document'] as const

async function replayAndCompare(source: Executor): Promise<VerifyReport['problem'] | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'serial-ledger-verify-'))
  const scratch = connect(`sqlite:${join(dir, 'replay.db')}`, { sqliteSynchronous: 'NORMAL' })
  try {
    await migrateToLatest(scratch)
    await scratch.kysely.transaction().execute(async (trx) => {
      for (const table of REFERENCE_TABLES) await copyTable(source, trx, table)
      const replay = async (e: WrittenEvent) => {
        const counts = new UnitStockChanges()
        for await (const batch of readUnitLines(source, e.seq)) await projectUnitLines(trx, e, batch, counts)
        await applyUnitStock(trx, counts)
        await projectQuantityLines(trx, e, await readQuantityLines(source, e.seq))
        await projectEventHeader(trx, e)
      }
      for await (const e of readEvents(source)) await replay(e)
      // Committed after the sequencer's last pass (still in flight when verify started): their effects are
      // in the live projections of this snapshot, and they follow the log in seq order.
      for await (const e of readUnplacedEvents(source)) await replay(e)
    })
    return (
      (await compareTables(source, scratch.kysely, 'unit', ['id'])) ??
      (await compareUnitStock(source, scratch.kysely)) ??
      (await compareTables(source, scratch.kysely, 'unit_identifier', ['unit_id', 'name'])) ??
      (await compareTables(source, scratch.kysely, 'stock', ['sku_id', 'location_id', 'lot_key'])) ??
      (await compareTables(source, scratch.kysely, 'count_session', ['id'])) ??
      (await compareTables(source, scratch.kysely, 'count_scan', ['count_id', 'scan_key'])) ??
      (await compareTables(source, scratch.kysely, 'container', ['code'])) ??
      (await compareTables(source, scratch.kysely, 'container_quantity', ['container_code', 'sku_id', 'lot_key']))
    )
  } finally {
    await scratch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function copyTable(from: Executor, to: Executor, table: (typeof REFERENCE_TABLES)[number]): Promise<void> {
  // Locations reference their parent, so copy them parents first (path order is tree order).
  const order = table === 'location' ? 'path' : 'id'
  let offset = 0
  for (;;) {
    const rows = await from.selectFrom(table).selectAll().orderBy(order).limit(1000).offset(offset).execute()
    if (rows.length > 0)
      await to
        .insertInto(table)
        .values(rows as never)
        .execute()
    if (rows.length < 1000) return
    offset += rows.length
  }
}

type CompareTable =
  'unit' | 'unit_identifier' | 'stock' | 'count_session' | 'count_scan' | 'container' | 'container_quantity'
type Row = Record<string, unknown>
/** The rows compared on one side: a table's, or a query's (every column selected). */
type Source = (db: Executor) => SelectQueryBuilder<Database, never, Row>
const wholeTable =
  (table: CompareTable): Source =>
  (db) =>
    db.selectFrom(table as keyof Database).selectAll() as never

/** Compared by SKU first, so each page is looked up in the other side by a few SKUs. */
const UNIT_STOCK_KEY = ['sku_id', 'status', 'location_key', 'lot_key']

/**
 * The unit counts: the live ones (with the changes still queued for the sequencer) must equal the
 * replayed ones and those counted from the live `unit` table; empty buckets are left out on every side.
 */
async function compareUnitStock(live: Executor, replayed: Executor): Promise<VerifyReport['problem'] | undefined> {
  const counts: Source = (db) => db.selectFrom(unitStockCounts(db).as('unit_stock')).selectAll() as never
  const nonEmpty: Source = (db) => db.selectFrom('unit_stock').selectAll().where('units', '<>', 0) as never
  const fromUnits: Source = (db) => db.selectFrom(unitStockFromUnits(db).as('unit_stock')).selectAll() as never
  const replay = { missing: 'is missing from the live projection', extra: 'is not produced by replaying the ledger' }
  const units = { missing: 'is missing, while the unit table has units there', extra: 'does not match the unit table' }
  return (
    (await compareSources(
      [live, counts],
      [replayed, nonEmpty],
      'unit_stock',
      UNIT_STOCK_KEY,
      replay,
      'the replayed ledger',
    )) ??
    (await compareSources([live, counts], [live, fromUnits], 'unit_stock', UNIT_STOCK_KEY, units, 'the unit table'))
  )
}

/**
 * Compares a live projection table with the replayed one: every live row must exist in the replay with
 * equal columns, and every replayed row must exist live. Each side is paged in its own key order and
 * looked up in the other by key, so the two databases' collations never need to agree.
 */
async function compareTables(
  live: Executor,
  replayed: Executor,
  table: CompareTable,
  key: string[],
): Promise<VerifyReport['problem'] | undefined> {
  const source = wholeTable(table)
  const says = { missing: 'is missing from the live projection', extra: 'is not produced by replaying the ledger' }
  return compareSources([live, source], [replayed, source], table, key, says, 'the replayed ledger')
}

type Side = [Executor, Source]

/** Every row of `live` must be in `other` with equal columns, and every row of `other` in `live`. */
async function compareSources(
  live: Side,
  other: Side,
  table: string,
  key: string[],
  says: { missing: string; extra: string },
  otherName: string,
): Promise<VerifyReport['problem'] | undefined> {
  return (
    (await diffOneWay(live, other, table, key, (k) => `${table} row ${k} ${says.extra}`, otherName)) ??
    (await diffOneWay(other, live, table, key, (k) => `${table} row ${k} ${says.missing}`, otherName))
  )
}

async function diffOneWay(
  [from, fromRows]: Side,
  [to, toRows]: Side,
  table: string,
  key: string[],
  missing: (k: string) => string,
  otherName: string,
): Promise<VerifyReport['problem'] | undefined> {
  const keyOf = (r: Row) => key.map((k) => String(r[k])).join('/')
  for await (const page of pages(from, fromRows, key)) {
    const firstKeys = [...new Set(page.map((r) => r[key[0]!]))]
    const others = (await toRows(to)
      .where(key[0] as never, 'in', firstKeys as never)
      .execute()) as Row[]
    const byKey = new Map(others.map((r) => [keyOf(r), r]))
    for (const row of page) {
      const other = byKey.get(keyOf(row))
      if (!other) return { table, key: keyOf(row), reason: missing(keyOf(row)) }
      for (const col of Object.keys(row)) {
        const [a, b] = [norm(row[col]), norm(other[col])]
        if (a !== b)
          return {
            table,
            key: keyOf(row),
            reason:
              `${table} ${keyOf(row)}: ${col} differs between the live projection ` + `and ${otherName} (${a} vs ${b})`,
          }
      }
    }
  }
  return undefined
}

const norm = (v: unknown) =>
  v === null || v === undefined ? 'null' : typeof v === 'bigint' ? String(Number(v)) : String(v)

/** Pages through a table's (or query's) rows in its own key order (keyset pagination). */
async function* pages(db: Executor, source: Source, key: string[]): AsyncGenerator<Row[]> {
  let last: Row | undefined
  for (;;) {
    let q = source(db)
    for (const k of key) q = q.orderBy(k as never)
    if (last) {
      const values = key.map((k) => last![k])
      q =
        key.length === 1
          ? q.where(key[0] as never, '>', values[0] as never)
          : q.where((eb) => eb(eb.refTuple(...(key as [never, never])), '>', eb.tuple(...(values as [never, never]))))
    }
    const rows = (await q.limit(2000).execute()) as Row[]
    if (rows.length > 0) yield rows
    if (rows.length < 2000) return
    last = rows[rows.length - 1]
  }
}
