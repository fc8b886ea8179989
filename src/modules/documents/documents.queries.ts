import { sql } from 'kysely'
import { AppError } from '../../core/errors.js'
import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { AMOUNT_KIND, type DocumentType } from './document-types.rules.js'
import {
  DOCUMENT_UNIT_LINES,
  type DocumentSummary,
  type DocumentView,
  type ListDocumentsQuery,
} from './documents.schemas.js'

/**
 * The amount of one serial line: its cost on a receipt, its price on a sale, and on a customer return the
 * price it was sold at (the unit's latest sale before the return; the return line itself carries none).
 * Each earlier line's event type is read by its key: joined on `pe.type = 'sold'`, PostgreSQL could plan
 * the join as a walk of every sold event for each line (on statistics that say sales are few).
 */
const unitAmount = sql<number | null>`case e.type
  when 'received' then eu.cost_minor
  when 'sold' then eu.price_minor
  when 'returned' then (
    select p.price_minor from event_unit p
    where p.unit_id = eu.unit_id and p.event_seq < eu.event_seq
      and (select pe.type from event pe where pe.seq = p.event_seq) = 'sold'
    order by p.event_seq desc limit 1)
  end`
/** The amount of one of a quantity line's items. */
const quantityAmount = sql<
  number | null
>`case e.type when 'received' then q.cost_minor when 'sold' then q.price_minor end`

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

interface Totals {
  units: number
  quantity: number
  value: number | null
}

/** Serials, items and value of each document's events, by document id (one pass over their lines). */
async function documentTotals(db: Executor, ids: readonly string[]): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>(ids.map((id) => [id, { units: 0, quantity: 0, value: null }]))
  if (ids.length === 0) return out
  const [events, units, quantities] = await Promise.all([
    db
      .selectFrom('event as e')
      .select(['e.document_id', (eb) => eb.fn.sum<number>('e.unit_count').as('units')])
      .where('e.document_id', 'in', ids)
      .groupBy('e.document_id')
      .execute(),
    db
      .selectFrom('event as e')
      .innerJoin('event_unit as eu', 'eu.event_seq', 'e.seq')
      .select(['e.document_id', sql<number | null>`sum(${unitAmount})`.as('value')])
      .where('e.document_id', 'in', ids)
      .where('e.type', 'in', ['received', 'sold', 'returned'])
      .groupBy('e.document_id')
      .execute(),
    db
      .selectFrom('event as e')
      .innerJoin('event_quantity as q', 'q.event_seq', 'e.seq')
      .select([
        'e.document_id',
        sql<number>`sum(abs(q.delta))`.as('quantity'),
        sql<number | null>`sum(abs(q.delta) * ${quantityAmount})`.as('value'),
      ])
      .where('e.document_id', 'in', ids)
      .groupBy('e.document_id')
      .execute(),
  ])
  const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b)
  for (const r of events) out.get(r.document_id!)!.units = Number(r.units)
  for (const r of units) out.get(r.document_id!)!.value = num(r.value)
  for (const r of quantities) {
    const t = out.get(r.document_id!)!
    t.quantity = Number(r.quantity)
    t.value = add(t.value, num(r.value))
  }
  return out
}

