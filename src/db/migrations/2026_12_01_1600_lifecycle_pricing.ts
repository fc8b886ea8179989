import { type Kysely, sql } from 'kysely'
import { addColumnOnce, createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const int = 'integer' as const
const big = 'bigint' as const

/**
 * Catalog maintenance, unit ageing and pricing:
 * - SKUs, locations and parties can be archived (refused in new operations, kept for history); a SKU
 *   joins a SKU group (its markdown policy) and may allow markdowns below cost;
 * - `catalog_change`: the append-only history of every edit (who, when, field, old and new value);
 * - `markdown_policy`: per SKU group, the markdown rules and the cap on how often and how deep;
 * - unit projection columns set by ledger events: the unit's own current price (`price_changed`), when
 *   it arrived at its current location and when it last came back to stock (restocked after a return
 *   or a repair). Existing units get them from the ledger, as a replay would.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['sku', 'location', 'party']) await addColumnOnce(db, table, 'archived_at', text)
  await addColumnOnce(db, 'sku', 'sku_group', text)
  await addColumnOnce(db, 'sku', 'below_cost_allowed', int, (c) => c.notNull().defaultTo(0))

  await db.schema
    .createTable('catalog_change')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('entity', text, (c) => c.notNull().check(sql`entity in ('sku','location','party','markdown_policy')`))
    .addColumn('entity_id', text, (c) => c.notNull())
    .addColumn('entity_code', text, (c) => c.notNull())
    .addColumn('field', text, (c) => c.notNull())
    .addColumn('old_value', text)
    .addColumn('new_value', text)
    .addColumn('actor', text, (c) => c.notNull())
    .addColumn('changed_at', text, (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'catalog_change_entity_ix', 'catalog_change', ['entity', 'entity_id', 'changed_at'])

  await db.schema
    .createTable('markdown_policy')
    .ifNotExists()
    .addColumn('sku_group', text, (c) => c.primaryKey())
    .addColumn('rules', text, (c) => c.notNull())
    .addColumn('period_days', int, (c) => c.notNull())
    .addColumn('max_markdowns', int, (c) => c.notNull())
    .addColumn('max_depth_pct', int, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('updated_by', text, (c) => c.notNull())
    .execute()

  await addColumnOnce(db, 'unit', 'list_price_minor', big)
  await addColumnOnce(db, 'unit', 'located_at', text)
  await addColumnOnce(db, 'unit', 'back_in_stock_at', text)
  await backfillFromLedger(db)
  await createIndexOnce(db, 'unit_sku_status_ix', 'unit', ['sku_id', 'status', 'received_at'])
}

/** The latest arrival at a location and the latest restock of each unit, as replaying the ledger sets them. */
async function backfillFromLedger(db: Kysely<any>): Promise<void> {
  const latest = (types: string) => sql`(
    select e.occurred_at from event_unit eu join event e on e.seq = eu.event_seq
    where eu.unit_id = unit.id and e.type in (${sql.raw(types)})
    order by eu.event_seq desc limit 1)`
  await db
    .updateTable('unit')
    .set({
      located_at: latest(`'moved','transfer_received','returned','found'`),
      back_in_stock_at: latest(`'restocked'`),
    })
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_sku_status_ix').ifExists().execute()
  for (const c of ['back_in_stock_at', 'located_at', 'list_price_minor'])
    await db.schema.alterTable('unit').dropColumn(c).execute()
  await db.schema.dropTable('markdown_policy').ifExists().execute()
  await db.schema.dropTable('catalog_change').ifExists().execute()
  await db.schema.alterTable('sku').dropColumn('below_cost_allowed').execute()
  await db.schema.alterTable('sku').dropColumn('sku_group').execute()
  for (const table of ['party', 'location', 'sku'])
    await db.schema.alterTable(table).dropColumn('archived_at').execute()
}
