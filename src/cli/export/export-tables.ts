import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { unitsWithNames } from '../../modules/units/index.js'

const PAGE = 2000

// Each select names its columns as the CSV header does, so a row is its header's values in order.
export const UNIT_COLUMNS = [
  ...['id', 'sku', 'serial', 'status', 'location', 'lot', 'receipt', 'supplier'],
  ...['cost', 'received_at', 'customer', 'order_ref', 'sale_price', 'sold_at'],
] as const

export const EVENT_COLUMNS = [
  ...['seq', 'id', 'type', 'occurred_at', 'recorded_at', 'actor', 'location', 'from_location', 'reason'],
  ...['document_type', 'document_number', 'unit_count', 'quantity_line_count', 'hash', 'prev_hash'],
] as const

type Cell = string | number | null
const money = (minor: number | null) => fromMinor(minor === null ? null : Number(minor))
const cells = (row: Record<string, Cell>, columns: readonly string[]) => columns.map((c) => row[c] ?? null)

/** Every unit with codes instead of ids, a page at a time in id order (keyset pagination). */
export async function* unitRows(db: Executor): AsyncGenerator<Cell[]> {
  let after = ''
  for (;;) {
    const rows = await unitsWithNames(db)
      .select(['u.id', 's.code as sku', 'u.serial', 'u.status', 'l.code as location', 'lot.code as lot'])
      .select(['r.number as receipt', 'sup.code as supplier', 'u.cost_minor', 'u.received_at'])
      .select(['cus.code as customer', 'u.order_ref', 'u.sale_price_minor', 'u.sold_at'])
      .where('u.id', '>', after)
      .orderBy('u.id')
      .limit(PAGE)
      .execute()
    for (const r of rows)
      yield cells({ ...r, cost: money(r.cost_minor), sale_price: money(r.sale_price_minor) }, UNIT_COLUMNS)
    if (rows.length < PAGE) return
    after = rows[rows.length - 1]!.id
  }
}

/** Every ledger event header in log order (seq order on the locked path), with location codes and document numbers. */
export async function* eventRows(db: Executor): AsyncGenerator<Cell[]> {
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('event as e')
      .leftJoin('location as l', 'l.id', 'e.location_id')
      .leftJoin('location as f', 'f.id', 'e.from_location_id')
      .leftJoin('document as d', 'd.id', 'e.document_id')
      .select(['e.seq', 'e.id', 'e.type', 'e.occurred_at', 'e.recorded_at', 'e.actor', 'e.reason', 'e.hash'])
      .select(['l.code as location', 'f.code as from_location', 'e.document_type', 'd.number as document_number'])
      .select(['e.unit_count', 'e.quantity_line_count', 'e.prev_hash'])
      .select('e.log_pos')
      .where('e.log_pos', '>', after)
      .orderBy('e.log_pos')
      .limit(PAGE)
      .execute()
    for (const r of rows) yield cells({ ...r, seq: Number(r.seq) }, EVENT_COLUMNS)
    if (rows.length < PAGE) return
    after = Number(rows[rows.length - 1]!.log_pos)
  }
}
