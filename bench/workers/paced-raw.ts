import { setTimeout as sleep } from 'node:timers/promises'
import { connect } from '../../src/db/connect.js'
import { serveWorker } from '../lib/child.js'
import { createRawEventTable, minimalSale } from '../lib/raw-sale.js'
import { distribution, type Distribution } from '../lib/stats.js'

export interface PacedRawInput {
  dbFile: string
  synchronous: 'FULL' | 'NORMAL'
  /** Transactions per second, on a fixed schedule. */
  rate: number
  /** The in-stock units to sell, one per transaction, in order. */
  serials: string[]
  customer: string
  maxSeconds: number
}

export interface PacedRawOutput {
  offeredRate: number
  count: number
  seconds: number
  rate: number
  /** From when each transaction was due (by the schedule) to its commit. */
  latencyMs: Distribution
  /** From when each transaction began to its commit. */
  serviceMs: Distribution
  /** How late each transaction began behind its schedule (the previous one still ran, or the timer was late). */
  lateMs: Distribution
  /** Every latency from its due time (ms), for pooling several runs. */
  samples: number[]
}

/**
 * The raw side of the open-loop sell runs: the raw "update unit + insert event row" transaction
 * (`begin immediate … commit`, one connection, the project's pragmas) on a fixed schedule, transaction i
 * due at i / rate seconds, latency measured from its due time, like the paced HTTP clients'. It is the
 * floor the machine itself puts under a sale's latency at that rate: fsync time, checkpoints, timer and
 * CPU delays of a shared machine, without HTTP, threads or group commit.
 */
serveWorker<PacedRawInput, PacedRawOutput>(async ({ dbFile, synchronous, rate, serials, customer, maxSeconds }) => {
  const db = connect(`sqlite:${dbFile}`, { sqliteSynchronous: synchronous })
  const raw = db.sqlite!
  createRawEventTable(raw)
  const idOf = raw.prepare('select id from unit where serial = ?').pluck()
  const ids = serials.map((serial) => idOf.get(serial) as string)
  const customerId = raw.prepare('select id from party where code = ?').pluck().get(customer) as string
  const step = minimalSale(raw, customerId, 'f'.repeat(64))
  const begin = raw.prepare('begin immediate')
  const commit = raw.prepare('commit')
  const latencies: number[] = []
  const service: number[] = []
  const late: number[] = []
  const start = performance.now() + 50
  const deadline = start + maxSeconds * 1000
  let last = start
  for (let i = 0; i < ids.length; i++) {
    const due = start + (i * 1000) / rate
    if (due > deadline) break
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    const began = performance.now()
    begin.run()
    step(ids[i]!, serials[i]!)
    commit.run()
    last = performance.now()
    latencies.push(last - due)
    service.push(last - began)
    late.push(began - due)
  }
  await db.close()
  const seconds = (last - start) / 1000
  return {
    offeredRate: rate,
    count: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    latencyMs: distribution(latencies),
    serviceMs: distribution(service),
    lateMs: distribution(late),
    samples: latencies,
  }
})
