import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import type { Db } from '../../src/db/connect.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import type { UnitStatus } from '../../src/modules/units/unit-status.rules.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'
import { appWithUsers } from '../http.js'
import { type Child, httpClient, type HttpReply, replayUnitLines, spawnScript } from './support.js'

/*
 * Concurrency stress: for STRESS_SECONDS (default 10) per dialect, STRESS_CLIENTS (default 16) client
 * loops sell, move, transfer, receive transfers, return and restock an overlapping pool of units over
 * real HTTP, spread over two server instances with their own connections (pools) to one database, while
 * a child process receives deliveries straight through the service layer on its own connection (a CLI
 * import; IMPORT_PAUSE_MS, default 20, between its receipts). Clients read a unit's status and then act
 * on it, so they race each other between the read and the write; the losers must get a 4xx problem with
 * a rule's code, never a 5xx or a lock error.
 * Afterwards: no unit sold twice without a return in between (nor any other illegal transition in the
 * ledger), the ledger verifies, and the units per status add up to the units received.
 * The figures are printed, prefixed [stress].
 */
const SECONDS = Number(process.env.STRESS_SECONDS ?? 10)
const CLIENTS = Number(process.env.STRESS_CLIENTS ?? 16)
const SCENARIO = `${CLIENTS} clients on two server instances plus an outside importer, for ${SECONDS} s`
/** Units every client picks from: few enough that clients collide on them all the time. */
const POOL = 120
/** Refusals a client may get when it lost a race or picked a unit in the wrong state. */
// return.unverified: returns are verified against the sale (warranty merge); a raced return is refused so.
const RULE_CODES = new Set(['unit.illegal_transition', 'unit.wrong_location', 'transfer.invalid', 'return.unverified'])

const log = (msg: string) => console.log(`[stress] ${msg}`)
const dialects = DIALECTS.filter((d) => !process.env.RELIABILITY_DIALECT || d.name === process.env.RELIABILITY_DIALECT)

type Op = 'sell' | 'keyedSell' | 'move' | 'transfer' | 'receiveTransfer' | 'return' | 'restock'

