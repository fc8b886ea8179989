import { type RawBuilder, sql } from 'kysely'

/**
 * `column` starts with `prefix`, compared exactly. LIKE would not do: `_` and `%` are wildcards and may
 * appear in codes, and SQLite's LIKE ignores case, so `/store_a/%` would also match `/STOREXA/`.
 */
export function startsWith(column: string, prefix: string): RawBuilder<boolean> {
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`
}
