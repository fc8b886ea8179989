import type SQLite from 'better-sqlite3'
import { newId } from '../../src/core/ids.js'

/** The raw sale baselines' event table: a scratch table shaped like `event`, with the same indexes. */
export function createRawEventTable(raw: SQLite.Database): void {
  raw.exec(`create table if not exists bench_raw_event (
    seq integer not null primary key, id text not null unique, type text not null,
    occurred_at text not null, recorded_at text not null, actor text not null,
    location_id text, from_location_id text, reason text,
    document_type text, document_id text, payload text not null,
    unit_count integer not null, quantity_line_count integer not null,
    lines_hash text not null, prev_hash text not null, hash text not null)`)
  raw.exec('create index if not exists bench_raw_event_document_ix on bench_raw_event (document_id)')
  raw.exec('create index if not exists bench_raw_event_occurred_ix on bench_raw_event (occurred_at)')
}

/**
 * The raw "update unit … where id = ? + insert event row" of a sale, prepared once: the returned function
 * runs it for one unit (inside the caller's transaction).
 */
export function minimalSale(
  raw: SQLite.Database,
  customerId: string,
  hash: string,
): (unitId: string, serial: string) => void {
  let seq = (raw.prepare('select coalesce(max(seq), 0) from bench_raw_event').pluck().get() as number) + 1
  const update = raw.prepare(
    `update unit
     set status = 'sold', location_id = null, customer_id = ?, order_ref = ?, sale_price_minor = ?, sold_at = ?,
         version = version + 1, last_event_seq = ?, updated_at = ?
     where id = ?`,
  )
  const insert = raw.prepare(
    `insert into bench_raw_event (seq, id, type, occurred_at, recorded_at, actor, location_id, from_location_id,
       reason, document_type, document_id, payload, unit_count, quantity_line_count, lines_hash, prev_hash, hash)
     values (?, ?, 'sold', ?, ?, 'bench', null, null, 'sale', 'order', ?, ?, 1, 0, ?, ?, ?)`,
  )
  return (unitId) => {
    const now = new Date().toISOString()
    update.run(customerId, `RAW-${seq}`, 79900, now, seq, now, unitId)
    insert.run(
      seq,
      newId(),
      now,
      now,
      newId(),
      `{"customerId":"${customerId}","orderRef":"RAW-${seq}"}`,
      hash,
      hash,
      hash,
    )
    seq++
  }
}
