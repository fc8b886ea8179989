import { type Kysely, sql } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // A sales order is a document (its lines in `data`) written with its `order_placed` event; the shop's
  // or till's order id is its reference, unique among sales orders so a retried POS order sells once.
  await db.schema
    .createIndex('document_sales_order_ref_uq')
    .ifNotExists()
    .on('document')
    .column('reference')
    .unique()
    .where(sql.ref('type'), '=', 'sales_order')
    .execute()

  // Webhook subscriptions. The secret signs deliveries (HMAC needs it in the clear); it is shown once.
  await db.schema
    .createTable('webhook_subscription')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.references('sku.id'))
    .addColumn('location_id', 'text', (c) => c.references('location.id'))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()

  // The outbox: one row per (subscription, event), inserted in the transaction that writes the event.
  await db.schema
    .createTable('webhook_delivery')
    .ifNotExists()
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscription.id'))
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','delivered','dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('delivered_at', 'text')
    .addPrimaryKeyConstraint('webhook_delivery_pk', ['subscription_id', 'event_seq'])
    .execute()
  await createIndexOnce(db, 'webhook_delivery_status_ix', 'webhook_delivery', [
    'status',
    'subscription_id',
    'event_seq',
  ])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_delivery').ifExists().execute()
  await db.schema.dropTable('webhook_subscription').ifExists().execute()
  await db.schema.dropIndex('document_sales_order_ref_uq').ifExists().execute()
}
