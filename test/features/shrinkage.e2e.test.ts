import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACME, appWithUsers, createReferenceData, JANE, rest, STORE, WAREHOUSE } from '../http.js'
import { DIALECTS, type TestDb } from '../dialects.js'

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString()

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: shrinkage, custody and exceptions`, () => {
    let db: TestDb
    let app: FastifyInstance
    let manager: ReturnType<typeof rest>
    let clerk: ReturnType<typeof rest>
    let managerName: string
    const ok = async (p: Promise<{ statusCode: number; body: string; json: () => unknown }>) => {
      const r = await p
      expect(r.statusCode, r.body).toBe(201)
      return r.json() as { number: string }
    }

    beforeAll(async () => {
      db = await dialect.create()
      const built = await appWithUsers(db)
      app = built.app
      const m = await built.as('manager')
      managerName = m.username
      manager = rest(m)
      clerk = rest(await built.as('clerk'))
      await createReferenceData(manager.post, {
        skus: [
          { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799 },
          { code: 'CABLE', name: 'Cable', tracking: 'quantity', cost: 2, price: 9 },
        ],
        locations: [STORE, { code: 'ST-A', name: 'Zone A', level: 'zone', parent: 'ST' }, WAREHOUSE],
        parties: [ACME, JANE],
      })
      await ok(
        manager.post('/receipts', {
          supplier: 'ACME',
          location: 'WH',
          receivedAt: daysAgo(40),
          lines: [
            { sku: 'PHX', serials: ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6'] },
            { sku: 'CABLE', quantity: 20 },
          ],
        }),
      )
      await ok(manager.post('/moves', { to: 'ST-A', units: ['P-1', 'P-2', 'P-3'], movedAt: daysAgo(30) }))
      await ok(manager.post('/transfers', { from: 'WH', to: 'ST', units: ['P-4'], shippedAt: daysAgo(20) }))
      // Two separate losses at ST-A, one of them found by a cycle count's close.
      await ok(
        manager.post('/adjustments', { kind: 'lost', reason: 'shelf empty', units: ['P-1'], adjustedAt: daysAgo(10) }),
      )
      const count = await ok(manager.post('/counts', { location: 'ST-A' }))
      await ok(clerk.post(`/counts/${count.number}/scans`, { location: 'ST-A', scans: [{ key: 'k1', serial: 'P-2' }] }))
      await ok(manager.post(`/counts/${count.number}/close`, {}))
      await ok(
        manager.post('/adjustments', {
          kind: 'lost',
          reason: 'damaged box',
          quantities: [{ sku: 'CABLE', location: 'WH', quantity: 5 }],
        }),
      )
      // Sold, and then scanned on a shelf: a red flag.
      await ok(manager.post('/sales', { customer: 'JANE', orderRef: 'O-1', units: ['P-5'] }))
      const later = await ok(manager.post('/counts', { location: 'WH' }))
      await ok(clerk.post(`/counts/${later.number}/scans`, { location: 'WH', scans: [{ key: 'k2', serial: 'P-5' }] }))
    })
    afterAll(async () => {
      await app.close()
      await db.drop()
    })

    it('reports what was lost by location, SKU and period, with each unit’s last sighting', async () => {
      const res = await manager.get('/reports/shrinkage?period=month')
      expect(res.statusCode, res.body).toBe(200)
      const r = res.json<{
        total: { units: number; quantity: number; value: number; share: number }
        byLocation: { location: string; units: number; quantity: number; value: number; events: number }[]
        bySku: { sku: string; value: number }[]
        trend: { period: string; value: number }[]
        units: { serial: string; lostBy: string; lastSeen: { location: string; type: string; actor: string } }[]
      }>()
      expect(r.total).toMatchObject({ units: 2, quantity: 5, value: 810 })
      expect(r.total.share).toBeGreaterThan(0)
      expect(r.byLocation.map((l) => [l.location, l.units, l.quantity, l.value, l.events])).toEqual([
        ['ST-A', 2, 0, 800, 2],
        ['WH', 0, 5, 10, 1],
      ])
      expect(r.bySku.map((s) => [s.sku, s.value])).toEqual([
        ['PHX', 800],
        ['CABLE', 10],
      ])
      expect(r.trend.reduce((n, t) => n + t.value, 0)).toBe(810)
      const p3 = r.units.find((u) => u.serial === 'P-3')!
      expect(p3.lastSeen).toMatchObject({
        location: 'ST-A',
        type: 'moved',
        actor: expect.stringContaining(managerName),
      })
      expect(r.units.map((u) => u.serial).sort()).toEqual(['P-1', 'P-3'])

      const scoped = (await manager.get('/reports/shrinkage?location=WH')).json<{ total: { value: number } }>()
      expect(scoped.total.value).toBe(10)
      const csv = await manager.get('/reports/shrinkage.csv')
      expect(csv.headers['content-type']).toContain('text/csv')
      expect(csv.body.split('\n')[0]).toBe(
        'serial,sku,status,lost_at,lost_by,reason,document,value,' +
          'last_seen_at,last_seen_location,last_seen_event,last_seen_by',
      )
      expect(csv.body).toMatch(/P-3,PHX,missing,/)
    })

    it('gives a unit’s custody chain from the ledger', async () => {
      const [unit] = (await manager.get('/units/lookup?code=P-2')).json<{ id: string }[]>()
      const steps = (await manager.get(`/units/${unit!.id}/custody`)).json<
        { actor: string; location: string | null; events: string[] }[]
      >()
      expect(steps.map((s) => [s.location, s.events])).toEqual([
        ['WH', ['received']],
        ['ST-A', ['moved']],
        ['ST-A', ['counted']],
      ])
      expect(steps[2]!.actor).not.toBe(steps[1]!.actor)
      expect((await manager.get('/units/nope/custody')).statusCode).toBe(404)
    })

    it('lists exceptions worth a look, each with its reason and the location a count would go to', async () => {
      const res = await manager.get('/exceptions?days=7&threshold=500')
      expect(res.statusCode, res.body).toBe(200)
      const list = res.json<{ kind: string; reason: string; location: string | null; serial: string | null }[]>()
      const of = (kind: string) => list.filter((e) => e.kind === kind)
      expect(of('in_transit_too_long')).toMatchObject([{ serial: 'P-4', location: 'WH' }])
      expect(of('never_put_away').map((e) => e.serial)).toEqual(['P-6'])
      expect(of('sold_but_scanned')).toMatchObject([{ serial: 'P-5', location: 'WH' }])
      expect(of('adjustments_above_threshold')).toMatchObject([
        { reason: expect.stringMatching(/above the threshold/) },
      ])
      expect(of('repeated_losses')).toMatchObject([{ location: 'ST-A' }])
      // An exception raises a count task for its location.
      const task = await manager.post('/counts', { location: of('repeated_losses')[0]!.location, reason: 'exception' })
      expect(task.statusCode).toBe(201)
    })
  })
}
