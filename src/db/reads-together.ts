import { type Compilable, CompiledQuery, PostgresAdapter } from 'kysely'
import type { Executor } from './database.js'
import { combinedText } from './held-writes.js'
import { shapedQuery } from './shaped-query.js'

/**
 * One read a command's load step may send together with others (`readTogether`): a query built as
 * `runShaped` builds it and what its rows mean, or, when it is not one query (a list long enough to be
 * read in chunks), a function that reads on its own.
 */
export type Read<T> =
  | { shape: string; parameters: readonly unknown[]; build: () => Compilable<unknown>; map: (rows: any[]) => T }
  | { alone: (db: Executor) => Promise<T> }

/** A read of one query (see `Read`); `map` may refuse (throw) what the rows say. */
export const queryRead = <R, T>(
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
  map: (rows: R[]) => T,
): Read<T> => ({ shape, parameters, build, map })

/** What each read answers (undefined for a read left out). */
type Answers<T extends readonly unknown[]> = { [K in keyof T]: T[K] | undefined }

/**
 * Runs reads that need nothing from each other. On PostgreSQL the queries go as one statement, each one's
 * rows a JSON array in a column of its one row (`select (select json_agg(r) from (q1) r), …`): on a loaded
 * server a round trip costs more than a point lookup, and a sale's load step made five of them. JSON gives
 * the values the driver would (text, numbers, booleans; instants and JSON are stored as text), except that
 * a `numeric` comes back as a number. Elsewhere (SQLite: no round trips) they run one after another. The
 * answers are mapped in the order given, so of two refusals the first read's comes first, as when each
 * was read on its own. An undefined read is left out and answers undefined.
 */
export async function readTogether<T extends readonly unknown[]>(
  db: Executor,
  reads: { [K in keyof T]: Read<T[K]> | undefined },
): Promise<Answers<T>> {
  const list = reads as readonly (Read<unknown> | undefined)[]
  const queries = list.map((r) =>
    r && 'build' in r ? shapedQuery(db, r.shape, r.parameters, r.build as () => Compilable<unknown>) : undefined,
  )
  const sent = queries.filter((q): q is CompiledQuery => q !== undefined)
  const together = db.getExecutor().adapter instanceof PostgresAdapter && sent.length > 1
  const rows = together ? Object.values((await db.executeQuery(asJsonColumns(sent))).rows[0] as object) : []
  const answers: unknown[] = []
  let next = 0
  for (const [i, r] of list.entries()) {
    if (!r) answers.push(undefined)
    else if ('alone' in r) answers.push(await r.alone(db))
    else answers.push(r.map(together ? (rows[next++] as unknown[]) : (await db.executeQuery(queries[i]!)).rows))
  }
  return answers as Answers<T>
}

const jsonColumn = (query: string, n: number) => `(select coalesce(json_agg(r), '[]'::json) from (${query}) r) as r${n}`

/** `select (select coalesce(json_agg(r), '[]') from (q1) r) as r1, …`, each `$n` moved past the ones before it. */
function asJsonColumns(queries: readonly CompiledQuery[]): CompiledQuery {
  const text = combinedText(
    'json-columns',
    queries,
    (parts) => `select ${parts.map((p, i) => jsonColumn(p, i + 1)).join(', ')}`,
  )
  return CompiledQuery.raw(
    text,
    queries.flatMap((q) => q.parameters),
  )
}

/** A read whose answer is `f` of another's (a refusal, a mapping to the domain's shape). */
export const mapRead = <A, B>(r: Read<A>, f: (a: A) => B): Read<B> =>
  'alone' in r ? { alone: async (db) => f(await r.alone(db)) } : { ...r, map: (rows) => f(r.map(rows)) }

/** Runs one read on its own. */
export const runRead = async <T>(db: Executor, r: Read<T>): Promise<T> => (await readTogether(db, [r]))[0] as T
