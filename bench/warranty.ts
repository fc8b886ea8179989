import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock } from '../src/core/clock.js'
import { connect, type Db } from '../src/db/connect.js'
import { buildApp } from '../src/http/app.js'
import { execute } from '../src/modules/operations/index.js'
import { sell } from '../src/modules/sales/index.js'
import { verifyReturn } from '../src/modules/sales/return.queries.js'
import { findWarrantyUnit, rotateCheckToken, warrantyLookup } from '../src/modules/warranty/index.js'
import type { BenchEnv } from './lib/env.js'
import { runWorker } from './lib/child.js'
import { ACTOR, CUSTOMER, LEDGER_PREFIX, serialOf, serialWidth, SITE } from './lib/fixtures.js'
import { rateRow, timeRow } from './lib/report.js'
import { type AppServer, listenBare } from './lib/server.js'
import { distribution, fmt } from './lib/stats.js'
import type { LoadInput, LoadOutput } from './workers/load.js'

/** Units sold (and checked) out of the ledger, in sales of SALE_SIZE; public-check tokens issued. */
const SOLD = 2000
const SALE_SIZE = 500
const TOKENS = 500
const HTTP_SAMPLES = 1000

/** The raw indexed reads each service call is compared with, as prepared better-sqlite3 statements. */
function rawReads(db: Db) {
  const s = db.sqlite!
  const unit = s.prepare(
    `select u.id, u.serial, u.status, u.sold_at, u.received_at, u.customer_id, u.order_ref, u.lot_id,
            s.code, s.name, s.warranty_months, s.return_window_days
     from unit u join sku s on s.id = u.sku_id where u.serial = ?`,
  )
  const events = s.prepare(
    `select e.seq, e.type, e.occurred_at, e.payload, l.path from event_unit eu join event e on e.seq = eu.event_seq
     left join location l on l.id = e.from_location_id where eu.unit_id = ? order by e.seq`,
  )
  const policy = s.prepare('select * from warranty_policy where sku_id = (select sku_id from unit where id = ?)')
  const token = s.prepare(
    `select u.status, u.sold_at, s.name from public_check_token t join unit u on u.id = t.unit_id
     join sku s on s.id = u.sku_id where t.token_hash = ? and t.revoked_at is null`,
  )
  return {
    warranty: (serial: string) => {
      const u = unit.get(serial) as { id: string }
      return { u, e: events.all(u.id), p: policy.get(u.id) }
    },
    verify: (serial: string) => {
      const u = unit.get(serial) as { id: string }
      return { u, e: events.all(u.id) }
    },
    check: (t: string) => token.get(createHash('sha256').update(t).digest('hex')),
  }
}

/** A bare node:http server doing the raw reads: the HTTP baseline. */
async function bareServer(db: Db) {
  const raw = rawReads(db)
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const code = url.searchParams.get('code') ?? ''
    const body = JSON.stringify(
      url.pathname === '/warranty'
        ? raw.warranty(code)
        : url.pathname === '/verify'
          ? raw.verify(code)
          : (raw.check(url.pathname.slice('/check/'.length)) ?? {}),
    )
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  return listenBare(server)
}

/** Times `n` calls of each side, alternating which goes first; returns the two distributions (ms). */
async function alternate(n: number, service: (i: number) => Promise<unknown>, raw: (i: number) => unknown) {
  const [s, r] = [[] as number[], [] as number[]]
  for (let i = -Math.min(200, n); i < n; i++) {
    const runS = async () => {
      const t0 = performance.now()
      await service(i)
      if (i >= 0) s.push(performance.now() - t0)
    }
    const runR = async () => {
      const t0 = performance.now()
      await raw(i)
      if (i >= 0) r.push(performance.now() - t0)
    }
    if (i % 2 === 0) await runS().then(runR)
    else await runR().then(runS)
  }
  return { service: distribution(s), raw: distribution(r) }
}

/**
 * Benchmark 10: warranty lookup and return verification p50/p99 in process and over HTTP (one client,
 * sequential) on the ledger, next to the raw indexed reads (prepared statements; a bare node:http server
 * for HTTP); then the public check's requests/s at C clients next to a bare node:http endpoint.
 */