/** A receipt, order, transfer… with the ledger events it groups. */
export async function getDocumentView(db: Executor, type: DocumentType, number: string): Promise<DocumentView> {
  const d = await db
    .selectFrom('document as d')
    .leftJoin('party as p', 'p.id', 'd.party_id')
    .leftJoin('location as l', 'l.id', 'd.location_id')
    .leftJoin('location as t', 't.id', 'd.to_location_id')
    .select([
      'd.id',
      'd.type',
      'd.number',
      'd.reference',
      'd.occurred_at',
      'd.actor',
      'd.data',
      'p.code as party_code',
      'p.name as party_name',
      'l.code as loc',
      't.code as to_loc',
    ])
    .where('d.type', '=', type)
    .where('d.number', '=', number)
    .executeTakeFirstOrThrow(() => new AppError('document.not_found', `no ${type} ${number}`))
  const events = await db
    .selectFrom('event')
    .select(['seq', 'id', 'type', 'occurred_at', 'actor', 'unit_count', 'quantity_line_count'])
    .where('document_id', '=', d.id)
    .orderBy('seq')
    .execute()
  const kind = AMOUNT_KIND[d.type as DocumentType]
  const [units, quantities, totals] = await Promise.all([
    db
      .selectFrom('event as e')
      .innerJoin('event_unit as eu', 'eu.event_seq', 'e.seq')
      .innerJoin('sku as s', 's.id', 'eu.sku_id')
      .select(['eu.unit_id', 'eu.serial', 's.code as sku', unitAmount.as('amount')])
      .where('e.document_id', '=', d.id)
      .orderBy('e.seq')
      .orderBy('eu.line_no')
      .limit(DOCUMENT_UNIT_LINES)
      .execute(),
    db
      .selectFrom('event as e')
      .innerJoin('event_quantity as q', 'q.event_seq', 'e.seq')
      .innerJoin('sku as s', 's.id', 'q.sku_id')
      .innerJoin('location as l', 'l.id', 'q.location_id')
      .leftJoin('lot', 'lot.id', 'q.lot_id')
      .select(['s.code as sku', 'lot.code as lot', 'l.code as loc', 'q.delta', quantityAmount.as('amount')])
      .where('e.document_id', '=', d.id)
      .orderBy('e.seq')
      .orderBy('q.line_no')
      .limit(DOCUMENT_UNIT_LINES)
      .execute(),
    documentTotals(db, [d.id]),
  ])
  const total = totals.get(d.id)!
  return {
    id: d.id,
    type: d.type as DocumentType,
    number: d.number,
    party: d.party_code ? { code: d.party_code, name: d.party_name! } : null,
    location: d.loc,
    toLocation: d.to_loc,
    reference: d.reference,
    occurredAt: d.occurred_at,
    actor: d.actor,
    data: JSON.parse(d.data) as Record<string, unknown>,
    events: events.map((e) => ({
      seq: Number(e.seq),
      id: e.id,
      type: e.type,
      occurredAt: e.occurred_at,
      actor: e.actor,
      unitCount: e.unit_count,
      quantityLineCount: e.quantity_line_count,
    })),
    units: units.map((u) => ({ unitId: u.unit_id, serial: u.serial, sku: u.sku, amount: fromMinor(num(u.amount)) })),
    quantities: quantities.map((q) => ({
      sku: q.sku,
      lot: q.lot,
      location: q.loc,
      quantity: Math.abs(Number(q.delta)),
      amount: fromMinor(num(q.amount)),
    })),
    unitCount: total.units,
    amountKind: kind,
    total: kind ? fromMinor(total.value ?? 0) : null,
  }
}

/**
 * Documents newest first (business time, then the order they were recorded: ids are UUIDv7), as GET
 * /documents lists them, a page at a time (`offset`), each with its party, serials, items and value.
 */
export async function listDocuments(db: Executor, q: ListDocumentsQuery): Promise<DocumentSummary[]> {
  let query = db
    .selectFrom('document as d')
    .leftJoin('party as p', 'p.id', 'd.party_id')
    .select([
      'd.id',
      'd.type',
      'd.number',
      'd.reference',
      'd.occurred_at as occurredAt',
      'd.actor',
      'p.code as party_code',
      'p.name as party_name',
    ])
    // The type column holds only DOCUMENT_TYPES: createDocument writes nothing else.
    .$narrowType<{ type: DocumentType }>()
    .orderBy('d.occurred_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit)
    .offset(q.offset ?? 0)
  if (q.type) query = query.where('d.type', '=', q.type)
  if (q.search)
    query = query.where((eb) =>
      eb.or([eb('d.number', 'like', `%${q.search}%`), eb('d.reference', 'like', `%${q.search}%`)]),
    )
  const rows = await query.execute()
  const totals = await documentTotals(
    db,
    rows.map((r) => r.id),
  )
  return rows.map(({ party_code, party_name, ...r }) => {
    const t = totals.get(r.id)!
    const kind = AMOUNT_KIND[r.type]
    return {
      ...r,
      party: party_code ? { code: party_code, name: party_name! } : null,
      unitCount: t.units,
      quantity: t.quantity,
      amountKind: kind,
      value: kind ? fromMinor(t.value ?? 0) : null,
    }
  })
}
