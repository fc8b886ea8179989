import type { Kysely } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A lease per webhook subscription: the one server process that holds it sends that subscription's
 * outbox, so two servers on one database never both deliver an event (and its order stays one line).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_subscription').addColumn('lease_owner', 'text').execute()
  await db.schema.alterTable('webhook_subscription').addColumn('lease_until', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_subscription').dropColumn('lease_until').execute()
  await db.schema.alterTable('webhook_subscription').dropColumn('lease_owner').execute()
}
