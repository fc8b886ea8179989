import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import type { DocumentType } from './document-types.rules.js'
import type { DocumentSummary, DocumentView, ListDocumentsQuery } from './documents.schemas.js'

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
    .executeTakeFirst()
  if (!d) throw new AppError('document.not_found', `no ${type} ${number}`)
  const events = await db
    .selectFrom('event')
    .select(['seq', 'id', 'type', 'occurred_at', 'actor', 'unit_count', 'quantity_line_count'])
    .where('document_id', '=', d.id)
    .orderBy('seq')
    .execute()
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
  }
}

/** Documents newest first, as GET /documents lists them. */
export async function listDocuments(db: Executor, q: ListDocumentsQuery): Promise<DocumentSummary[]> {
  let query = db
    .selectFrom('document')
    .select(['id', 'type', 'number', 'reference', 'occurred_at as occurredAt', 'actor'])
    // The type column holds only DOCUMENT_TYPES: createDocument writes nothing else.
    .$narrowType<{ type: DocumentType }>()
    .orderBy('created_at', 'desc')
    .limit(q.limit)
  if (q.type) query = query.where('type', '=', q.type)
  if (q.search)
    query = query.where((eb) =>
      eb.or([eb('number', 'like', `%${q.search}%`), eb('reference', 'like', `%${q.search}%`)]),
    )
  return query.execute()
}