interface Tally {
  attempted: number
  succeeded: number
  refused: Map<string, number>
  byOp: Map<Op, { attempted: number; succeeded: number }>
  lookups: number
  /** Anything that is neither a success nor a 4xx rule refusal: a 5xx, a lock error, a dropped connection… */
  bad: string[]
  latencies: number[]
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

for (const dialect of dialects) {
  describe(`${dialect.name}: ${SCENARIO}`, () => {
    let db: TestDb
    let second: Db
    let apps: FastifyInstance[] = []
    let urls: string[]
    let token: string
    const w = {
      sku: '',
      siteA: '',
      binA: '',
      siteB: '',
      supplier: '',
      customer: '',
      importSku: '',
      serials: [] as string[],
    }

    beforeAll(async () => {
      db = await dialect.create({ file: true })
      second = db.reopen()
      const [one, two] = [await appWithUsers(db), await appWithUsers(second)]
      apps = [one.app, two.app]
      token = (await one.as('clerk', { username: 'stress-clerk' })).token
      urls = [
        await one.app.listen({ port: 0, host: '127.0.0.1' }),
        await two.app.listen({ port: 0, host: '127.0.0.1' }),
      ]
      const g = givens({ db, clock: systemClock })
      const [sku, importSku] = [await g.sku(), await g.sku()]
      const [a, b] = [await g.site({ kind: 'store' }), await g.site({ kind: 'warehouse' })]
      const bin = await g.child((await g.child(a.code, 'zone')).code, 'bin')
      Object.assign(w, {
        sku: sku.code,
        importSku: importSku.code,
        siteA: a.code,
        binA: bin.code,
        siteB: b.code,
        supplier: (await g.supplier()).code,
        customer: (await g.customer()).code,
      })
      w.serials = Array.from({ length: POOL }, (_, i) => `ST-${String(i + 1).padStart(4, '0')}`)
      await g.receipt({
        supplier: w.supplier,
        location: w.siteA,
        lines: [{ sku: w.sku, serials: w.serials.slice(0, POOL / 2) }],
      })
      await g.receipt({
        supplier: w.supplier,
        location: w.siteB,
        lines: [{ sku: w.sku, serials: w.serials.slice(POOL / 2) }],
      })
    })

    afterAll(async () => {
      for (const app of apps) await app.close()
      await second?.close()
      await db?.drop()
    })

    it(
      'no 5xx and no lock error; every unit sold at most once between returns; the ledger verifies; statuses add up',
      async () => {
        const tally: Tally = {
          attempted: 0,
          succeeded: 0,
          refused: new Map(),
          byOp: new Map(),
          lookups: 0,
          bad: [],
          latencies: [],
        }
        const transfers: string[] = []
        const deadline = performance.now() + SECONDS * 1000

        // The outside writer: its own process and connection, receipts through the service layer.
        const importer: Child = spawnScript('./import-process.ts', {
          DATABASE_URL: db.url,
          IMPORT_MS: String(SECONDS * 1000),
          IMPORT_SKU: w.importSku,
          IMPORT_LOCATION: w.siteB,
          IMPORT_SUPPLIER: w.supplier,
          ...(process.env.IMPORT_PAUSE_MS ? { IMPORT_PAUSE_MS: process.env.IMPORT_PAUSE_MS } : {}),
        })

        async function send(
          op: Op,
          api: ReturnType<typeof httpClient>,
          path: string,
          body: unknown,
          headers?: Record<string, string>,
        ): Promise<HttpReply | undefined> {
          tally.attempted++
          const stats = tally.byOp.get(op) ?? { attempted: 0, succeeded: 0 }
          tally.byOp.set(op, stats)
          stats.attempted++
          let reply: HttpReply
          try {
            reply = await api.post(path, body, headers)
          } catch (e) {
            tally.bad.push(`${op} ${path}: request failed: ${(e as Error).message}`)
            return undefined
          }
          tally.latencies.push(reply.ms)
          const text = JSON.stringify(reply.body)
          const isProblem = (reply.headers.get('content-type') ?? '').startsWith('application/problem+json')
          if (/database is locked|SQLITE_BUSY/i.test(text))
            tally.bad.push(`${op} ${path}: ${reply.status} lock error: ${text}`)
          else if (reply.status >= 200 && reply.status < 300) {
            tally.succeeded++
            stats.succeeded++
            return reply
          } else if (reply.status >= 400 && reply.status < 500 && isProblem && RULE_CODES.has(reply.body?.code)) {
            tally.refused.set(reply.body.code, (tally.refused.get(reply.body.code) ?? 0) + 1)
          } else tally.bad.push(`${op} ${path}: ${reply.status} ${text}`)
          return undefined
        }

        /**
         * A till that retries at once with the same Idempotency-Key, on the other instance or on the same one
         * (where, on SQLite, both may land in one group commit): both requests race. At most one may
         * execute; a success sent twice is one sale, answered twice with the same body.
         */
        const keyed = { pairs: 0, executed: 0, replayed: 0, keys: new Set<string>() }
        async function keyedSell(i: number, k: number, units: string[]) {
          const key = `till-${i}-${k}`
          const body = { customer: w.customer, orderRef: `K${i}-${k}`, units }
          const first = urls[i % urls.length]!
          const targets = [first, Math.random() < 0.5 ? first : urls[(i + 1) % urls.length]!]
          const replies = await Promise.all(
            targets.map((url) => send('keyedSell', httpClient(url, token), '/sales', body, { 'idempotency-key': key })),
          )
          const ok = replies.filter((r): r is HttpReply => r !== undefined)
          const replayed = ok.filter((r) => r.headers.get('idempotent-replayed') === 'true')
          keyed.pairs++
          if (ok.length - replayed.length > 1)
            tally.bad.push(`idempotency key ${key} executed ${ok.length - replayed.length} times`)
          if (ok.length > 0 && ok.some((r) => JSON.stringify(r.body) !== JSON.stringify(ok[0]!.body)))
            tally.bad.push(`idempotency key ${key} answered with different bodies`)
          if (ok.length > replayed.length) {
            keyed.executed++
            keyed.keys.add(key)
          }
          keyed.replayed += replayed.length
        }

        async function client(i: number) {
          const api = httpClient(urls[i % urls.length]!, token)
          const siteOf = (path: string) => path.split('/')[1]!
          for (let k = 0; performance.now() < deadline; k++) {
            const serial = pick(w.serials)
            // Mostly one unit, acted on according to the status just read (and raced for by others);
            // sometimes two or three units in one operation, which succeeds only if all of them may.
            const units = Math.random() < 0.8 ? [serial] : [...new Set([serial, pick(w.serials), pick(w.serials)])]
            tally.lookups++
            const seen = await api.get(`/units/lookup?code=${serial}`)
            if (seen.status !== 200) {
              tally.bad.push(`lookup ${serial}: ${seen.status} ${JSON.stringify(seen.body)}`)
              continue
            }
            const unit = seen.body[0] as {
              status: UnitStatus
              location: { path: string } | null
              transfer: string | null
            }
            const r = Math.random()
            switch (unit.status) {
              case 'in_stock':
                if (r < 0.1) await keyedSell(i, k, units)
                else if (r < 0.5)
                  await send('sell', api, '/sales', { customer: w.customer, orderRef: `C${i}-${k}`, units })
                else if (r < 0.75)
                  await send('move', api, '/moves', { to: pick([w.siteA, w.binA, w.siteB]), units, reason: 'stress' })
                else {
                  // From the unit's site (the other units may be elsewhere), to the other site.
                  const from = siteOf(unit.location!.path)
                  const shipped = await send('transfer', api, '/transfers', {
                    from,
                    to: from === w.siteA ? w.siteB : w.siteA,
                    units,
                  })
                  if (shipped) transfers.push(shipped.body.number)
                }
                break
              case 'in_transit':
                // Either just this unit, or everything still in transit on its transfer.
                await send('receiveTransfer', api, `/transfers/${unit.transfer}/receipt`, r < 0.5 ? { units } : {})
                break
              case 'sold':
                await send('return', api, '/returns', {
                  location: pick([w.siteA, w.binA, w.siteB]),
                  customer: w.customer,
                  units,
                  reason: 'changed mind',
                })
                break
              case 'returned':
                if (r < 0.7) await send('restock', api, '/restocks', { units })
                else await send('move', api, '/moves', { to: pick([w.siteA, w.binA, w.siteB]), units })
                break
              default:
                tally.bad.push(`unit ${serial} is ${unit.status}, which no operation here produces`)
            }
            // Now and then a transfer that may already have been received, by someone else.
            if (transfers.length > 0 && Math.random() < 0.05)
              await send('receiveTransfer', api, `/transfers/${pick(transfers)}/receipt`, {})
          }
        }

        const started = performance.now()
        await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)))
        const elapsed = (performance.now() - started) / 1000
        const imported = await importer.exited
        const summaryLine = /SUMMARY (.*)/.exec(importer.output())
        const importSummary = summaryLine
          ? (JSON.parse(summaryLine[1]!) as {
              receipts: number
              units: number
              maxMs: number
              totalMs: number
              errors: string[]
            })
          : undefined

        const lat = [...tally.latencies].sort((a, b) => a - b)
        const pct = (p: number) =>
          lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!.toFixed(0) : '-'
        const refusedTotal = [...tally.refused.values()].reduce((a, b) => a + b, 0)
        log(
          `${dialect.name}: ${CLIENTS} clients on 2 instances for ${elapsed.toFixed(1)} s: ` +
            `${tally.attempted} operations attempted, ${tally.succeeded} succeeded, ` +
            `${refusedTotal} refused (${[...tally.refused].map(([c, n]) => `${c} ${n}`).join(', ')}), ` +
            `${tally.bad.length} bad; ` +
            `${(tally.attempted / elapsed).toFixed(0)} ops/s attempted, ` +
            `${(tally.succeeded / elapsed).toFixed(0)} ops/s succeeded; plus ${tally.lookups} lookups`,
        )
        const perOp = [...tally.byOp].map(([op, s]) => `${op} ${s.succeeded}/${s.attempted}`).join(', ')
        log(
          `${dialect.name}: per operation: ${perOp}; ` +
            `write latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`,
        )
        log(
          `${dialect.name}: same Idempotency-Key sent twice at once (same or other instance): ` +
            `${keyed.pairs} pairs, ${keyed.executed} executed, ${keyed.replayed} answered as replays`,
        )
        const importStats = (s: NonNullable<typeof importSummary>) =>
          `${s.receipts} receipts, ${s.units} units, slowest ${s.maxMs.toFixed(0)} ms, ` +
          `mean ${(s.totalMs / Math.max(1, s.receipts + s.errors.length)).toFixed(0)} ms, ${s.errors.length} errors`
        log(`${dialect.name}: importer process: ${importSummary ? importStats(importSummary) : 'no summary'}`)

        // 1. Every answer was a success or a rule's refusal; the importer never failed either.
        expect(tally.bad.slice(0, 10)).toEqual([])
        expect(imported.code, importer.output()).toBe(0)
        expect(importSummary?.errors).toEqual([])
        expect(importSummary!.receipts).toBeGreaterThan(0)
        expect(tally.succeeded).toBeGreaterThan(0)
        expect(tally.byOp.get('sell')?.succeeded).toBeGreaterThan(0)
        // Each keyed sale that executed left one idempotency record, and nothing else did (the importer's keys aside).
        const records = await db.kysely
          .selectFrom('idempotency')
          .select('key')
          .where('key', 'like', '%:till-%')
          .execute()
        expect(records.map((r) => r.key.slice(r.key.indexOf(':') + 1)).sort()).toEqual([...keyed.keys].sort())

        // 2. Replay every unit's events in ledger order through the state machine: no unit was sold twice
        // without a return in between, and no other transition was illegal either.
        const { lines, status, doubleSales, illegal } = await replayUnitLines(db)
        const sold = lines.filter((l) => l.type === 'sold').length
        log(
          `${dialect.name}: ledger: ${lines.length} unit lines, ${sold} unit sales, ` +
            `${doubleSales.length} double sales, ${illegal.length} illegal transitions`,
        )
        expect(doubleSales).toEqual([])
        expect(illegal.slice(0, 10)).toEqual([])

        // 3. The hash chain holds and the projections equal a replay of the ledger.
        const t = performance.now()
        const report = await verifyLedger(db)
        log(`${dialect.name}: verify: ${JSON.stringify(report)} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
        expect(report).toVerify()

        // 4. Units per status add up to the units received (the pool plus what the importer received), and
        // agree with the status the ledger replay above ended in.
        const perStatus = await db.kysely
          .selectFrom('unit')
          .select(['status', sql<number>`count(*)`.as('n')])
          .groupBy('status')
          .execute()
        const byStatus = Object.fromEntries(perStatus.map((r) => [r.status, Number(r.n)]))
        const received = await db.kysely
          .selectFrom('event')
          .select(sql<number>`coalesce(sum(unit_count), 0)`.as('n'))
          .where('type', '=', 'received')
          .executeTakeFirstOrThrow()
        const total = Object.values(byStatus).reduce((a, b) => a + b, 0)
        log(
          `${dialect.name}: units per status: ${JSON.stringify(byStatus)}; ` +
            `total ${total}; received ${Number(received.n)}`,
        )
        expect(total).toBe(Number(received.n))
        expect(total).toBe(POOL + importSummary!.units)
        const replayed: Record<string, number> = {}
        for (const s of status.values()) replayed[s] = (replayed[s] ?? 0) + 1
        expect(byStatus).toEqual(replayed)
      },
      SECONDS * 1000 + 180_000,
    )
  })
}
