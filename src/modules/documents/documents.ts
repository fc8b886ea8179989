import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { DocumentTable, Executor } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { mapDbError } from '../../db/errors.js'

export const DOCUMENT_TYPES = ['receipt', 'transfer', 'order', 'return', 'adjustment', 'scrap', 'move'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

export interface NewDocument {
  type: DocumentType
  number: string
  partyId?: string | null
  locationId?: string | null
  toLocationId?: string | null
  reference?: string | null
  occurredAt: string
  actor: string
  data: Record<string, unknown>
  createdAt: Date
}

/** Creates a business document (receipt, order, transfer…) that groups ledger events; numbers are unique per type. */
export async function createDocument(db: Executor, d: NewDocument): Promise<string> {
  const id = newId()
  try {
    const row = {
      id,
      type: d.type,
      number: d.number,
      party_id: d.partyId ?? null,
      location_id: d.locationId ?? null,
      to_location_id: d.toLocationId ?? null,
      reference: d.reference ?? null,
      occurred_at: d.occurredAt,
      created_at: d.createdAt.toISOString(),
      actor: d.actor,
      data: JSON.stringify(d.data),
    }
    await runShaped(db, 'document-insert', Object.values(row), () => db.insertInto('document').values(row))
  } catch (e) {
    const mapped = mapDbError(e)
    if (mapped instanceof AppError) throw new AppError('document.duplicate', `${d.type} ${d.number} already exists`)
    throw mapped
  }
  return id
}

export async function getDocument(db: Executor, id: string): Promise<DocumentTable> {
  const doc = await db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst()
  if (!doc) throw new AppError('document.not_found', `no document ${id}`)
  return doc
}

export async function findDocumentByNumber(db: Executor, type: DocumentType, number: string): Promise<DocumentTable | undefined> {
  return db.selectFrom('document').selectAll().where('type', '=', type).where('number', '=', number).executeTakeFirst()
}
