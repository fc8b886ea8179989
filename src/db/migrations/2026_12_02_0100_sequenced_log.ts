import { type Kysely, PostgresAdapter, sql } from 'kysely'
import { addColumnOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * The sequenced write path (PostgreSQL): an event's `seq` is its identity, taken from a sequence when it
 * is written (its lines keep `event_seq`), and its place in the log, `log_pos`, with its chain links
 * (`prev_hash`, `hash`), is given by the sequencer after the event committed. On the locked path (and
 * on SQLite) `log_pos = seq` and both are written at commit, as before; existing events get
 * `log_pos = seq`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  await addColumnOnce(db, 'event', 'log_pos', 'bigint')
  await sql`update event set log_pos = seq`.execute(db)
  await db.schema.createIndex('event_log_pos_uq').ifNotExists().on('event').column('log_pos').unique().execute()
  // The sequencer's work list: committed events without a place in the log yet (small, or empty).
  await db.schema
    .createIndex('event_unsequenced_ix')
    .ifNotExists()
    .on('event')
    .column('seq')
    .where(sql.ref('log_pos'), 'is', null)
    .execute()
  if (!isPostgres) return
  await sql`alter table event alter column prev_hash drop not null, alter column hash drop not null`.execute(db)
  await sql`create sequence if not exists event_seq_seq`.execute(db)
  const last = sql`greatest(1, (select coalesce(max(seq), 0) from event))`
  await sql`select setval('event_seq_seq', ${last}, (select count(*) > 0 from event))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  if (isPostgres) {
    await sql`drop sequence if exists event_seq_seq`.execute(db)
    await sql`alter table event alter column prev_hash set not null, alter column hash set not null`.execute(db)
  }
  await db.schema.dropIndex('event_unsequenced_ix').ifExists().execute()
  await db.schema.dropIndex('event_log_pos_uq').ifExists().execute()
  await db.schema.alterTable('event').dropColumn('log_pos').execute()
}
