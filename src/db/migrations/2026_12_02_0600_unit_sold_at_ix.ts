import { type Kysely, sql } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * The unit list's "sold from/to" filter read every unit row at 10 million units (a sequential scan of
 * `unit`, 2.1 s on PostgreSQL). A partial index on `sold_at` serves it; units never sold are left out of
 * the index, so a receipt of a million units does not pay for it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('unit_sold_at_ix')
    .ifNotExists()
    .on('unit')
    .column('sold_at')
    .where(sql.ref('sold_at'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_sold_at_ix').ifExists().execute()
}
