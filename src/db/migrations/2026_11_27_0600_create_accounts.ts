import { type Kysely, sql } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','manager','clerk','auditor')`))
    .addColumn('locations', 'text', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('app_user_username_uq', ['username'])
    .execute()

  // Only a hash of each secret is stored: a leaked database opens no sessions and no integrations.
  await db.schema
    .createTable('session')
    .ifNotExists()
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'session_user_ix', 'session', ['user_id'])

  await db.schema
    .createTable('api_token')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('read','write','admin')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addUniqueConstraint('api_token_hash_uq', ['token_hash'])
    .execute()

  // Append-only record of administrative actions (users, roles, tokens, settings).
  await db.schema
    .createTable('admin_event')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'admin_event_at_ix', 'admin_event', ['at'])
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admin_event', 'api_token', 'session', 'app_user']) await db.schema.dropTable(t).ifExists().execute()
}
