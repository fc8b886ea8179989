import { newId } from '../../core/ids.js'
import type { Executor } from '../../db/database.js'
import { canonicalJson } from '../ledger/index.js'

/** Records an administrative action (user created, role changed, token issued or revoked…). */
export async function recordAdminEvent(
  db: Executor,
  e: { actor: string; action: string; subject: string; details?: Record<string, unknown>; at: Date },
): Promise<void> {
  await db
    .insertInto('admin_event')
    .values({
      id: newId(),
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      details: canonicalJson(e.details ?? {}),
    })
    .execute()
}

export async function listAdminEvents(db: Executor, limit: number) {
  const rows = await db.selectFrom('admin_event').selectAll().orderBy('id', 'desc').limit(limit).execute()
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }))
}
