import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { systemClock } from '../src/core/clock.js'
import { connect } from '../src/db/connect.js'
import {
  appendLeaves,
  emptyRange,
  ensureSigningKey,
  exportUnitPack,
  inclusionPath,
  leafHash,
  makeCheckpoint,
  type ProofSettings,
  proveInclusion,
  rangeRoot,
  readCheckpointFiles,
  readSigningKey,
  startCheckpointer,
  verifyAgainstCheckpoints,
} from '../src/modules/proofs/index.js'
import type { BenchEnv } from './lib/env.js'
import { runWorker } from './lib/child.js'
import { CUSTOMER, LEDGER_PREFIX, serialOf, serialWidth } from './lib/fixtures.js'
import { rateRow } from './lib/report.js'
import type { AppServer } from './lib/server.js'
import { fmt } from './lib/stats.js'
import type { LoadInput, LoadOutput } from './workers/load.js'

/** Rounds of sells, periodic checkpointing off and on in an ABBA BAAB order, so drift hits both alike. */
const PATTERN = [false, true, true, false, true, false, false, true]
const ROUNDS = PATTERN.length
/** The checkpoint interval while on: far shorter than the 300 s default, to make its cost visible. */
const INTERVAL_SECONDS = 1
/** Checkpointing may cost at most this share of sell throughput (issue 12). */
const MAX_COST = 0.1
/** Leaves of the in-memory tree figures: a ledger of a million events. */
const MILLION = 1_000_000

const seconds = async <T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> => {
  const t0 = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - t0 }
}

/**
 * Benchmark 6: checkpoints and proofs. On the ledger of benchmark 1 (one receipt of N units): the time to
 * make the first checkpoint, the next one, an inclusion proof, a unit's evidence pack and `verify
 * --checkpoint`; the same tree operations in memory over a million events; then HTTP sells with periodic
 * checkpointing on and off, interleaved in one run.
 */
export async function benchProofs(env: BenchEnv, server: AppServer): Promise<void> {
  const { o } = env
  const settings: ProofSettings = {
    signingKeyFile: join(env.dir, 'signing-key.pem'),
    witness: join(env.dir, 'witness'),
  }
  ensureSigningKey(settings.signingKeyFile)
  const db = connect(`sqlite:${env.ledgerFile}`)
  const ctx = { db, clock: systemClock }
  const bench = `6 proofs on a ${fmt(o.units / 1000, 0)}k-unit ledger`
  const timings: Record<string, number> = {}
  try {
    const first = await seconds(() => makeCheckpoint(ctx, settings))
    timings.firstCheckpointMs = first.ms
    timings.nextCheckpointMs = (await seconds(() => makeCheckpoint(ctx, settings))).ms
    const events = first.value!.checkpoint.treeSize
    timings.inclusionProofMs = (await seconds(() => proveInclusion(db, 1))).ms
    const serial = serialOf(LEDGER_PREFIX, 1, serialWidth(o.units))
    timings.unitPackMs = (await seconds(() => exportUnitPack(db, serial, undefined, new Date()))).ms
    const key = readSigningKey(settings.signingKeyFile).publicKey
    const files = readCheckpointFiles([settings.witness])
    timings.verifyCheckpointsMs = (await seconds(() => verifyAgainstCheckpoints(db, files, key))).ms
    env.log(
      `proofs: ${events} events; first checkpoint ${fmt(timings.firstCheckpointMs)} ms, next ` +
        `${fmt(timings.nextCheckpointMs)} ms, inclusion proof ${fmt(timings.inclusionProofMs)} ms, ` +
        `unit pack ${fmt(timings.unitPackMs)} ms, verify --checkpoint ${fmt(timings.verifyCheckpointsMs)} ms`,
    )
    const leaves = Array.from({ length: MILLION }, () => leafHash(randomBytes(64)))
    timings.treeOfMillionMs = (await seconds(() => rangeRoot(appendLeaves(emptyRange(), leaves)))).ms
    timings.pathInMillionMs = (await seconds(() => inclusionPath(leaves, 123_456))).ms
    env.log(
      `proofs: in memory, 1M events: root from leaf hashes ${fmt(timings.treeOfMillionMs)} ms, ` +
        `one audit path ${fmt(timings.pathInMillionMs)} ms`,
    )
    env.rows.push(
      {
        bench,
        metric: 'first checkpoint (whole tree)',
        unit: 'ms',
        service: timings.firstCheckpointMs,
        note: `${events} events`,
      },
      { bench, metric: 'next checkpoint (from the stored edge)', unit: 'ms', service: timings.nextCheckpointMs },
      { bench, metric: 'inclusion proof of the receipt event', unit: 'ms', service: timings.inclusionProofMs },
      {
        bench,
        metric: 'evidence pack of one unit',
        unit: 'ms',
        service: timings.unitPackMs,
        note:
          'finds the unit, its events and their proofs; the receipt is over the pack line limit, ' +
          'so its lines stay out',
      },
      { bench, metric: 'verify --checkpoint (2 files + 2 rows)', unit: 'ms', service: timings.verifyCheckpointsMs },
      {
        bench: '6 proofs, 1M events in memory',
        metric: 'tree root from 1M leaf hashes',
        unit: 'ms',
        service: timings.treeOfMillionMs,
        note: `one audit path in the same tree ${fmt(timings.pathInMillionMs)} ms (reading 1M event rows comes on top)`,
      },
    )
  } finally {
    await db.close()
  }
  await sellsWithCheckpointing(env, server, settings, timings)
}

