import { type Compilable, type CompiledQuery, PostgresAdapter } from 'kysely'
import type { Executor } from './database.js'
import { shapedQuery } from './shaped-query.js'

/** PostgreSQL's limit on a statement's bind parameters (a 16-bit count). */
const MAX_PARAMETERS = 65_535

/**
 * Writes whose results nobody reads, held back on PostgreSQL and sent together as one statement: each
 * held INSERT or UPDATE becomes a data-modifying `WITH` item of the statement that `flush` sends. A sale's
 * unit lines, unit update and event header were three round trips; on a loaded server each round trip
 * is a wake-up of the backend and of Node, which cost more than the statements themselves.
 *
 * What a caller must keep true, because the items of one statement run on one snapshot and in no
 * defined order: no held write reads what another held write (or anything after `add`) wrote, two held
 * writes never change the same row, and whatever reads the held rows runs after `flush`. Constraints
 * are checked at the end of the statement, as they were at the end of each write. On SQLite (no round
 * trips, and no data-modifying WITH) `add` runs the write at once.
 */
export class HeldWrites {
  private readonly queries: CompiledQuery[] = []
  /** Per held query, what runs once it was sent (with the rows it wrote), if anything. */
  private readonly afterSent: (AfterSent | undefined)[] = []
  private parameters = 0

  constructor(private readonly db: Executor) {}

  /** Whether writes are held (PostgreSQL) rather than run at once (SQLite). */
  get holds(): boolean {
    return this.db.getExecutor().adapter instanceof PostgresAdapter
  }

  /**
   * Holds (PostgreSQL) or runs (SQLite) one write, built as `runShaped` builds it. `afterSent`, when given,
   * runs as soon as the write was sent, in the same transaction, with how many rows it wrote (an insert
   * `on conflict do nothing` that may have written none): on PostgreSQL once `flush` sent it.
   */
  async add(
    shape: string,
    parameters: readonly unknown[],
    build: () => Compilable<unknown>,
    afterSent?: AfterSent,
  ): Promise<void> {
    const query = shapedQuery(this.db, shape, parameters, build)
    if (!this.holds) {
      const result = await this.db.executeQuery(query)
      await afterSent?.(Number(result.numAffectedRows ?? 0))
      return
    }
    if (this.parameters + query.parameters.length > MAX_PARAMETERS) await this.flush()
    this.queries.push(query)
    this.afterSent.push(afterSent)
    this.parameters += query.parameters.length
  }

  /** Sends what is held, as one statement, then runs what waits for it (`afterSent`, in the order held). */
  async flush(): Promise<void> {
    const queries = this.queries.splice(0)
    const afterSent = this.afterSent.splice(0)
    this.parameters = 0
    if (queries.length === 0) return
    if (queries.length === 1) {
      const result = await this.db.executeQuery(queries[0]!)
      await afterSent[0]?.(Number(result.numAffectedRows ?? 0))
      return
    }
    const counted = afterSent.flatMap((f, i) => (f ? [i] : []))
    const { rows } = await this.db.executeQuery(combined(queries, counted))
    const written = Object.values((rows[0] ?? {}) as object) as number[]
    for (const [k, i] of counted.entries()) await afterSent[i]!(Number(written[k]))
  }
}

/** How a caller holds a write with the others (`HeldWrites.add`). */
export type HoldWrite = HeldWrites['add']

/** What runs after a held write was sent, with the number of rows it wrote. */
export type AfterSent = (written: number) => Promise<void>

/** Combined SQL by the SQL of its parts (a command sends the same few shapes over and over). */
const combinedSql = new Map<string, string>()
const MAX_COMBINED = 400

/**
 * The SQL of queries sent as one statement: each query's `$n` moved past the parameters before it, the parts
 * put together by `assemble`, and kept by `kind` and the SQL of the parts. Held writes and `readTogether` use it.
 */
export function combinedText(
  kind: string,
  queries: readonly CompiledQuery[],
  assemble: (parts: string[]) => string,
): string {
  const key = `${kind}\0${queries.map((q) => q.sql).join('\0')}`
  let text = combinedSql.get(key)
  if (text === undefined) {
    let offset = 0
    const parts = queries.map((q) => {
      const part = renumbered(q.sql, offset)
      offset += q.parameters.length
      return part
    })
    text = assemble(parts)
    if (combinedSql.size < MAX_COMBINED) combinedSql.set(key, text)
  }
  return text
}

/**
 * `with h1 as (q1), h2 as (q2), … qN`, each query's `$n` moved past the parameters before it. With
 * `counted` (indexes of queries whose written rows the caller needs), every query is a `WITH` item, the
 * counted ones `returning 1`, and the statement answers one row: how many rows each counted one wrote.
 */
export function combined(queries: readonly CompiledQuery[], counted: readonly number[] = []): CompiledQuery {
  const text = combinedText(`with:${counted.join(',')}`, queries, (renumberedParts) => {
    const parts = renumberedParts.map((p, i) => (counted.includes(i) ? `${p} returning 1` : p))
    const last =
      counted.length > 0
        ? `select ${counted.map((i) => `(select count(*) from h${i + 1}) as c${i + 1}`).join(', ')}`
        : parts.pop()!
    return `with ${parts.map((p, i) => `h${i + 1} as (${p})`).join(', ')} ${last}`
  })
  return {
    query: queries.at(-1)!.query,
    queryId: queries.at(-1)!.queryId,
    sql: text,
    parameters: queries.flatMap((q) => q.parameters),
  }
}

/** The SQL with every placeholder `$n` as `$(n + offset)`; quoted literals and identifiers are left as they are. */
export const renumbered = (text: string, offset: number): string =>
  offset === 0
    ? text
    : text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (match, n?: string) =>
        n === undefined ? match : `$${Number(n) + offset}`,
      )
