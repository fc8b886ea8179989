import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { systemClock } from '../../src/core/clock.js'
import {
  createWebhook,
  CreateWebhookRequest,
  listDeliveries,
  listWebhooks,
  readFeed,
  redeliver,
  replay,
  setWebhookActive,
  SIGNATURE_HEADER,
  verifySignature,
  WebhookDeliverer,
} from '../../src/modules/integrations/index.js'
import { awaitSequenced, verifyLedger } from '../../src/modules/ledger/index.js'
import { move } from '../../src/modules/movements/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { DIALECTS, DIALECTS_AND_PATHS } from '../dialects.js'
import { rowCount, useTestDb } from '../factories.js'
import { appWithUsers, rest } from '../http.js'
import { Command } from 'commander'
import { registerWebhooksCommand } from '../../src/cli/webhooks.command.js'

interface Received {
  id: string
  seq: number
  logPos: number
  type: string
  valid: boolean
}

/** A webhook receiver on 127.0.0.1 that checks every signature; `failNext` makes it answer 500 that often. */
async function receiver(secretOf: () => string) {
  const got: Received[] = []
  const state = { failNext: 0, delayMs: 0 }
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => setTimeout(answer, state.delayMs))
    const answer = () => {
      if (state.failNext > 0) {
        state.failNext--
        res.writeHead(500).end('down')
        return
      }
      const e = JSON.parse(body) as Received
      const header = req.headers[SIGNATURE_HEADER] as string | undefined
      const valid = verifySignature(secretOf(), header, body, Math.floor(Date.now() / 1000))
      got.push({ id: e.id, seq: e.seq, logPos: e.logPos, type: e.type, valid })
      res.writeHead(204).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  return { got, state, url, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** Runs delivery rounds until `done` holds (or gives up after a few seconds). */
async function deliverUntil(d: WebhookDeliverer, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    const r = await d.runRound()
    if (r.delivered + r.failed === 0) await new Promise((res) => setTimeout(res, 20))
  }
}

// On PostgreSQL's locked write path too: there the sender and the feed read events placed at commit.
for (const dialect of DIALECTS_AND_PATHS) {
  describe(`${dialect.label}: event feed and webhooks`, () => {
    const t = useTestDb(dialect, { file: true })
    let secret = ''
    let rx: Awaited<ReturnType<typeof receiver>>
    beforeAll(async () => {
      rx = await receiver(() => secret)
    })
    afterAll(async () => rx.close())

    /**
     * A new subscription to the receiver, the only active one (the receiver checks one secret: the others
     * are paused), with nothing received yet.
     */
    async function subscribeAlone(request: Omit<z.input<typeof CreateWebhookRequest>, 'url'>) {
      rx.got.length = 0
      for (const s of await listWebhooks(t.db.kysely)) await setWebhookActive(t.db.kysely, s.id, false)
      const created = await createWebhook(t.ctx, 'admin', CreateWebhookRequest.parse({ ...request, url: rx.url }))
      secret = created.secret
      return created
    }

    async function stock(n: number) {
      const g = t.given
      const [sku, place] = [await g.sku(), await g.place()]
      const serials = Array.from({ length: n }, () => g.uniq('SN'))
      await g.receipt({ ...place.header, lines: [{ sku: sku.code, serials }] })
      return { sku, site: place.site, serials }
    }

    it('pages the feed in log order with units by code, and a cursor that resumes', async () => {
      const w = await stock(3)
      const bin = await t.given.child(w.site.code, 'zone')
      await t.given.op(move, { to: bin.code, units: [w.serials[0]!] })
      // As the route does: wait for the events committed so far to have their place (sequenced path).
      await awaitSequenced(t.db)
      const first = await readFeed(t.db.kysely, 0, 1)
      expect(first.hasMore).toBe(true)
      const all = [...first.events]
      let cursor = first.cursor
      for (;;) {
        const page = await readFeed(t.db.kysely, Number(cursor), 1)
        all.push(...page.events)
        cursor = page.cursor
        if (!page.hasMore) break
      }
      // Every committed event, at places 1, 2, 3… with no gap; the cursor is the last place read.
      expect(all.map((e) => e.logPos)).toEqual(all.map((_, i) => i + 1))
      expect(all).toHaveLength(await rowCount(t.db.kysely, 'event'))
      expect(cursor).toBe(String(all.length))
      // Each event's seq is its number: its place on the locked path (and SQLite); on the sequenced path
      // taken from a sequence, so it may gap, but it grows in log order here, where commands ran one by one.
      const seqs = all.map((e) => e.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      if (t.db.writePath === 'locked') expect(seqs).toEqual(all.map((e) => e.logPos))
      const received = all.find((e) => e.type === 'received')!
      expect(received.units.map((u) => u.serial)).toEqual(w.serials)
      expect(received.units[0]).toMatchObject({ sku: w.sku.code })
      expect(received.location).toBe(w.site.code)
      expect(received.document?.number).toMatch(/^RCV-/)
      expect(all.at(-1)).toMatchObject({ type: 'moved', location: bin.code })
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length)
      const empty = await readFeed(t.db.kysely, Number(cursor), 10)
      expect(empty).toEqual({ events: [], cursor, hasMore: false })
    })

    it('delivers every event once or more, in order, signed; resumes after the sender restarts', async () => {
      const created = await subscribeAlone({ name: 'shop', eventTypes: ['received', 'sold'], maxAttempts: 3 })
      expect(created.secret).toMatch(/^whsec_/)
      const w = await stock(12)
      for (const serial of w.serials.slice(0, 10)) await t.given.op(sell, { orderRef: 'POS-1', units: [serial] })
      // A move is not subscribed to: it has no delivery.
      await t.given.op(move, { to: (await t.given.child(w.site.code, 'zone')).code, units: [w.serials[11]!] })

      // The background sender (as `serve` runs it) delivers part of the stream and is stopped mid-way; a
      // second one, a restarted server on its own connection, resumes where the first stopped.
      const first = new WebhookDeliverer(t.db, systemClock, { batch: 2, idleMs: 10 })
      first.start()
      await expect.poll(() => rx.got.length, { timeout: 5000, interval: 5 }).toBeGreaterThanOrEqual(2)
      await first.stop()
      const atStop = rx.got.length
      expect(atStop).toBeLessThan(11)
      await new Promise((r) => setTimeout(r, 50))
      expect(rx.got.length).toBe(atStop)
      const other = t.db.reopen()
      try {
        const second = new WebhookDeliverer(other, systemClock, { batch: 4, idleMs: 10 })
        second.start()
        await expect.poll(() => rx.got.length, { timeout: 5000 }).toBeGreaterThanOrEqual(11)
        await second.stop()
      } finally {
        await other.close()
      }
      // In log order.
      const places = rx.got.map((r) => r.logPos)
      expect(rx.got).toHaveLength(11)
      expect(new Set(rx.got.map((r) => r.id)).size).toBe(11)
      expect(places).toEqual([...places].sort((a, b) => a - b))
      expect(rx.got.map((r) => r.type)).toEqual(['received', ...Array(10).fill('sold')])
      expect(rx.got.every((r) => r.valid)).toBe(true)
      const log = await listDeliveries(t.db.kysely, created.id, { limit: 100 })
      expect(log.every((d) => d.status === 'delivered')).toBe(true)
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('turns a delivery that fails N times into a dead letter, keeps order, and redelivers on request', async () => {
      const created = await subscribeAlone({ name: 'flaky', maxAttempts: 2 })
      const w = await stock(2)
      await t.given.op(sell, { orderRef: 'POS-2', units: [w.serials[0]!] })
      const d = new WebhookDeliverer(t.db, systemClock, { backoffBaseMs: 1 })
      rx.state.failNext = 2
      // The receipt fails twice (its second failure makes it a dead letter); the sale behind it waited.
      await deliverUntil(d, () => rx.got.length >= 1)
      expect(rx.got.map((r) => r.type)).toEqual(['sold'])
      const dead = await listDeliveries(t.db.kysely, created.id, { status: 'dead', limit: 10 })
      expect(dead).toEqual([expect.objectContaining({ eventType: 'received', attempts: 2, lastStatusCode: 500 })])
      expect(await redeliver(t.ctx, created.id, {})).toEqual({ requeued: 1 })
      await deliverUntil(d, () => rx.got.length >= 2)
      expect(rx.got.map((r) => r.type)).toEqual(['sold', 'received'])
      expect(await listDeliveries(t.db.kysely, created.id, { status: 'dead', limit: 10 })).toEqual([])

      // The CLI shows the backlog and queues dead letters again.
      const cli = async (...args: string[]) => {
        const out: string[] = []
        const program = new Command().exitOverride()
        registerWebhooksCommand(program, (line) => out.push(line))
        await program.parseAsync(['node', 'serial-ledger', 'webhooks', ...args, '--database-url', t.db.url])
        return out.join('\n')
      }
      expect(await cli('list')).toMatch(new RegExp(`${created.id}  flaky .* pending 0, dead 0, delivered 2`))
      await t.db.kysely
        .updateTable('webhook_delivery')
        .set({ status: 'dead' })
        .where('subscription_id', '=', created.id)
        .execute()
      expect(await cli('redeliver', created.id, '--seq', String(rx.got[0]!.seq))).toBe('1 dead letter(s) queued again')
      expect(await cli('list')).toMatch(/flaky .* pending 1, dead 1, delivered 0/)
      await deliverUntil(d, () => rx.got.length >= 3)
      expect(rx.got[2]!.seq).toBe(rx.got[0]!.seq)
      rx.got.pop()

      // Replay from a position sends the matching events after it again; a round counts every delivery
      // it made, however often it recorded them on the way.
      const sold = rx.got[0]!
      expect((await replay(t.ctx, created.id, { afterSeq: sold.logPos - 2 })).requeued).toBe(2)
      const eager = new WebhookDeliverer(t.db, systemClock, { flushEvery: 1 })
      expect(await eager.runRound()).toEqual({ delivered: 2, failed: 0 })
      expect(rx.got.slice(2).map((r) => r.type)).toEqual(['received', 'sold'])
      expect(rx.got[3]).toMatchObject({ id: sold.id, valid: true })
      await d.stop()
    })

    it('delivers each event once with two server instances on one database (a lease per subscription)', async () => {
      await subscribeAlone({ name: 'twice', eventTypes: ['sold'] })
      const w = await stock(24)
      for (const serial of w.serials) await t.given.op(sell, { orderRef: 'POS-3', units: [serial] })
      // A slow receiver: without the lease both senders would read the same pending rows and send them.
      rx.state.delayMs = 3
      const other = t.db.reopen()
      const a = new WebhookDeliverer(t.db, systemClock, { batch: 5, idleMs: 1 })
      const b = new WebhookDeliverer(other, systemClock, { batch: 5, idleMs: 1 })
      try {
        a.start()
        b.start()
        await expect.poll(() => rx.got.length, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(12)
        // The first holder stops mid-stream; the other one carries on where it stopped.
        await a.stop()
        await expect.poll(() => rx.got.length, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(24)
        await new Promise((r) => setTimeout(r, 100))
      } finally {
        await a.stop()
        await b.stop()
        await other.close()
        rx.state.delayMs = 0
      }
      const places = rx.got.map((r) => r.logPos)
      expect(rx.got).toHaveLength(24)
      expect(new Set(rx.got.map((r) => r.id)).size).toBe(24)
      expect(places).toEqual([...places].sort((x, y) => x - y))
      expect(rx.got.every((r) => r.valid)).toBe(true)
      const leases = await t.db.kysely.selectFrom('webhook_subscription').select('lease_owner').execute()
      expect(leases.every((l) => l.lease_owner === null)).toBe(true)
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: feed and webhook routes`, () => {
    const t = useTestDb(dialect)

    it('lets an admin manage webhooks (secret shown once), refuses a manager, serves the feed to readers', async () => {
      const { app, as } = await appWithUsers(t.db)
      try {
        const admin = rest(await as('admin'))
        const manager = rest(await as('manager'))
        const auditor = rest(await as('auditor'))
        const created = await admin.post('/webhooks', {
          name: 'erp',
          url: 'http://127.0.0.1:9/x',
          eventTypes: ['sold'],
        })
        expect(created.statusCode).toBe(201)
        expect(created.json()).toMatchObject({ eventTypes: ['sold'], secret: expect.stringMatching(/^whsec_/) })
        const listed = (await admin.get('/webhooks')).json()
        expect(listed).toHaveLength(1)
        expect(listed[0]).not.toHaveProperty('secret')
        expect((await manager.get('/webhooks')).statusCode).toBe(403)
        expect((await manager.post('/webhooks', { name: 'x', url: 'http://127.0.0.1:9/' })).statusCode).toBe(403)
        const bad = await admin.post('/webhooks', { name: 'x', url: 'ftp://example.com/', eventTypes: ['nope'] })
        expect(bad.statusCode).toBe(400)
        expect(bad.body).toMatch(/url/)
        expect((await admin.get('/webhooks/nope/deliveries')).json()).toMatchObject({ code: 'webhook.not_found' })
        await t.given.receipt({
          ...(await t.given.place()).header,
          lines: [{ sku: (await t.given.sku()).code, serials: ['F-1'] }],
        })
        const feed = (await auditor.get('/feed?after=0&limit=10')).json()
        expect(feed).toMatchObject({ hasMore: false, events: [{ type: 'received', units: [{ serial: 'F-1' }] }] })
        expect((await auditor.get('/feed?after=abc')).statusCode).toBe(400)
      } finally {
        await app.close()
      }
    })
  })
}
