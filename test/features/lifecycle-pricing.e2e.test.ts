import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/core/clock.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { appWithUsers, rest } from '../http.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { rowCount } from '../factories.js'

const DAY = 86_400_000
const T0 = Date.parse('2026-01-05T10:00:00Z')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: catalog edits, ageing, life cycle and markdowns over HTTP`, () => {
    let db: TestDb
    let app: FastifyInstance
    let manager: ReturnType<typeof rest>
    let clerk: ReturnType<typeof rest>
    let now = T0
    const clock: Clock = { now: () => new Date(now) }
    const at = (days: number) => (now = T0 + days * DAY)
    const ok = async (p: Promise<{ statusCode: number; body: string }>, status = 201) => {
      const r = await p
      expect(r.statusCode, r.body).toBe(status)
      return JSON.parse(r.body || 'null') as never
    }
    const unitOf = async (serial: string) =>
      (await manager.get(`/units/lookup?code=${serial}`)).json<
        { id: string; status: string; salePrice: number | null }[]
      >()[0]!
    const patch = (url: string, payload: unknown) =>
      app.inject({ method: 'PATCH', url: `/api/v1${url}`, payload: payload as object, headers: managerHeaders })
    let managerHeaders: Record<string, string>

    beforeAll(async () => {
      db = await dialect.create()
      // API tokens expire after 90 days of the test clock: issue them mid-way so they last the whole story.
      at(100)
      const built = await appWithUsers(db, clock)
      app = built.app
      const m = await built.as('manager')
      managerHeaders = { authorization: `Bearer ${m.token}` }
      manager = rest(m)
      clerk = rest(await built.as('clerk'))
      at(0)
      await ok(manager.post('/skus', { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 800 }))
      await ok(manager.post('/skus', { code: 'OLD', name: 'Old phone', tracking: 'serial', cost: 100, price: 200 }))
      await ok(manager.post('/locations', { code: 'ST', name: 'Store', kind: 'store' }))
      await ok(manager.post('/parties', { code: 'ACME', name: 'Acme', role: 'supplier' }))
      await ok(manager.post('/parties', { code: 'JANE', name: 'Jane', role: 'customer' }))
      const serials = ['A-1', 'A-2', 'A-3', 'A-4']
      await ok(manager.post('/receipts', { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials }] }))
    })
    afterAll(async () => {
      await app.close()
      await db.drop()
    })

    it('records an edit in the SKU history with actor, old and new value', async () => {
      const edited = await ok(patch('/skus/PHX', { name: 'Phone X 128', skuGroup: 'PHONES' }), 200)
      expect(edited).toMatchObject({ name: 'Phone X 128', skuGroup: 'PHONES', price: 800 })
      const history = (await manager.get('/skus/PHX/history')).json<
        { field: string; old: unknown; new: unknown; actor: string }[]
      >()
      expect(history).toEqual([
        expect.objectContaining({
          field: 'name',
          old: 'Phone X',
          new: 'Phone X 128',
          actor: expect.stringMatching(/manager/),
        }),
        expect.objectContaining({ field: 'skuGroup', old: null, new: 'PHONES' }),
      ])
    })

    it('refuses a serial rule an existing unit breaks, changing nothing', async () => {
      const r = await patch('/skus/PHX', { serialPattern: 'X\\d+' })
      expect(r.statusCode, r.body).toBe(409)
      expect(r.json()).toMatchObject({
        code: 'sku.serial_rule_broken',
        detail: expect.stringMatching(/4 existing unit\(s\).*A-1/),
      })
      expect((await manager.get('/skus/PHX')).json()).toMatchObject({ serialPattern: null })
    })

    it('refuses an archived SKU in a receipt, writing nothing; a referenced SKU is archived, not deleted', async () => {
      await ok(patch('/skus/OLD', { archived: true }), 200)
      const events = await rowCount(db.kysely, 'event')
      const r = await manager.post('/receipts', {
        supplier: 'ACME',
        location: 'ST',
        lines: [{ sku: 'OLD', serials: ['O-1'] }],
      })
      expect(r.statusCode, r.body).toBe(409)
      expect(r.json()).toMatchObject({ code: 'sku.archived', detail: expect.stringMatching(/SKU OLD is archived/) })
      expect(await rowCount(db.kysely, 'event')).toBe(events)
      expect(await rowCount(db.kysely, 'unit')).toBe(4)
      const del = await app.inject({ method: 'DELETE', url: '/api/v1/skus/PHX', headers: managerHeaders })
      expect(del.json()).toEqual({ code: 'PHX', outcome: 'archived' })
      await ok(patch('/skus/PHX', { archived: false }), 200)
      const history = (await manager.get('/skus/PHX/history')).json<{ field: string; new: unknown }[]>()
      expect(history.filter((h) => h.field === 'archived').map((h) => h.new)).toEqual([true, false])
    })

    it('restarts ageing after a return and keeps the receipt age too', async () => {
      at(100)
      await ok(manager.post('/sales', { customer: 'JANE', orderRef: 'O-1', units: ['A-1'] }))
      at(110)
      await ok(manager.post('/returns', { location: 'ST', customer: 'JANE', units: ['A-1'] }))
      at(112)
      await ok(manager.post('/restocks', { units: ['A-1'] }))
      at(120)
      const pricing = (await manager.get(`/units/${(await unitOf('A-1')).id}/pricing`)).json<{
        ages: Record<string, number>
      }>()
      expect(pricing.ages).toMatchObject({ daysSinceReceipt: 120, daysSinceBackInStock: 8, daysAtLocation: 10 })
      const byReceipt = (await manager.get('/reports/ageing?by=sku&basis=receipt')).json<{
        buckets: string[]
        rows: { code: string; counts: number[]; values: number[] }[]
      }>()
      expect(byReceipt.buckets).toEqual(['0-30', '31-60', '61-90', '91-180', '181+'])
      expect(byReceipt.rows).toEqual([
        expect.objectContaining({ code: 'PHX', counts: [0, 0, 0, 4, 0], values: [0, 0, 0, 1600, 0] }),
      ])
      const byStock = (await manager.get('/reports/ageing?by=location&basis=stock&buckets=30,100')).json<{
        buckets: string[]
        rows: { code: string; counts: number[] }[]
      }>()
      expect(byStock.buckets).toEqual(['0-30', '31-100', '101+'])
      expect(byStock.rows).toEqual([expect.objectContaining({ code: 'ST', counts: [1, 0, 3] })])
      const bad = await manager.get('/reports/ageing?buckets=30,10')
      expect(bad.json()).toMatchObject({ code: 'request.invalid', detail: expect.stringMatching(/buckets\[1\]/) })
      const csv = (await manager.get('/reports/ageing.csv?by=supplier')).body
      expect(csv.split('\n')[0]).toBe('supplier,name,kind,bucket,units,valueAtCost')
      expect(csv).toContain('ACME,Acme,unit,91-180,4,1600')
    })

    it('recommends markdowns by age; applying a selection writes exactly the price events', async () => {
      await app.inject({
        method: 'PUT',
        url: '/api/v1/markdown-policies/PHONES',
        headers: managerHeaders,
        payload: {
          rules: [{ minAgeDays: 90, action: 'discount', percent: 20 }],
          periodDays: 30,
          maxMarkdowns: 1,
          maxDepthPct: 30,
        },
      })
      const recs = (await manager.get('/markdowns/recommendations')).json<{
        lines: {
          sku: string
          currentPrice: number
          suggestedPrice: number
          units: number
          valueAtStake: number
          serials: string[]
        }[]
      }>()
      // A-1 came back to stock 8 days ago: too young for the 90-day rule.
      expect(recs.lines).toEqual([
        expect.objectContaining({
          sku: 'PHX',
          currentPrice: 800,
          suggestedPrice: 640,
          units: 3,
          valueAtStake: -480,
          serials: ['A-2', 'A-3', 'A-4'],
        }),
      ])
      const recsCsv = await manager.get('/markdowns/recommendations.csv')
      expect(recsCsv.headers['content-type']).toContain('text/csv')
      const [recsHeader, ...recsRows] = recsCsv.body.trimEnd().split('\n')
      expect(recsHeader).toBe('sku,skuGroup,stage,action,currentPrice,suggestedPrice,units,valueAtStake,reason')
      expect(recsRows).toEqual([expect.stringMatching(/^PHX,[^,]*,[^,]*,[^,]*,800,640,3,-480,/)])
      const forbidden = await clerk.post('/markdowns/apply', { serials: ['A-2', 'A-3'] })
      expect(forbidden.statusCode).toBe(403)

      const before = await db.kysely.selectFrom('unit').selectAll().orderBy('serial').execute()
      const [events, lines, stock] = [
        await rowCount(db.kysely, 'event'),
        await rowCount(db.kysely, 'event_unit'),
        await rowCount(db.kysely, 'stock'),
      ]
      const applied = await ok(manager.post('/markdowns/apply', { serials: ['A-2', 'A-3'] }))
      expect(applied).toMatchObject({ unitCount: 2, number: expect.stringMatching(/^PRC-/) })
      expect(await rowCount(db.kysely, 'event')).toBe(events + 1)
      expect(await rowCount(db.kysely, 'event_unit')).toBe(lines + 2)
      expect(await rowCount(db.kysely, 'stock')).toBe(stock)
      const event = await db.kysely.selectFrom('event').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow()
      expect(event).toMatchObject({ type: 'price_changed', reason: 'markdown' })
      const after = await db.kysely.selectFrom('unit').selectAll().orderBy('serial').execute()
      const strip = ({
        list_price_minor: _p,
        version: _v,
        last_event_seq: _s,
        updated_at: _u,
        ...rest
      }: (typeof after)[number]) => rest
      expect(after.map(strip)).toEqual(before.map(strip))
      expect(after.map((u) => [u.serial, u.list_price_minor === null ? null : Number(u.list_price_minor)])).toEqual([
        ['A-1', null],
        ['A-2', 64000],
        ['A-3', 64000],
        ['A-4', null],
      ])
    })

    it('sells a marked-down unit at its own price when the sale names none', async () => {
      await ok(manager.post('/sales', { customer: 'JANE', orderRef: 'O-2', units: ['A-2'] }))
      expect(await unitOf('A-2')).toMatchObject({ status: 'sold', salePrice: 640 })
      const history = (await manager.get(`/units/${(await unitOf('A-2')).id}/pricing`)).json<{
        history: { type: string; price: number | null }[]
      }>()
      expect(history.history.map((h) => [h.type, h.price])).toEqual([
        ['received', null],
        ['price_changed', 640],
        ['sold', 640],
      ])
    })

    it('does not recommend a markdown beyond the cap and refuses one by hand', async () => {
      const recs = (await manager.get('/markdowns/recommendations')).json<{
        lines: { serials: string[]; suggestedPrice: number }[]
        capped: { sku: string; units: number; reason: string }[]
      }>()
      // A-3 was marked down once in the last 30 days (the cap): only A-4 is recommended.
      expect(recs.lines.map((l) => [l.serials, l.suggestedPrice])).toEqual([[['A-4'], 640]])
      const events = await rowCount(db.kysely, 'event')
      const again = await manager.post('/price-changes', { units: [{ serial: 'A-3', price: 600 }] })
      expect(again.statusCode, again.body).toBe(409)
      expect(again.json()).toMatchObject({ code: 'price.markdown_cap', detail: expect.stringMatching(/A-3.*cap: 1/) })
      const deep = await manager.post('/price-changes', { units: [{ serial: 'A-4', price: 500 }] })
      expect(deep.json()).toMatchObject({
        code: 'price.markdown_cap',
        detail: expect.stringMatching(/38% below.*cap: 30%/),
      })
      const belowCost = await manager.post('/price-changes', { units: [{ serial: 'A-4', price: 300 }] })
      expect(belowCost.json()).toMatchObject({ code: 'price.below_cost' })
      const mixed = await manager.post('/price-changes', {
        units: [
          { serial: 'A-4', price: 700 },
          { serial: 'A-1', price: 900 },
        ],
      })
      expect(mixed.json()).toMatchObject({ code: 'price.mixed_direction' })
      expect(await rowCount(db.kysely, 'event')).toBe(events)
      // After the period the cap allows a markdown again; a rise is never capped.
      at(160)
      await ok(manager.post('/price-changes', { units: [{ serial: 'A-3', price: 600 }] }))
      await ok(manager.post('/price-changes', { units: [{ serial: 'A-1', price: 900 }] }))
    })

    it('reprices lot stock at a location with a zero-delta line; empty stock is refused', async () => {
      await ok(manager.post('/skus', { code: 'CASE', name: 'Case', tracking: 'lot', cost: 5, price: 20 }))
      await ok(manager.post('/locations', { code: 'WH', name: 'Warehouse', kind: 'warehouse' }))
      await ok(
        manager.post('/receipts', {
          supplier: 'ACME',
          location: 'ST',
          lines: [{ sku: 'CASE', lot: 'L1', quantity: 10 }],
        }),
      )
      const result = await ok(
        manager.post('/price-changes', { quantities: [{ sku: 'CASE', lot: 'L1', location: 'ST', price: 15 }] }),
      )
      expect(result).toMatchObject({ unitCount: 0, quantity: 0 })
      const stock = await db.kysely.selectFrom('stock').select(['quantity']).execute()
      expect(stock.map((r) => Number(r.quantity))).toEqual([10])
      const line = await db.kysely
        .selectFrom('event_quantity')
        .select(['delta', 'price_minor'])
        .orderBy('event_seq', 'desc')
        .executeTakeFirstOrThrow()
      expect([Number(line.delta), Number(line.price_minor)]).toEqual([0, 1500])
      const empty = await manager.post('/price-changes', {
        quantities: [{ sku: 'CASE', lot: 'L1', location: 'WH', price: 15 }],
      })
      expect(empty.json()).toMatchObject({ code: 'price.no_stock' })
      // A sale of that stock without a price takes its own price.
      await ok(
        manager.post('/sales', {
          orderRef: 'O-3',
          quantities: [{ sku: 'CASE', lot: 'L1', location: 'ST', quantity: 2 }],
        }),
      )
      const sold = await db.kysely
        .selectFrom('event_quantity')
        .select(['delta', 'price_minor'])
        .orderBy('event_seq', 'desc')
        .executeTakeFirstOrThrow()
      expect([Number(sold.delta), Number(sold.price_minor)]).toEqual([-2, 1500])
      const byLot = (await manager.get('/reports/ageing?by=sku')).json<{ rows: { code: string; kind: string }[] }>()
      expect(byLot.rows.map((r) => [r.code, r.kind])).toEqual(expect.arrayContaining([['CASE', 'lot']]))
      // The group's cap counts markdowns of stock too: one per 30 days, so a second one is refused.
      await ok(patch('/skus/CASE', { skuGroup: 'PHONES' }), 200)
      const events = await rowCount(db.kysely, 'event')
      const again = await manager.post('/price-changes', {
        quantities: [{ sku: 'CASE', lot: 'L1', location: 'ST', price: 14.5 }],
      })
      expect(again.json()).toMatchObject({ code: 'price.markdown_cap', detail: expect.stringMatching(/CASE at ST/) })
      expect(JSON.stringify(again.json())).toMatch(/1 time\(s\)/)
      expect(await rowCount(db.kysely, 'event')).toBe(events)
    })

    it('shows the stage with its evidence, the reports and the share sold at a discount', async () => {
      const stage = (await manager.get('/skus/PHX/lifecycle')).json<{ stage: string; weeks: unknown[] }>()
      expect(stage).toMatchObject({ stage: 'too_little_history' })
      const share = (await manager.get('/reports/discount-share')).json()
      expect(share).toEqual([{ sku: 'PHX', store: 'ST', sold: 2, discounted: 1, share: 0.5 }])
      const life = (await manager.get('/reports/lifecycle')).json<Record<string, unknown>[]>()
      expect(life).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sku: 'PHX', supplier: 'ACME', received: 4, sold: 2, returns: 1 }),
        ]),
      )
      const lifeCsv = (await manager.get('/reports/lifecycle.csv')).body.split('\n')
      expect(lifeCsv[0]).toBe('sku,supplier,received,sold,meanDaysToSale,returns,repairs')
      expect(lifeCsv).toContainEqual(expect.stringMatching(/^PHX,ACME,4,2,[^,]*,1,/))
      // The advisor on a planted set: a valuable, warrantied quantity SKU with returns and losses first;
      // a cheap serial SKU without trouble flagged as not worth its serials; PHX (returns) kept.
      const sku = (code: string, tracking: string, price: number, warrantyMonths = 0) =>
        ok(manager.post('/skus', { code, name: code, tracking, cost: price / 2, price, warrantyMonths }))
      await sku('DRONE', 'quantity', 900, 24)
      await sku('CABLE-S', 'serial', 9)
      const lines = [
        { sku: 'DRONE', quantity: 10 },
        { sku: 'CABLE-S', serials: ['C-1', 'C-2', 'C-3'] },
      ]
      await ok(manager.post('/receipts', { supplier: 'ACME', location: 'ST', lines }))
      const drone = (quantity: number) => [{ sku: 'DRONE', location: 'ST', quantity }]
      await ok(manager.post('/sales', { orderRef: 'O-4', units: ['C-1'], quantities: drone(5) }))
      await ok(manager.post('/returns', { location: 'ST', quantities: [{ sku: 'DRONE', quantity: 1 }] }))
      await ok(manager.post('/adjustments', { kind: 'lost', reason: 'count', quantities: drone(1) }))
      const advice = (await manager.get('/reports/advisor')).json<
        { code: string; advice: string; reasons: string[] }[]
      >()
      expect(advice.map((a) => [a.code, a.advice])).toEqual([
        ['DRONE', 'serialise'],
        ['CABLE-S', 'stop_serialising'],
        ['PHX', 'keep'],
        ['CASE', 'keep'],
      ])
      expect(advice[0]!.reasons).toEqual(
        expect.arrayContaining(['returns 20% (threshold 5%)', 'shrinkage 10% (threshold 1%)']),
      )
      // The CSV joins each SKU's reasons into one cell.
      const adviceCsv = await manager.get('/reports/advisor.csv')
      expect(adviceCsv.headers['content-type']).toContain('text/csv')
      const droneRow = adviceCsv.body.split('\n').find((l) => l.startsWith('DRONE,'))
      expect(droneRow).toContain(advice[0]!.reasons.join('; '))
      expect(await verifyLedger(db)).toVerify()
    })

    it('edits a SKU’s life-cycle thresholds and ageing buckets: validated per field, recorded, used', async () => {
      const before = await rowCount(db.kysely, 'catalog_change')
      const bad = await patch('/skus/PHX', {
        lifecycle: { stage: { minWeeks: 0, peakShare: 2, slope: 1 }, ageingBuckets: [30, 10] },
      })
      expect(bad.statusCode).toBe(400)
      const paths = bad.json<{ errors: { path: string; message: string }[] }>().errors.map((e) => e.path)
      expect(paths).toEqual(
        expect.arrayContaining([
          'lifecycle.stage.minWeeks',
          'lifecycle.stage.peakShare',
          'lifecycle.stage',
          'lifecycle.ageingBuckets.1',
        ]),
      )
      expect(await rowCount(db.kysely, 'catalog_change')).toBe(before)
      expect((await manager.get('/skus/PHX')).json()).toMatchObject({ lifecycle: null })

      const settings = { stage: { minWeeks: 1, minUnits: 1 }, ageingBuckets: [7, 14] }
      expect(await ok(patch('/skus/PHX', { lifecycle: settings }), 200)).toMatchObject({ lifecycle: settings })
      const history = (await manager.get('/skus/PHX/history')).json<{ field: string; old: unknown; new: unknown }[]>()
      expect(history.at(-1)).toMatchObject({ field: 'lifecycle', old: null, new: settings })
      // The stage method now takes PHX's two sales as enough history.
      const stage = (await manager.get('/skus/PHX/lifecycle')).json<{ stage: string; weeks: { units: number }[] }>()
      expect(stage.stage).not.toBe('too_little_history')
      // Its curve is net of returns: were sold, A-1 came back, so one unit of demand.
      expect(stage.weeks.reduce((n, w) => n + w.units, 0)).toBe(1)
      // Its own ageing buckets, unless the report asks for others.
      const ageing = (await manager.get('/reports/ageing?by=sku&sku=PHX')).json<{ buckets: string[] }>()
      expect(ageing.buckets).toEqual(['0-7', '8-14', '15+'])
      const asked = (await manager.get('/reports/ageing?by=sku&sku=PHX&buckets=30')).json<{ buckets: string[] }>()
      expect(asked.buckets).toEqual(['0-30', '31+'])
      // Back to the defaults: recorded too.
      await ok(patch('/skus/PHX', { lifecycle: { stage: {} } }), 200)
      const last = (await manager.get('/skus/PHX/history')).json<{ field: string; new: unknown }[]>().at(-1)
      expect(last).toMatchObject({ field: 'lifecycle', new: null })
      expect((await manager.get('/skus/PHX/lifecycle')).json()).toMatchObject({ stage: 'too_little_history' })
    })

    it('restarts the days in stock of a unit released from quarantine, as after a return', async () => {
      at(160)
      await ok(
        manager.post('/receipts', { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials: ['Q-1'] }] }),
      )
      at(165)
      await ok(manager.post('/quarantine', { units: ['Q-1'], reason: 'dented box' }))
      at(170)
      await ok(manager.post('/quarantine/release', { units: ['Q-1'], reason: 'inspected: fine' }))
      at(174)
      const pricing = (await manager.get(`/units/${(await unitOf('Q-1')).id}/pricing`)).json<{
        ages: Record<string, number>
      }>()
      expect(pricing.ages).toMatchObject({ daysSinceReceipt: 14, daysSinceBackInStock: 4 })
      expect(await verifyLedger(db)).toVerify()
    })
  })
}
