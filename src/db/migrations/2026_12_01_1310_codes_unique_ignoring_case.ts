import { type Kysely, sql } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/** The tables whose rows are named by a code, and what a row of each is called in messages. */
const CODED = [
  { table: 'sku', what: 'SKU' },
  { table: 'location', what: 'location' },
  { table: 'party', what: 'party' },
] as const

/**
 * Codes of SKUs, locations and parties become unique regardless of case: `STORE-A` and `Store-A` are one
 * code (a unique index on lower(code); codes are printable ASCII, which lower() folds alike on SQLite and
 * PostgreSQL). A database that already holds codes differing only in case is not changed: the migration
 * fails naming every such group, for an operator to rename one of each, and then runs again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const clashes: string[] = []
  for (const { table, what } of CODED) {
    const { rows } = await sql<{ code: string; folded: string }>`
      select code, lower(code) as folded from ${sql.table(table)}
      where lower(code) in (select lower(code) from ${sql.table(table)} group by lower(code) having count(*) > 1)`.execute(
      db,
    )
    const groups = new Map<string, string[]>()
    for (const r of rows) groups.set(r.folded, [...(groups.get(r.folded) ?? []), r.code])
    // Sorted here, not by the database: collations order case differently.
    for (const folded of [...groups.keys()].sort())
      clashes.push(`${what} codes ${groups.get(folded)!.sort().join(', ')}`)
  }
  if (clashes.length > 0)
    throw new Error(
      'codes of SKUs, locations and parties must be unique regardless of case, but this database holds ' +
        `codes that differ only in case: ${clashes.join('; ')}. Rename all but one of each group ` +
        '(e.g. with a new location and a move), then run the migration again; nothing was changed.',
    )
  for (const { table } of CODED)
    await db.schema
      .createIndex(`${table}_code_ci_uq`)
      .ifNotExists()
      .on(table)
      .unique()
      .expression(sql`lower(code)`)
      .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of CODED) await db.schema.dropIndex(`${table}_code_ci_uq`).ifExists().execute()
}
