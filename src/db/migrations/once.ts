import { type ColumnDataType, type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely'

/*
 * Helpers that make a migration safe to run again after an earlier run of it died half-way. On a
 * database without transactional DDL (CockroachDB, YugabyteDB: see docs/scaling.md) each statement of a
 * migration commits on its own, so a crash leaves the first ones applied and the migration unrecorded;
 * the next start runs it again from the top. Every migration therefore creates with `if not exists`,
 * drops with `if exists`, adds columns with addColumnOnce, inserts seed rows with `on conflict do
 * nothing`, and recomputes (rather than increments) what it backfills. Like the migrations, this file
 * imports nothing of the application and must keep doing what it does.
 */

/** Whether `table` (in the current schema) has `column`. */
export async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  const probe =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`select 1 from information_schema.columns
            where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`
      : sql`select 1 from pragma_table_info(${table}) where name = ${column}`
  return (await probe.execute(db)).rows.length > 0
}

/** `alter table … add column`, unless an interrupted earlier run of the migration already added it. */
export async function addColumnOnce(
  db: Kysely<any>,
  table: string,
  column: string,
  type: ColumnDataType,
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (c) => c,
): Promise<void> {
  if (await hasColumn(db, table, column)) return
  await db.schema.alterTable(table).addColumn(column, type, build).execute()
}

/** `create index if not exists name on table (columns)`: the plain index, safe to create again. */
export async function createIndexOnce(db: Kysely<any>, name: string, table: string, columns: string[]): Promise<void> {
  await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute()
}
