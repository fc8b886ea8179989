import { type Kysely, sql } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const int = 'integer' as const

/**
 * Warranty reference data (a SKU's policy, a lot's term) and the public check's tokens (hashes only) and
 * its log of checks; a unit's own warranty facts (terms, claims, voids, transfers) are ledger events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('warranty_policy')
    .ifNotExists()
    .addColumn('sku_id', text, (c) => c.primaryKey())
    .addColumn('months', int, (c) => c.notNull())
    .addColumn('starts_at', text, (c) => c.notNull().check(sql`starts_at in ('sale','receipt')`))
    .addColumn('coverage', text)
    .addColumn('terms_by_sale_date', text, (c) => c.notNull())
    .addColumn('replacement_rule', text, (c) =>
      c.notNull().check(sql`replacement_rule in ('remaining','remaining_or_days')`),
    )
    .addColumn('replacement_min_days', int, (c) => c.notNull())
    .addColumn('supplier_months', int, (c) => c.notNull())
    .addColumn('supplier_starts_at', text, (c) => c.notNull().check(sql`supplier_starts_at in ('sale','receipt')`))
    .addColumn('public_check', int, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('warranty_lot_term')
    .ifNotExists()
    .addColumn('lot_id', text, (c) => c.primaryKey())
    .addColumn('months', int, (c) => c.notNull())
    .addColumn('label', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('public_check_token')
    .ifNotExists()
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('unit_id', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('revoked_at', text)
    .execute()
  await createIndexOnce(db, 'public_check_token_unit_ix', 'public_check_token', ['unit_id'])
  await db.schema
    .createTable('public_check_hit')
    .ifNotExists()
    .addColumn('token_hash', text, (c) => c.notNull())
    .addColumn('client_hash', text, (c) => c.notNull())
    .addColumn('checked_at', text, (c) => c.notNull())
    .addColumn('unit_status', text, (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'public_check_hit_token_ix', 'public_check_hit', ['token_hash', 'checked_at'])
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['public_check_hit', 'public_check_token', 'warranty_lot_term', 'warranty_policy'])
    await db.schema.dropTable(t).ifExists().execute()
}
