import type SQLite from 'better-sqlite3'
import { SITE, SKU, SUPPLIER } from './fixtures.js'

/**
 * Raw better-sqlite3 helpers for the baselines. Every baseline opens its database through the
 * project's own `connect()` and uses the underlying handle, so its pragmas (WAL, synchronous, cache,
 * foreign keys) are exactly the service's.
 */

export const UNIT_COLUMNS = [
  'id',
  'sku_id',
  'serial',
  'status',
  'location_id',
  'lot_id',
  'receipt_id',
  'supplier_id',
  'cost_minor',
  'received_at',
  'customer_id',
  'order_ref',
  'sale_price_minor',
  'sold_at',
  'transfer_id',
  'parent_unit_id',
  'attributes',
  'version',
  'last_event_seq',
  'updated_at',
] as const
/**
 * Appends the projection row of a unit just received into stock, in UNIT_COLUMNS order: the raw baselines'
 * inner loop, so positional and allocation-free like the statements it stands for.
 */
export function pushReceivedUnit(
  out: unknown[],
  id: string,
  skuId: string,
  serial: string,
  place: { locationId: string; receiptId: string; supplierId: string },
  costMinor: number,
  now: string,
): void {
  const { locationId, receiptId, supplierId } = place
  out.push(id, skuId, serial, 'in_stock', locationId, null, receiptId, supplierId, costMinor, now)
  out.push(null, null, null, null, null, null, null, 1, 1, now)
}

export const EVENT_UNIT_COLUMNS = [
  'event_seq',
  'line_no',
  'unit_id',
  'sku_id',
  'serial',
  'lot_id',
  'cost_minor',
  'price_minor',
  'attributes',
] as const

/**
 * A multi-row INSERT prepared once for `rows` rows, plus one prepared for the remainder; values are
 * given flat (row after row).
 */
export class MultiRowInsert {
  private readonly full: SQLite.Statement
  private tail?: SQLite.Statement
  private tailRows = 0

  constructor(
    private readonly db: SQLite.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    readonly rows: number,
  ) {
    this.full = db.prepare(this.sql(rows))
  }

  private sql(rows: number): string {
    const tuple = `(${this.columns.map(() => '?').join(',')})`
    const values = Array.from({ length: rows }, () => tuple).join(',')
    return `insert into ${this.table} (${this.columns.join(',')}) values ${values}`
  }

  /** Inserts `flat.length / columns` rows; a full batch uses the prepared statement, a short one the tail statement. */
  run(flat: readonly unknown[]): void {
    const n = flat.length / this.columns.length
    if (n === this.rows) {
      this.full.run(flat)
      return
    }
    if (n === 0) return
    if (this.tailRows !== n) {
      this.tail = this.db.prepare(this.sql(n))
      this.tailRows = n
    }
    this.tail!.run(flat)
  }
}

/** Reads back the pragmas that matter for write cost, to print next to the figures. */
export function pragmasOf(db: SQLite.Database): Record<string, unknown> {
  const get = (name: string) => db.pragma(name, { simple: true })
  const sync = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(get('synchronous'))] ?? get('synchronous')
  return {
    journal_mode: get('journal_mode'),
    synchronous: sync,
    cache_size: get('cache_size'),
    foreign_keys: get('foreign_keys'),
    page_size: get('page_size'),
    wal_autocheckpoint: get('wal_autocheckpoint'),
  }
}

/**
 * The raw receipt: `units` received units (`LEDGER_PREFIX` serials 1..units) as prepared multi-row INSERTs
 * into `unit` and `event_unit`, in one transaction, ids from the service's UUIDv7 generator.
 */
export function insertReceivedRows(
  raw: SQLite.Database,
  units: number,
  row: { skuId: string; place: { locationId: string; receiptId: string; supplierId: string }; prefix: string },
  rowsPerStatement: number,
  newId: () => string,
): void {
  const unitInsert = new MultiRowInsert(raw, 'unit', UNIT_COLUMNS, rowsPerStatement)
  const lineInsert = new MultiRowInsert(raw, 'event_unit', EVENT_UNIT_COLUMNS, rowsPerStatement)
  const width = Math.max(7, String(units).length)
  const now = new Date().toISOString()
  raw.exec('begin immediate')
  for (let from = 1; from <= units; from += rowsPerStatement) {
    const unitValues: unknown[] = []
    const lineValues: unknown[] = []
    for (let i = from; i <= Math.min(units, from + rowsPerStatement - 1); i++) {
      const id = newId()
      const serial = `${row.prefix}${String(i).padStart(width, '0')}`
      lineValues.push(1, i, id, row.skuId, serial, null, 40000, null, null)
      pushReceivedUnit(unitValues, id, row.skuId, serial, row.place, 40000, now)
    }
    lineInsert.run(lineValues)
    unitInsert.run(unitValues)
  }
  raw.exec('commit')
}

/** The ids a raw receipt of the benchmark SKU at the benchmark site from its supplier writes (a new receipt id). */
export function receiptRowIds(raw: SQLite.Database, newId: () => string) {
  const one = (sql: string, p: string) => (raw.prepare(sql).get(p) as { id: string }).id
  return {
    skuId: one('select id from sku where code = ?', SKU),
    place: {
      locationId: one('select id from location where code = ?', SITE),
      receiptId: newId(),
      supplierId: one('select id from party where code = ?', SUPPLIER),
    },
  }
}
