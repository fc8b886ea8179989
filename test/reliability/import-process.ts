/*
 * A writer outside the server, like `serial-ledger import receipts` running next to it: receives
 * receipts through the service layer, on its own database connection, in a loop for IMPORT_MS
 * milliseconds, pausing IMPORT_PAUSE_MS (default 20) between receipts, then prints `SUMMARY {json}`
 * (receipts, units, slowest receipt, every error). With no pause it takes the write lock back the moment
 * it has committed, and the server mostly waits (SQLite's busy handler sleeps; it does not queue).
 *
 *   DATABASE_URL=… IMPORT_MS=10000 IMPORT_SKU=… IMPORT_LOCATION=… IMPORT_SUPPLIER=… \
 *     node --import tsx test/reliability/import-process.ts
 */
import { systemClock } from '../../src/core/clock.js'
import { connect } from '../../src/db/connect.js'
import { execute } from '../../src/modules/operations/index.js'
import { receive } from '../../src/modules/receiving/index.js'

const env = process.env
const db = connect(env.DATABASE_URL)
const ctx = { db, clock: systemClock }
const until = Date.now() + Number(env.IMPORT_MS ?? 10_000)
const pauseMs = Number(env.IMPORT_PAUSE_MS ?? 20)
const summary = { receipts: 0, units: 0, maxMs: 0, totalMs: 0, errors: [] as string[] }
for (let n = 1; Date.now() < until; n++) {
  // Mostly small deliveries, every tenth a larger one that holds the write lock for longer.
  const size = n % 10 === 0 ? 2000 : 200
  const request = {
    supplier: env.IMPORT_SUPPLIER!,
    location: env.IMPORT_LOCATION!,
    supplierRef: `IMPORT-${n}`,
    lines: [{ sku: env.IMPORT_SKU!, range: `IMP-${n}-{0001..${size}}` }],
  }
  const started = performance.now()
  try {
    const { result } = await execute(
      ctx,
      receive,
      { actor: 'cli-import', idempotencyKey: `import-${n}`, request },
      request,
    )
    summary.receipts++
    summary.units += result.unitCount
  } catch (e) {
    const err = e as { code?: string; message?: string }
    summary.errors.push(`${err.code ?? 'error'}: ${err.message}`)
  }
  const ms = performance.now() - started
  summary.maxMs = Math.max(summary.maxMs, ms)
  summary.totalMs += ms
  if (pauseMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, Math.min(pauseMs, until - Date.now()))))
}
await db.close()
process.stdout.write(`SUMMARY ${JSON.stringify(summary)}\n`)
