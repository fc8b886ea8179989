import { sql } from 'kysely'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { DocumentTable, Executor } from '../../db/database.js'
import type { HoldWrite } from '../../db/held-writes.js'
import { runShaped } from '../../db/shaped-query.js'
import { queryRead, type Read, runRead } from '../../db/reads-together.js'
import { mapDbError } from '../../db/errors.js'
import type { UnitEventType } from '../units/unit-status.rules.js'
import type { DocumentType } from './document-types.rules.js'

/** A number the ledger makes up: PREFIX-<seq> of the event the document belongs to (ORD-42). */
export interface GeneratedNumber {
  prefix: string
  seq: number
}

export interface NewDocument {
  type: DocumentType
  /** The number the client gave, or the parts of one to generate. */
  number: string | GeneratedNumber
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
 * per type. Returns its id and number.
 */
export async function createDocument(db: Executor, d: NewDocument): Promise<{ id: string; number: string }> {
  const id = newId()
  const rowWith = documentRow(id, d)
  const number =
    typeof d.number === 'string'
      ? await insertGivenNumber(db, rowWith(d.number))
      : await insertGeneratedNumber(db, d.number, rowWith)
  return { id, number }
}

/**
 * `createDocument` for the document an event is about to be written with. A generated number's insert
 * is held (`hold`) and sent with the event's own writes, one round trip fewer on PostgreSQL; if a client
 * took that number already (nothing written), it takes a suffix as soon as they were sent, before
 * anything reads the document. A client's number is inserted at once: taken, it is refused now. The
 * answer tells the number once the held writes were sent (after the event's `finish`).
 */
export async function startDocument(db: Executor, id: string, d: NewDocument, hold: HoldWrite): Promise<() => string> {
  const rowWith = documentRow(id, d)
  let number = typeof d.number === 'string' ? await insertGivenNumber(db, rowWith(d.number)) : undefined
  if (typeof d.number !== 'string') {
    const g = d.number
    const row = rowWith(`${g.prefix}-${g.seq}`)
    await hold(
      'document-insert-generated',
      Object.values(row),
      () => insertUnlessTaken(db, row),
      async (written) => {
        number = written === 1 ? row.number : await insertGeneratedNumber(db, g, rowWith, 2)
      },
    )
  }
  return () => {
    if (number === undefined) throw new Error(`document ${id} has no number yet: its held insert was not sent`)
    return number
  }
}

const documentRow =
  (id: string, d: NewDocument) =>
  (number: string): DocumentTable => ({
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

/** A client's number: taken already means the client is wrong. */
async function insertGivenNumber(db: Executor, row: DocumentTable): Promise<string> {
  try {
    await runShaped(db, 'document-insert', Object.values(row), () => db.insertInto('document').values(row))
  } catch (e) {
    const mapped = mapDbError(e)
    if (mapped instanceof AppError) throw new AppError('document.duplicate', `${row.type} ${row.number} already exists`)
    throw mapped
  }
  return row.number
}

/**
 * Our own number. A client may already have named a document that way (its own "ORD-42" before our
 * 42nd event): then it takes a suffix (ORD-42-2) rather than failing a request that named no number.
 * "On conflict do nothing" rather than catching the error: on PostgreSQL a failed statement aborts the
 * whole transaction.
 */
async function insertGeneratedNumber(
  db: Executor,
  g: GeneratedNumber,
  rowWith: (number: string) => DocumentTable,
  from = 1,
): Promise<string> {
  const base = `${g.prefix}-${g.seq}`
  for (let n = from; n <= MAX_SUFFIX; n++) {
    const row = rowWith(n === 1 ? base : `${base}-${n}`)
    const result = await runShaped(db, 'document-insert-generated', Object.values(row), () =>
      insertUnlessTaken(db, row),
    )
    if (Number(result.numAffectedRows ?? 0) === 1) return row.number
  }
  throw new AppError(
    'document.duplicate',
    `${rowWith(base).type} numbers ${base} to ${base}-${MAX_SUFFIX} are all taken; give the document a number`,
  )
}

const insertUnlessTaken = (db: Executor, row: DocumentTable) =>
  db
    .insertInto('document')
    .values(row)
    .onConflict((oc) => oc.columns(['type', 'number']).doNothing())

export async function getDocument(db: Executor, id: string): Promise<DocumentTable> {
  const doc = await db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst()
  if (!doc) throw new AppError('document.not_found', `no document ${id}`)
  return doc
}

export async function findDocumentByNumber(
  db: Executor,
  type: DocumentType,
  number: string,
): Promise<DocumentTable | undefined> {
  return db.selectFrom('document').selectAll().where('type', '=', type).where('number', '=', number).executeTakeFirst()
}

/**
 * Whether any document of `type` has no `closedBy` event yet (an open recall): a one-row probe built
 * once (runShaped), so the hot paths that must honour open documents skip their fuller reads on a
 * ledger that has none.
 */
export async function hasUnclosedDocument(db: Executor, type: DocumentType, closedBy: UnitEventType): Promise<boolean> {
  return runRead(db, anyUnclosedDocumentRead(db, type, closedBy))
}

/** `hasUnclosedDocument` as a read that may go with others (`readTogether`). */
export function anyUnclosedDocumentRead(db: Executor, type: DocumentType, closedBy: UnitEventType): Read<boolean> {
  const probe = () => unclosedDocuments(db, type, closedBy).select('d.id').limit(sql.lit(1))
  return queryRead(`document-unclosed-any:${type}:${closedBy}`, [], probe, (rows) => rows.length > 0)
}

/**
 * Documents of a type (`d`) that no event of `closedBy` has closed: open recalls, open claims.
 *
 * The two types are written into the SQL, not bound. PostgreSQL runs our statements as named ones and,
 * after five runs, plans them once for any value: for `type = $1` it then guesses the commonest type's
 * share of `document` (sales orders, nearly every row) and scans the whole table, where the index on
 * (type, number) finds the few recalls at once. Each sale probes for open recalls, so the scan grew with
 * every sale made (2.8 ms of PostgreSQL's CPU per sale at 40,000 documents).
 */
export function unclosedDocuments(db: Executor, type: DocumentType, closedBy: UnitEventType) {
  return db
    .selectFrom('document as d')
    .where('d.type', '=', sql.lit(type))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('event as e')
            .select('e.seq')
            .whereRef('e.document_id', '=', 'd.id')
            .where('e.type', '=', sql.lit(closedBy)),
        ),
      ),
    )
}