export async function benchWarranty(env: BenchEnv, server: AppServer): Promise<void> {
  const { o } = env
  const db = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: o.synchronous })
  const ctx = { db, clock: systemClock }
  const width = serialWidth(o.units)
  // From the top half of the ledger: the sell benchmarks sell from its start.
  const count = Math.min(SOLD, Math.floor(o.units / 2))
  const step = Math.max(1, Math.floor(o.units / 2 / count))
  const sold = Array.from({ length: count }, (_, i) => serialOf(LEDGER_PREFIX, o.units - i * step, width))
  env.log(`warranty: selling ${fmt(sold.length)} units spread over the ledger's top half, ${TOKENS} check tokens`)
  for (let i = 0; i < sold.length; i += SALE_SIZE)
    await execute(
      ctx,
      sell,
      { actor: ACTOR },
      { customer: CUSTOMER, orderRef: `W-${i}`, units: sold.slice(i, i + SALE_SIZE) },
    )
  const tokens: string[] = []
  for (const serial of sold.slice(0, TOKENS))
    tokens.push((await execute(ctx, rotateCheckToken, { actor: ACTOR }, { serial })).result.token)
  const raw = rawReads(db)
  const pick = (i: number) => sold[Math.abs(i * 7919) % sold.length]!
  const today = new Date().toISOString()
  const verifyBody = (serial: string) => ({
    location: SITE,
    customer: CUSTOMER,
    units: [serial],
    quantities: [],
    overrides: [],
  })
  const rows = []
  const bench = `10 warranty (${fmt(o.units / 1000, 0)}k ledger)`
  try {
    env.log(`warranty: ${fmt(o.lookups)} in-process lookups and verifications, service and raw alternating`)
    const look = await alternate(
      o.lookups,
      async (i) => warrantyLookup(db.kysely, await findWarrantyUnit(db, pick(i)), today),
      (i) => raw.warranty(pick(i)),
    )
    const ver = await alternate(
      o.lookups,
      (i) => verifyReturn(db.kysely, verifyBody(pick(i)) as never, new Date()),
      (i) => raw.verify(pick(i)),
    )
    const bare = await bareServer(db)
    const get = async (url: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url, { headers })
      if (!res.ok) throw new Error(`${url}: ${res.status}`)
      return res.text()
    }
    const post = async (url: string, body: unknown) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...server.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`)
      return res.text()
    }
    env.log(`warranty: ${HTTP_SAMPLES} sequential HTTP lookups and verifications per side`)
    const lookHttp = await alternate(
      HTTP_SAMPLES,
      (i) => get(`${server.origin}/api/v1/warranty?code=${pick(i)}`, server.headers),
      (i) => get(`${bare.origin}/warranty?code=${pick(i)}`),
    )
    const verHttp = await alternate(
      HTTP_SAMPLES,
      (i) => post(`${server.origin}/api/v1/returns/verify`, verifyBody(pick(i))),
      (i) => get(`${bare.origin}/verify?code=${pick(i)}`),
    )
    // The public check is rate limited per client; the load generator is one client, so this app
    // instance (same file, no stock commands) lifts the limit for the measurement.
    process.env.SERIAL_LEDGER_PUBLIC_CHECKS_PER_MINUTE = '100000000'
    const app = await buildApp({ db, clock: systemClock, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    delete process.env.SERIAL_LEDGER_PUBLIC_CHECKS_PER_MINUTE
    const appOrigin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const load = async (origin: string, prefix: string, seconds: number) => {
      const r = await runWorker<LoadInput, LoadOutput>('load', {
        origin,
        connections: o.connections,
        duration: seconds,
        maxSeconds: seconds + 30,
        plan: { kind: 'paths', paths: tokens.map((t) => `${prefix}${t}`) },
      })
      if (r.result.non2xx || r.result.errors) throw new Error(`public check: ${JSON.stringify(r.result.statusCodes)}`)
      return r.result
    }
    env.log(`warranty: public check, ${o.lookupSeconds} s per side at ${o.connections} connections`)
    await load(appOrigin, '/api/v1/public/check/', 2)
    await load(bare.origin, '/check/', 2)
    const checkApp = await load(appOrigin, '/api/v1/public/check/', o.lookupSeconds)
    const checkBare = await load(bare.origin, '/check/', o.lookupSeconds)
    await app.close()
    await bare.close()
    const pair = (metric: string, m: { service: { p50: number; p99: number }; raw: { p50: number; p99: number } }) => [
      timeRow({ bench, metric: `${metric} p50`, unit: 'ms', service: m.service.p50, raw: m.raw.p50 }),
      timeRow({ bench, metric: `${metric} p99`, unit: 'ms', service: m.service.p99, raw: m.raw.p99 }),
    ]
    rows.push(
      ...pair('lookup in process', look),
      ...pair('return verify in process', ver),
      ...pair('lookup HTTP', lookHttp),
      ...pair('return verify HTTP', verHttp),
      rateRow({
        bench,
        metric: `public check, ${o.connections} conns`,
        unit: 'req/s',
        service: checkApp.rps,
        raw: checkBare.rps,
        note:
          `p99 ${fmt(checkApp.latencyMs.p99)} vs bare ${fmt(checkBare.latencyMs.p99)} ms; ` +
          'each check also logs a row (batched)',
      }),
    )
    env.rows.push(...rows)
    env.details.warranty = { sold: sold.length, tokens: TOKENS, look, ver, lookHttp, verHttp, checkApp, checkBare }
  } finally {
    await db.close()
  }
}
