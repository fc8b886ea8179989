import { newId } from '../../core/ids.js'
import type { Executor } from '../../db/database.js'
import type { CatalogEntity, FieldChange } from './catalog-history.rules.js'

/** Who changed which record, and when. */
export interface ChangeSubject {
  entity: CatalogEntity
  id: string
  code: string
  actor: string
  at: string
}

/** Appends one history row per changed field (never updated or deleted). */
export async function recordChanges(db: Executor, s: ChangeSubject, changes: readonly FieldChange[]): Promise<void> {
  if (changes.length === 0) return
  await db
    .insertInto('catalog_change')
    .values(
      changes.map((c) => ({
        id: newId(),
        entity: s.entity,
        entity_id: s.id,
        entity_code: s.code,
        field: c.field,
        old_value: c.old === null ? null : JSON.stringify(c.old),
        new_value: c.new === null ? null : JSON.stringify(c.new),
        actor: s.actor,
        changed_at: s.at,
      })),
    )
    .execute()
}

/** A record's history, oldest first: each changed field with its old and new value, actor and time. */
export async function listChanges(db: Executor, entity: CatalogEntity, id: string) {
  const rows = await db
    .selectFrom('catalog_change')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', id)
    .orderBy('changed_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    field: r.field,
    old: r.old_value === null ? null : (JSON.parse(r.old_value) as unknown),
    new: r.new_value === null ? null : (JSON.parse(r.new_value) as unknown),
    actor: r.actor,
    changedAt: r.changed_at,
  }))
}
