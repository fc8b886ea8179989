import { type Selectable, sql } from 'kysely'
import { AppError, type ErrorCode } from '../core/errors.js'
import type { Database, Executor } from './database.js'
import { queryRead, type Read, runRead } from './reads-together.js'
import { runShaped } from './shaped-query.js'

/** Reference tables whose rows are named by a unique code. */
export type CodedTable = 'sku' | 'location' | 'party'

/**
 * The row of a reference table with this code, or undefined (the one find-by-code every module uses).
 * Codes are unique regardless of case (`STORE-A` and `store-a` are one code), so the lookup ignores
 * case too, through the unique index on lower(code).
 */
export async function rowByCode<T extends CodedTable>(
  db: Executor,
  table: T,
  code: string,
): Promise<Selectable<Database[T]> | undefined> {
  return runRead(db, rowByCodeRead(db, table, code))
}

/** `rowByCode` as a read that may go with others (`readTogether`). */
export function rowByCodeRead<T extends CodedTable>(
  db: Executor,
  table: T,
  code: string,
): Read<Selectable<Database[T]> | undefined> {
  const folded = code.toLowerCase()
  const query = () =>
    db
      .selectFrom(table as CodedTable)
      .selectAll()
      .where(sql`lower(code)`, '=', folded)
  return queryRead(`${table}-by-code`, [folded], query, (rows) => rows[0] as Selectable<Database[T]> | undefined)
}

/**
 * Refuses a new row whose code an existing row already has, ignoring case, naming the existing one
 * (the unique index still decides a race; this only says it better).
 */
export async function assertCodeFree(
  db: Executor,
  table: CodedTable,
  code: string,
  error: ErrorCode,
  what: string,
): Promise<void> {
  const taken = await rowByCode(db, table, code)
  if (!taken) return
  const differs = taken.code !== code ? ` as ${taken.code} (codes are unique regardless of case)` : ''
  throw new AppError(error, `${what} ${code} already exists${differs}`, {
    issues: [{ field: 'code', value: code, message: `already taken by ${taken.code}` }],
  })
}

/** Rows of a table by id, keyed by id; repeated and null ids are fine (the one get-by-ids). */
export async function rowsByIds<T extends CodedTable | 'lot'>(
  db: Executor,
  table: T,
  ids: readonly (string | null)[],
): Promise<Map<string, Selectable<Database[T]>>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))]
  if (wanted.length === 0) return new Map()
  const query = () =>
    db
      .selectFrom(table as CodedTable)
      .selectAll()
      .where('id', 'in', wanted)
  const { rows } = await runShaped(db, `${table}-by-id:${wanted.length}`, wanted, query)
  return new Map(rows.map((r) => [r.id, r as Selectable<Database[T]>]))
}

/**
 * The rows a query with `where … in (keys)` reads, or none without a query when there are no keys (an
 * empty `in ()` is not SQL on every dialect).
 */
export const rowsForKeys = async <K, R>(keys: readonly K[], query: (keys: K[]) => Promise<R[]>): Promise<R[]> =>
  keys.length === 0 ? [] : query([...keys])

/** Maps the values of a map (rows to domain objects). */
export const mapValues = <K, A, B>(m: ReadonlyMap<K, A>, f: (a: A) => B): Map<K, B> =>
  new Map([...m].map(([k, v]) => [k, f(v)]))
