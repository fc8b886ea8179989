import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Signed tree heads of the ledger's Merkle tree; copies only (the witness keeps the ones that count).
  await db.schema
    .createTable('checkpoint')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('compact_range', 'text', (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'checkpoint_size_ix', 'checkpoint', ['tree_size', 'issued_at'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('checkpoint').ifExists().execute()
}
