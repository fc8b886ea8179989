import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import {
  CreateWebhookRequest,
  createWebhook,
  SIGNATURE_HEADER,
  verifySignature,
} from '../../src/modules/integrations/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'
import { type ServerProcess, startServerProcess } from './support.js'

/*
 * Webhook delivery across a crash: `serve` (a real server in a child process) delivers the outbox to a
 * slow receiver and is killed with SIGKILL mid-stream; restarted on the same database it resumes. The
 * receiver must get every event at least once, in order of first arrival, each correctly signed.
 */
const SALES = 30
const log = (msg: string) => console.log(`[webhooks-restart] ${msg}`)

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: webhook delivery survives a server crash`, () => {
    let db: TestDb
    let server: ServerProcess | undefined
    let receiver: Server
    let url = ''
    let secret = ''
    const got: { id: string; seq: number; valid: boolean }[] = []

    beforeAll(async () => {
      db = await dialect.create({ file: true })
      receiver = createServer((req, res) => {
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => {
          const e = JSON.parse(body) as { id: string; seq: number }
          const valid = verifySignature(secret, req.headers[SIGNATURE_HEADER] as string, body, Date.now() / 1000)
          // A slow receiver, so the kill lands mid-stream.
          setTimeout(() => {
            got.push({ id: e.id, seq: e.seq, valid })
            res.writeHead(204).end()
          }, 25)
        })
      })
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    })
    afterAll(async () => {
      await server?.kill()
      await new Promise<void>((r) => receiver.close(() => r()))
      await db?.drop()
    })

    it('resumes after SIGKILL and delivers every event, in order, signed', async () => {
      const ctx = { db, clock: systemClock }
      const g = givens(ctx)
      const created = await createWebhook(ctx, 'test', CreateWebhookRequest.parse({ name: 'crash', url }))
      secret = created.secret
      const [sku, place] = [await g.sku(), await g.place()]
      const serials = Array.from({ length: SALES }, () => g.uniq('SN'))
      await g.receipt({ ...place.header, lines: [{ sku: sku.code, serials }] })
      for (const serial of serials) await g.op(sell, { orderRef: 'POS', units: [serial] })
      const total = SALES + 1

      server = await startServerProcess(db.url)
      const waitFor = async (n: number, ms: number) => {
        const until = Date.now() + ms
        while (got.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
      }
      await waitFor(5, 20_000)
      await server.kill()
      const atKill = new Set(got.map((e) => e.id)).size
      log(`killed after ${got.length} deliveries (${atKill} distinct of ${total})`)
      expect(atKill).toBeGreaterThanOrEqual(5)
      expect(atKill).toBeLessThan(total)

      server = await startServerProcess(db.url)
      const until = Date.now() + 30_000
      while (new Set(got.map((e) => e.id)).size < total && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20))
      await server.stop()
      server = undefined
      const firstSeen = [...new Map(got.map((e) => [e.id, e.seq])).values()]
      log(`after restart: ${got.length} deliveries, ${firstSeen.length} distinct`)
      expect(firstSeen).toHaveLength(total)
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b))
      expect(got.every((e) => e.valid)).toBe(true)
      const pending = await db.kysely
        .selectFrom('webhook_delivery')
        .select('status')
        .where('status', '!=', 'delivered')
        .execute()
      expect(pending).toEqual([])
    })
  })
}
