import { z } from 'zod'
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { DOCUMENT_TYPES, type DocumentType } from './documents.js'

export const DocumentView = z
  .object({
    id: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    number: z.string(),
    party: z.object({ code: z.string(), name: z.string() }).nullable(),
    location: z.string().nullable(),
    toLocation: z.string().nullable(),
    reference: z.string().nullable(),
    occurredAt: z.string(),
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    events: z.array(z.object({ seq: z.number(), id: z.string(), type: z.string(), occurredAt: z.string(), actor: z.string(), unitCount: z.number(), quantityLineCount: z.number() })),
  })
  .meta({ id: 'Document' })
export type DocumentView = z.infer<typeof DocumentView>

/** A receipt, order, transfer… with the ledger events it groups. */
export async function getDocumentView(db: Executor, type: DocumentType, number: string): Promise<DocumentView> {
  const d = await db
    .selectFrom('document as d')
    .leftJoin('party as p', 'p.id', 'd.party_id')
    .leftJoin('location as l', 'l.id', 'd.location_id')
    .leftJoin('location as t', 't.id', 'd.to_location_id')
    .select(['d.id', 'd.type', 'd.number', 'd.reference', 'd.occurred_at', 'd.actor', 'd.data', 'p.code as party_code', 'p.name as party_name', 'l.code as loc', 't.code as to_loc'])
    .where('d.type', '=', type)
    .where('d.number', '=', number)
    .executeTakeFirst()
  if (!d) throw new AppError('document.not_found', `no ${type} ${number}`)
  const events = await db.selectFrom('event').select(['seq', 'id', 'type', 'occurred_at', 'actor', 'unit_count', 'quantity_line_count']).where('document_id', '=', d.id).orderBy('seq').execute()
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
    events: events.map((e) => ({ seq: Number(e.seq), id: e.id, type: e.type, occurredAt: e.occurred_at, actor: e.actor, unitCount: e.unit_count, quantityLineCount: e.quantity_line_count })),
  }
}

export const ListDocumentsQuery = z
  .object({
    type: z.enum(DOCUMENT_TYPES).optional(),
    search: z.string().max(100).optional().describe('part of the number or reference'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

export async function listDocuments(db: Executor, q: z.infer<typeof ListDocumentsQuery>) {
  let query = db.selectFrom('document').select(['id', 'type', 'number', 'reference', 'occurred_at as occurredAt', 'actor']).orderBy('created_at', 'desc').limit(q.limit)
  if (q.type) query = query.where('type', '=', q.type)
  if (q.search) query = query.where((eb) => eb.or([eb('number', 'like', `%${q.search}%`), eb('reference', 'like', `%${q.search}%`)]))
  return query.execute()
}