async function sellsWithCheckpointing(
  env: BenchEnv,
  server: AppServer,
  settings: ProofSettings,
  timings: Record<string, number>,
): Promise<void> {
  const { o } = env
  const width = serialWidth(o.units)
  const perRound = Math.ceil(o.sells / ROUNDS)
  const perClient = Math.ceil(perRound / o.connections)
  // The middle of the range: benchmark 3 sells from the bottom (HTTP) and the top (raw).
  let next = Math.floor(o.units / 2)
  if (next + (ROUNDS + 1) * o.connections * perClient > o.units) throw new Error('the ledger is too small for --sells')
  const load = async (amount: number) => {
    const each = Math.ceil(amount / o.connections)
    const plan = { prefix: LEDGER_PREFIX, width, customer: CUSTOMER, firstIndex: next, perClient: each }
    next += o.connections * each
    const input: LoadInput = {
      origin: server.origin,
      connections: o.connections,
      amount,
      maxSeconds: o.sellMaxSeconds,
      headers: server.headers,
      plan: { kind: 'sell', path: '/api/v1/sales', ...plan },
    }
    return (await runWorker<LoadInput, LoadOutput>('load', input)).result
  }
  env.log(`proofs: sell warm-up`)
  await load(o.connections * 20)
  const runs = { off: [] as LoadOutput[], on: [] as LoadOutput[] }
  let made = 0
  for (let round = 0; round < ROUNDS; round++) {
    const on = PATTERN[round]!
    const failures: unknown[] = []
    const checkpointer = on
      ? startCheckpointer({ db: server.db, clock: systemClock }, settings, INTERVAL_SECONDS, (e) => failures.push(e))
      : undefined
    const before = readCheckpointFiles([settings.witness]).length
    const r = await load(perRound)
    await checkpointer?.stop()
    if (failures.length > 0) throw new Error(`periodic checkpoints failed: ${String(failures[0])}`)
    if (on) made += readCheckpointFiles([settings.witness]).length - before
    env.log(
      `proofs: sells with checkpoints ${on ? `every ${INTERVAL_SECONDS} s` : 'off'}: ${fmt(r.rps)} req/s, ` +
        `p99 ${fmt(r.latencyMs.p99)} ms, non-2xx ${r.non2xx}`,
    )
    runs[on ? 'on' : 'off'].push(r)
  }
  const rate = (rs: LoadOutput[]) => rs.reduce((n, r) => n + r.ok, 0) / rs.reduce((s, r) => s + r.seconds, 0)
  const [on, off] = [rate(runs.on), rate(runs.off)]
  env.rows.push(
    rateRow(
      {
        bench: `6 HTTP sell, ${o.connections} conns, periodic checkpoints`,
        metric: `throughput, checkpoint every ${INTERVAL_SECONDS} s vs off`,
        unit: 'req/s',
        service: on,
        raw: off,
        note:
          `raw column = the same sells with checkpointing off, interleaved (off on on off on off off on); ` +
          `${made} checkpoints made while on; ` +
          `rounds off ${runs.off.map((r) => fmt(r.rps)).join(', ')}, on ${runs.on.map((r) => fmt(r.rps)).join(', ')}`,
      },
      1 - MAX_COST,
    ),
  )
  env.details.proofs = { timings, sell: { on, off, made, interval: INTERVAL_SECONDS } }
}
