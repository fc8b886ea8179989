import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { systemClock } from '../src/core/clock.js'
import { connect, migrateToLatest } from '../src/db/connect.js'
import {
  CreateWebhookRequest,
  createWebhook,
  readFeed,
  setWebhookActive,
  signatureHeader,
  WebhookDeliverer,
} from '../src/modules/integrations/index.js'
import type { BenchEnv } from './lib/env.js'
import { runWorker } from './lib/child.js'
import { CUSTOMER, LEDGER_PREFIX, SITE, SKU, seedReferenceData, serialWidth } from './lib/fixtures.js'
import { rateRow } from './lib/report.js'
import type { AppServer } from './lib/server.js'
import { fmt } from './lib/stats.js'
import type { LoadInput, LoadOutput } from './workers/load.js'

/** Most seconds one side of the feed read may take (it reads the whole ledger when it can). */
const FEED_MAX_SECONDS = 60
const PAGE = 1000

/**
 * Benchmark 6: the outbound integrations on a ledger of `--events` events (1,000,000; one unit line
 * each, written with raw inserts: the feed and the deliverer read events, they do not check the chain).
 *  - feed read rate: GET /feed's query (readFeed, pages of 1000 with units by code) over the ledger,
 *    against raw prepared statements reading the same event and unit rows;
 *  - webhook delivery rate: the deliverer sending `--deliveries` outbox rows, signed, one POST each, to
 *    a local receiver, against a bare loop POSTing the same number of signed bodies (no database);
 *  - outbox overhead: HTTP sells/s (the sell benchmark's load, on the receipt ledger) with one active
 *    subscription (an outbox row per sale, the deliverer not running) over sells/s without, alternated.
 */
export async function benchWebhooks(env: BenchEnv, server: AppServer): Promise<void> {
  const file = join(env.dir, 'events.db')
  const db = connect(`sqlite:${file}`, { sqliteSynchronous: env.o.synchronous })
  try {
    await migrateToLatest(db)
    const ctx = { db, clock: systemClock }
    await seedReferenceData(ctx)
    const events = env.o.events
    buildEventLedger(env, db.sqlite!, events)
    await feedRead(env, db, events)
    await delivery(env, ctx, events)
  } finally {
    await db.close()
  }
  await outboxOverhead(env, server)
}

function buildEventLedger(env: BenchEnv, sqlite: NonNullable<ReturnType<typeof connect>['sqlite']>, n: number) {
  const t0 = performance.now()
  const sku = sqlite.prepare('select id from sku where code = ?').pluck().get(SKU) as string
  const site = sqlite.prepare('select id from location where code = ?').pluck().get(SITE) as string
  const event = sqlite.prepare(
    `insert into event values (?, ?, 'moved', ?, ?, 'bench', ?, null, 'bench', null, null, '{}', 1, 0, 'x', 'x', 'x')`,
  )
  const line = sqlite.prepare(`insert into event_unit values (?, 1, ?, ?, ?, null, null, null, null)`)
  const at = new Date('2026-01-01T00:00:00Z').toISOString()
  const insert = sqlite.transaction((from: number, to: number) => {
    for (let seq = from; seq <= to; seq++) {
      event.run(seq, `ev-${seq}`, at, at, site)
      line.run(seq, `unit-${seq % 10_000}`, sku, `${LEDGER_PREFIX}${seq}`)
    }
  })
  for (let from = 1; from <= n; from += 50_000) insert(from, Math.min(n, from + 49_999))
  sqlite.prepare('update ledger_head set seq = ? where id = 1').run(n)
  env.log(`webhooks: ledger of ${fmt(n)} events built in ${fmt((performance.now() - t0) / 1000)} s`)
}

async function feedRead(env: BenchEnv, db: ReturnType<typeof connect>, n: number) {
  const service = async () => {
    const t0 = performance.now()
    let cursor = 0
    let count = 0
    while (count < n && performance.now() - t0 < FEED_MAX_SECONDS * 1000) {
      const page = await readFeed(db.kysely, cursor, PAGE)
      count += page.events.length
      cursor = Number(page.cursor)
      if (!page.hasMore) break
    }
    return { count, seconds: (performance.now() - t0) / 1000 }
  }
  const raw = () => {
    const sqlite = db.sqlite!
    const events = sqlite.prepare('select * from event where seq > ? order by seq limit ?')
    const units = sqlite.prepare(
      `select u.event_seq, u.serial, s.code from event_unit u join sku s on s.id = u.sku_id
       where u.event_seq > ? and u.event_seq <= ? and u.line_no <= 1000 order by u.event_seq, u.line_no`,
    )
    const t0 = performance.now()
    let cursor = 0
    let count = 0
    while (count < n && performance.now() - t0 < FEED_MAX_SECONDS * 1000) {
      const rows = events.all(cursor, PAGE) as { seq: number }[]
      if (rows.length === 0) break
      const last = rows[rows.length - 1]!.seq
      units.all(cursor, last)
      count += rows.length
      cursor = last
    }
    return { count, seconds: (performance.now() - t0) / 1000 }
  }
  const s = await service()
  const r = raw()
  const [sRate, rRate] = [s.count / s.seconds, r.count / r.seconds]
  env.log(`webhooks: feed read ${fmt(sRate)} events/s (${fmt(s.count)}), raw ${fmt(rRate)} events/s`)
  env.details.feed = { service: s, raw: r }
  env.rows.push(
    rateRow({
      bench: '6 webhooks',
      metric: `feed read, ${fmt(n)}-event ledger`,
      unit: 'events/s',
      service: sRate,
      raw: rRate,
      note: `pages of ${PAGE}; ${fmt(s.count)} events read`,
    }),
  )
}

