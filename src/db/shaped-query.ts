import type { Compilable, CompiledQuery, QueryResult } from 'kysely'
import type { Executor } from './database.js'

/** Compiled SQL per dialect (keyed by the dialect's adapter, which a database and its transactions share) and shape. */
const compiledByAdapter = new WeakMap<object, Map<string, CompiledQuery | null>>()

/** Most shapes kept per dialect; a shape beyond it is built every time, as without the cache. */
const MAX_SHAPES = 500

/**
 * Runs a query whose SQL depends only on `shape` (which query, how many list items or rows), not on
 * its values. Building and compiling a query with Kysely costs more than SQLite running it, and a sale
 * runs a dozen of them, so each shape is built once and later runs reuse its SQL with new `parameters`.
 *
 * `parameters` must be the values in the order the SQL binds them. The first run checks that against
 * what Kysely bound; a shape whose list differs is never cached and is built on every run, so a wrong
 * list costs speed, never correctness.
 */
export async function runShaped<R>(
  db: Executor,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): Promise<QueryResult<R>> {
  return db.executeQuery(shapedQuery(db, shape, parameters, build))
}

/** The compiled query `runShaped` would run (built once per shape), for a caller that runs it later. */
export function shapedQuery<R>(
  db: Executor,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): CompiledQuery<R> {
  const adapter = db.getExecutor().adapter
  const cache = compiledByAdapter.get(adapter) ?? compiledByAdapter.set(adapter, new Map()).get(adapter)!
  // An undefined value makes Kysely leave its column out, which changes the SQL: such a run is built.
  const cached = parameters.includes(undefined) ? null : cache.get(shape)
  if (cached) return { ...cached, parameters } as CompiledQuery<R>
  const compiled = build().compile()
  if (cached === undefined && cache.size < MAX_SHAPES)
    cache.set(shape, sameValues(compiled.parameters, parameters) ? compiled : null)
  return compiled
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]))
}
