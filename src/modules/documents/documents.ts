import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { DocumentTable, Executor } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { mapDbError } from '../../db/errors.js'
import type { DocumentType } from './document-types.js'

export { DOCUMENT_TYPES, type DocumentType } from './document-types.js'

export interface NewDocument {
  type: DocumentType
  /** The number the client gave; or, with `generated`, the ledger's own proposal (PREFIX-<next seq>). */
  number: string
  /**
   * The ledger chose the number. A client may already have named a document that way (its own "ORD-42"
   * before our 42nd event): the generated number then gets a suffix (ORD-42-2) instead of failing a
   * request that named no number at all.
   */
  generated?: boolean
  partyId?: string | null
  locationId?: string | null
  toLocationId?: string | null
  reference?: string | null
  occurredAt: string
  actor: string
  data: Record<string, unknown>
  createdAt: Date
}

/** Most suffixes tried for a generated number before giving up (each one taken by a client's number). */
const MAX_SUFFIX = 100

/**
 * Creates a business document (receipt, order, transfer…) that groups ledger events; numbers are unique
 * per type. Returns its id and number (a generated number may have had to take a suffix).
 */
export async function createDocument(db: Executor, d: NewDocument): Promise<{ id: string; number: string }> {
  const id = newId()
  const rowWith = (number: string) => ({
    id,
    type: d.type,
    number,
    party_id: d.partyId ?? null,
    location_id: d.locationId ?? null,
    to_location_id: d.toLocationId ?? null,
    reference: d.reference ?? null,
    occurred_at: d.occurredAt,
    created_at: d.createdAt.toISOString(),
    actor: d.actor,
    data: JSON.stringify(d.data),
  })
  if (d.generated) {
    // "on conflict do nothing" rather than catching the error: on PostgreSQL a failed statement would
    // abort the whole transaction.
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const row = rowWith(n === 1 ? d.number : `${d.number}-${n}`)
      const result = await runShaped(db, 'document-insert-generated', Object.values(row), () =>
        db.insertInto('document').values(row).onConflict((oc) => oc.columns(['type', 'number']).doNothing()),
      )
      if (Number(result.numAffectedRows ?? 0) === 1) return { id, number: row.number }
    }
    throw new AppError('document.duplicate', `${d.type} numbers ${d.number} to ${d.number}-${MAX_SUFFIX} are all taken; give the document a number`)
  }
  const row = rowWith(d.number)
  try {
    await runShaped(db, 'document-insert', Object.values(row), () => db.insertInto('document').values(row))
  } catch (e) {
    const mapped = mapDbError(e)
    if (mapped instanceof AppError) throw new AppError('document.duplicate', `${d.type} ${d.number} already exists`)
    throw mapped
  }
  return { id, number: d.number }
}

export async function getDocument(db: Executor, id: string): Promise<DocumentTable> {
  const doc = await db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst()
  if (!doc) throw new AppError('document.not_found', `no document ${id}`)
  return doc
}

export async function findDocumentByNumber(db: Executor, type: DocumentType, number: string): Promise<DocumentTable | undefined> {
  return db.selectFrom('document').selectAll().where('type', '=', type).where('number', '=', number).executeTakeFirst()
}
