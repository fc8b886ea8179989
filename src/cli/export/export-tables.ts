import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'

const PAGE = 2000

export const UNIT_COLUMNS = [
  'id',
  'sku',
  'serial',
  'status',
  'location',
  'lot',
  'receipt',
  'supplier',
  'cost',
  'received_at',
  'customer',
  'order_ref',
  'sale_price',
  'sold_at',
] as const
export const EVENT_COLUMNS = [
  'seq',
  'id',
  'type',
  'occurred_at',
  'recorded_at',
  'actor',
  'location',
  'from_location',
  'reason',
  'document_type',
  'document_number',
  'unit_count',
  'quantity_line_count',
  'hash',
  'prev_hash',
] as const

type Cell = string | number | null
const money = (minor: number | null) => fromMinor(minor === null ? null : Number(minor))

/** Every unit with codes instead of ids, a page at a time in id order (keyset pagination). */
export async function* unitRows(db: Executor): AsyncGenerator<Cell[]> {
  let after = ''
  for (;;) {
    const rows = await db
      .selectFrom('unit as u')
      .innerJoin('sku as s', 's.id', 'u.sku_id')
      .leftJoin('location as l', 'l.id', 'u.location_id')
      .leftJoin('lot', 'lot.id', 'u.lot_id')
      .leftJoin('document as r', 'r.id', 'u.receipt_id')
      .leftJoin('party as sup', 'sup.id', 'u.supplier_id')
      .leftJoin('party as cus', 'cus.id', 'u.customer_id')
      .select([
        'u.id',
        's.code as sku',
        'u.serial',
        'u.status',
        'l.code as location',
        'lot.code as lot',
        'r.number as receipt',
        'sup.code as supplier',
      ])
      .select([
        'u.cost_minor',
        'u.received_at',
        'cus.code as customer',
        'u.order_ref',
        'u.sale_price_minor',
        'u.sold_at',
      ])
      .where('u.id', '>', after)
      .orderBy('u.id')
      .limit(PAGE)
      .execute()
    for (const r of rows)
      yield [
        r.id,
        r.sku,
        r.serial,
        r.status,
        r.location,
        r.lot,
        r.receipt,
        r.supplier,
        money(r.cost_minor),
        r.received_at,
        r.customer,
        r.order_ref,
        money(r.sale_price_minor),
        r.sold_at,
      ]
    if (rows.length < PAGE) return
    after = rows[rows.length - 1]!.id
  }
}

/** Every ledger event header in seq order, with location codes and document numbers. */
export async function* eventRows(db: Executor): AsyncGenerator<Cell[]> {
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('event as e')
      .leftJoin('location as l', 'l.id', 'e.location_id')
      .leftJoin('location as f', 'f.id', 'e.from_location_id')
      .leftJoin('document as d', 'd.id', 'e.document_id')
      .select([
        'e.seq',
        'e.id',
        'e.type',
        'e.occurred_at',
        'e.recorded_at',
        'e.actor',
        'l.code as location',
        'f.code as from_location',
        'e.reason',
        'e.document_type',
      ])
      .select(['d.number as document_number', 'e.unit_count', 'e.quantity_line_count', 'e.hash', 'e.prev_hash'])
      .where('e.seq', '>', after)
      .orderBy('e.seq')
      .limit(PAGE)
      .execute()
    for (const r of rows)
      yield [
        Number(r.seq),
        r.id,
        r.type,
        r.occurred_at,
        r.recorded_at,
        r.actor,
        r.location,
        r.from_location,
        r.reason,
        r.document_type,
        r.document_number,
        r.unit_count,
        r.quantity_line_count,
        r.hash,
        r.prev_hash,
      ]
    if (rows.length < PAGE) return
    after = Number(rows[rows.length - 1]!.seq)
  }
}
