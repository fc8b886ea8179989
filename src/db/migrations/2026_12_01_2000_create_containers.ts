import type { Kysely } from 'kysely'
import { addColumnOnce, createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const big = 'bigint' as const

/**
 * Containers (aggregation), projections of the `packed` and `unpacked` events:
 * - `container`: each container (an SSCC or our own code), created by its first `packed` event, and the
 *   container it is nested in;
 * - `unit.container_code`: the container a unit is packed in (null: loose).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('container')
    .ifNotExists()
    .addColumn('code', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('parent_code', text)
    .addColumn('created_seq', big, (c) => c.notNull())
    .addColumn('last_event_seq', big, (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'container_parent_ix', 'container', ['parent_code'])
  await addColumnOnce(db, 'unit', 'container_code', text)
  await createIndexOnce(db, 'unit_container_ix', 'unit', ['container_code'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_container_ix').ifExists().execute()
  await db.schema.alterTable('unit').dropColumn('container_code').execute()
  await db.schema.dropTable('container').ifExists().execute()
}
