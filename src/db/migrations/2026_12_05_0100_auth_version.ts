import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * PostgreSQL: `auth_version`, one counter row that every write of `app_user` or `api_token` moves (a
 * statement trigger, in the writing transaction), so a principal read at version n is known to be still
 * what the database says for as long as the counter reads n. A sequenced command reads it in its first
 * statement and an instance's remembered API-token principals are trusted only for the version they were
 * read at (src/modules/accounts/principal-cache.ts, docs/scaling.md). SQLite has `data_version` for this
 * and gets nothing. Safe to run again: `if not exists`, `on conflict do nothing`, `or replace`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`create table if not exists auth_version (id integer primary key check (id = 1), n bigint not null)`.execute(
    db,
  )
  await sql`insert into auth_version (id, n) values (1, 0) on conflict do nothing`.execute(db)
  await sql`
    create or replace function auth_version_bump() returns trigger language plpgsql as $$
    begin
      update auth_version set n = n + 1 where id = 1;
      return null;
    end $$
  `.execute(db)
  for (const table of ['app_user', 'api_token'])
    await sql`
      create or replace trigger ${sql.raw(`${table}_auth_version`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function auth_version_bump()
    `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  for (const table of ['app_user', 'api_token'])
    await sql`drop trigger if exists ${sql.raw(`${table}_auth_version`)} on ${sql.table(table)}`.execute(db)
  await sql`drop function if exists auth_version_bump()`.execute(db)
  await sql`drop table if exists auth_version`.execute(db)
}
