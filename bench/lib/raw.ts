import type SQLite from 'better-sqlite3'

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
