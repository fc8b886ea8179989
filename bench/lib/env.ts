import type { BenchOptions } from './options.js'
import type { Row } from './report.js'

/** What every benchmark gets: the options, the temp directory, where results go. */
export interface BenchEnv {
  o: BenchOptions
  /** Temp directory for every database file of this run (removed at the end unless --keep). */
  dir: string
  /** The ledger built by the service receipt (benchmark 1), shared by benchmarks 2–5. */
  ledgerFile: string
  rows: Row[]
  /** Everything measured, keyed by benchmark, for results.json. */
  details: Record<string, unknown>
  log(message: string): void
}
