import type { Kysely } from 'kysely'
import { addColumnOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A lease per webhook subscription: the one server process that holds it sends that subscription's
 * outbox, so two servers on one database never both deliver an event (and its order stays one line).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await addColumnOnce(db, 'webhook_subscription', 'lease_owner', 'text')
  await addColumnOnce(db, 'webhook_subscription', 'lease_until', 'text')
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_subscription').dropColumn('lease_until').execute()
  await db.schema.alterTable('webhook_subscription').dropColumn('lease_owner').execute()
}