/** A receiver that answers 204 at once and counts. */
async function receiver(): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  let n = 0
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      n++
      res.writeHead(204).end()
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => n,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

async function delivery(env: BenchEnv, ctx: { db: ReturnType<typeof connect>; clock: typeof systemClock }, n: number) {
  const d = Math.min(env.o.deliveries, n)
  const rx = await receiver()
  try {
    const sub = await createWebhook(ctx, 'bench', CreateWebhookRequest.parse({ name: 'bench', url: rx.url }))
    // The outbox rows of the last d events, as the ledger writer would have queued them.
    ctx.db
      .sqlite!.prepare(
        `insert into webhook_delivery (subscription_id, event_seq, status, attempts, next_attempt_at)
       select ?, seq, 'pending', 0, recorded_at from event where seq > ?`,
      )
      .run(sub.id, n - d)
    const deliverer = new WebhookDeliverer(ctx.db, systemClock, { batch: 500 })
    const t0 = performance.now()
    while (rx.count() < d) {
      const r = await deliverer.runRound()
      if (r.delivered + r.failed === 0) break
    }
    const seconds = (performance.now() - t0) / 1000
    const delivered = rx.count()
    // Baseline: the same number of signed POSTs of a feed-sized body, one at a time, no database.
    const body = JSON.stringify((await readFeed(ctx.db.kysely, n - 1, 1)).events[0])
    const before = rx.count()
    const r0 = performance.now()
    for (let i = 0; i < d; i++) {
      const res = await fetch(rx.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-serial-ledger-signature': signatureHeader(sub.secret, Math.floor(Date.now() / 1000), body),
        },
      })
      await res.arrayBuffer()
    }
    const rawSeconds = (performance.now() - r0) / 1000
    const [sRate, rRate] = [delivered / seconds, (rx.count() - before) / rawSeconds]
    env.log(`webhooks: delivered ${fmt(delivered)} in ${fmt(seconds)} s (${fmt(sRate)}/s), raw ${fmt(rRate)}/s`)
    env.details.delivery = { delivered, seconds, rawSeconds }
    env.rows.push(
      rateRow({
        bench: '6 webhooks',
        metric: `webhook delivery, ${fmt(n)}-event ledger`,
        unit: 'events/s',
        service: sRate,
        raw: rRate,
        note: `${fmt(d)} outbox rows, one subscription, in order; raw = bare signed POSTs`,
      }),
    )
  } finally {
    await rx.close()
  }
}

async function outboxOverhead(env: BenchEnv, server: AppServer) {
  const { o } = env
  const width = serialWidth(o.units)
  const perRound = Math.ceil(o.outboxSells / 4 / o.connections) * o.connections
  // Serials from 60% of the receipt ledger up: the sell benchmark sells from both ends.
  let next = Math.floor(o.units * 0.6)
  if (next + 5 * perRound > o.units * 0.9)
    throw new Error(`the ledger has ${o.units} units: too few for ${o.outboxSells} outbox sells`)
  const load = async (amount: number) => {
    const perClient = amount / o.connections
    const plan = {
      kind: 'sell' as const,
      path: '/api/v1/sales',
      prefix: LEDGER_PREFIX,
      width,
      customer: CUSTOMER,
      firstIndex: next,
      perClient,
    }
    next += amount
    const { result } = await runWorker<LoadInput, LoadOutput>('load', {
      origin: server.origin,
      connections: o.connections,
      amount,
      maxSeconds: o.sellMaxSeconds,
      headers: server.headers,
      plan,
    })
    if (result.ok < amount * 0.99) throw new Error(`outbox sells failed: ${JSON.stringify(result.statusCodes)}`)
    return result.rps
  }
  const ctx = { db: server.db, clock: systemClock }
  const sub = await createWebhook(
    ctx,
    'bench',
    CreateWebhookRequest.parse({ name: 'outbox bench', url: 'http://127.0.0.1:9/never', eventTypes: ['sold'] }),
  )
  await setWebhookActive(server.db.kysely, sub.id, false)
  await load(perRound) // warm-up
  const without: number[] = []
  const withSub: number[] = []
  for (let round = 0; round < 4; round++) {
    const subscribed = round % 2 === 1
    await setWebhookActive(server.db.kysely, sub.id, subscribed)
    const rps = await load(perRound)
    ;(subscribed ? withSub : without).push(rps)
    env.log(`webhooks: sells ${subscribed ? 'with' : 'without'} a subscription: ${fmt(rps)}/s`)
  }
  await setWebhookActive(server.db.kysely, sub.id, false)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  env.details.outbox = { without, with: withSub }
  env.rows.push(
    rateRow({
      bench: '6 webhooks',
      metric: 'HTTP sells with one subscription',
      unit: 'sells/s',
      service: mean(withSub),
      raw: mean(without),
      note: 'raw = the same sells without a subscription (ratio = outbox overhead)',
    }),
  )
}
