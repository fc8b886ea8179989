import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { schemaProblems } from '../../src/modules/epcis/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { ACME, type ApiClient, appWithUsers, createReferenceData, JANE, rest, STORE, WAREHOUSE } from '../http.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { rowCount } from '../factories.js'

interface EpcisEvent {
  'sl:seq': number
  'sl:type': string
  disposition?: string
  epcList: string[]
  bizLocation?: { id: string }
  quantityList?: { quantity: number }[]
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: cycle counts over HTTP`, () => {
    let db: TestDb
    let app: FastifyInstance
    let manager: ReturnType<typeof rest>
    let clerk: ReturnType<typeof rest>
    let clerk2: ReturnType<typeof rest>
    let managerClient: ApiClient
    let n = 0
    const key = () => `scan-${++n}`
    const serials = (p: string, k: number) => Array.from({ length: k }, (_, i) => `${p}-${i + 1}`)
    const unitOf = async (serial: string) =>
      (await manager.get(`/units/lookup?code=${serial}`)).json<
        { status: string; location: { code: string } | null }[]
      >()[0]!

    beforeAll(async () => {
      db = await dialect.create()
      const built = await appWithUsers(db)
      app = built.app
      managerClient = await built.as('manager')
      manager = rest(managerClient)
      clerk = rest(await built.as('clerk'))
      clerk2 = rest(await built.as('clerk'))
      const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
        const r = await p
        expect(r.statusCode, r.body).toBe(201)
      }
      await createReferenceData(manager.post, {
        skus: [
          { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799 },
          { code: 'CABLE', name: 'Cable', tracking: 'quantity', cost: 2, price: 9 },
        ],
        locations: [
          STORE,
          { code: 'ST-A', name: 'Zone A', level: 'zone', parent: 'ST' },
          { code: 'ST-B', name: 'Zone B', level: 'zone', parent: 'ST' },
          WAREHOUSE,
        ],
        parties: [ACME, JANE],
      })
      for (const [loc, prefix] of [
        ['ST-A', 'A'],
        ['ST-B', 'B'],
      ] as const)
        await ok(
          manager.post('/receipts', {
            supplier: 'ACME',
            location: loc,
            lines: [
              { sku: 'PHX', serials: serials(prefix, 5) },
              { sku: 'CABLE', quantity: 10 },
            ],
          }),
        )
      // Sold before the count, yet on the shelf: a red flag when it is scanned.
      await ok(manager.post('/sales', { customer: 'JANE', orderRef: 'O-1', units: ['A-5'] }))
    })
    afterAll(async () => {
      await app.close()
      await db.drop()
    })

    it(
      'puts planted missing, misplaced, unknown and sold-but-present units ' + 'in the right buckets, at cost',
      async () => {
        const started = await manager.post('/counts', { location: 'ST' })
        expect(started.statusCode, started.body).toBe(201)
        const number = started.json<{ number: string }>().number
        expect(number).toMatch(/^CNT-/)

        // While the count runs the store trades: a receipt and a move into zone A, a sale out of zone B.
        for (const trade of [
          await manager.post('/receipts', {
            supplier: 'ACME',
            location: 'ST-A',
            lines: [{ sku: 'PHX', serials: ['A-NEW'] }],
          }),
          await manager.post('/moves', { to: 'ST-A', units: ['B-4'] }),
          await manager.post('/sales', { customer: 'JANE', orderRef: 'O-2', units: ['B-5'] }),
        ])
          expect(trade.statusCode, trade.body).toBe(201)

        const scan = (client: typeof clerk, location: string, list: Record<string, unknown>[]) =>
          client.post(`/counts/${number}/scans`, { location, scans: list })
        const zoneA = await scan(clerk, 'ST-A', [
          ...['A-1', 'A-2', 'A-3', 'A-NEW', 'B-4', 'B-1', 'A-5', 'GHOST-1'].map((serial) => ({ key: key(), serial })),
          { key: key(), serial: 'A-1' },
          { key: key(), sku: 'CABLE', quantity: 4 },
        ])
        expect(zoneA.statusCode, zoneA.body).toBe(201)
        const flags = zoneA.json<{ flags: { serial: string | null; flag: string }[] }>().flags
        expect(flags.map((f) => [f.serial, f.flag])).toEqual([
          ['B-1', 'elsewhere'],
          ['A-5', 'status'],
          ['GHOST-1', 'unknown'],
          ['A-1', 'repeat'],
        ])
        // A second counter enters cable in zone A too: quantities add up rather than replace.
        expect((await scan(clerk2, 'ST-A', [{ key: key(), sku: 'CABLE', quantity: 5 }])).statusCode).toBe(201)
        expect(
          (
            await scan(clerk2, 'ST-B', [
              { key: key(), serial: 'B-2' },
              { key: key(), serial: 'B-3' },
            ])
          ).statusCode,
        ).toBe(201)

        // Trading after a quantity scan is judged by the ledger at the scan: 2 cables sold from zone A after
        // it was counted are not a variance (zone A had 10 when counted, 9 were found: one short).
        expect(
          (
            await manager.post('/sales', {
              customer: 'JANE',
              orderRef: 'O-3',
              quantities: [{ sku: 'CABLE', location: 'ST-A', quantity: 2 }],
            })
          ).statusCode,
        ).toBe(201)

        // Blind: a counter sees the tally, not what is expected, on the API too.
        const tally = await clerk.get(`/counts/${number}`)
        expect(tally.json()).toMatchObject({ scans: 13, count: { isBlind: true, status: 'open' } })
        expect(tally.body).not.toContain('A-4')
        const blind = await clerk.get(`/counts/${number}/reconciliation`)
        expect(blind.statusCode).toBe(403)
        expect(blind.json()).toMatchObject({ code: 'count.blind' })

        const r = (await manager.get(`/counts/${number}/reconciliation`)).json<{
          found: { units: number; value: number }
          missing: { units: number; value: number; items: { serial: string; recordedAt: string }[] }
          misplaced: { units: number; items: { serial: string; recordedAt: string; seenAt: string }[] }
          otherStatus: { units: number; items: { serial: string; statusAtScan: string }[] }
          unknown: { units: number; items: { serial: string }[] }
          quantities: { location: string; onHand: number; counted: number; variance: number; value: number }[]
          repeats: number
        }>()
        // A-4 is the one unit missing; B-5 was sold during the count, A-NEW and B-4 arrived during it.
        expect(r.missing.items.map((i) => [i.serial, i.recordedAt])).toEqual([['A-4', 'ST-A']])
        expect(r.missing.value).toBe(400)
        expect(r.found).toEqual({ units: 7, value: 2800 })
        expect(r.misplaced.items.map((i) => [i.serial, i.recordedAt, i.seenAt])).toEqual([['B-1', 'ST-B', 'ST-A']])
        expect(r.otherStatus.items).toMatchObject([{ serial: 'A-5', statusAtScan: 'sold' }])
        expect(r.unknown.items.map((i) => i.serial)).toEqual(['GHOST-1'])
        expect(r.repeats).toBe(1)
        expect(r.quantities.map((q) => [q.location, q.onHand, q.counted, q.variance, q.value]).sort()).toEqual([
          ['ST-A', 10, 9, -1, -2],
          ['ST-B', 10, 0, -10, -20],
        ])
        const csv = await manager.get(`/counts/${number}/export`)
        expect(csv.headers['content-type']).toContain('text/csv')
        expect(csv.body.split('\n')[0]).toContain('bucket,serial,sku')
        expect(csv.body).toMatch(/missing,A-4,PHX/)

        // Refusals write nothing: a clerk may not close.
        const events = await rowCount(db.kysely, 'event')
        const byClerk = await clerk.post(`/counts/${number}/close`, {})
        expect(byClerk.statusCode).toBe(403)
        expect(await rowCount(db.kysely, 'event')).toBe(events)

        const closed = await manager.post(`/counts/${number}/close`, {})
        expect(closed.statusCode, closed.body).toBe(201)
        expect(closed.json()).toMatchObject({ missing: 1, moved: 1, found: 0, quantityLines: 2 })
        expect(await unitOf('A-4')).toMatchObject({ status: 'missing', location: null })
        expect(await unitOf('B-1')).toMatchObject({ status: 'in_stock', location: { code: 'ST-A' } })
        // One ledger event for the whole close: each unit line names its own transition.
        expect(await rowCount(db.kysely, 'event')).toBe(events + 1)
        const close = await db.kysely
          .selectFrom('event')
          .selectAll()
          .where('seq', '=', closed.json<{ eventSeq: number }>().eventSeq)
          .executeTakeFirstOrThrow()
        expect(close).toMatchObject({ type: 'count_closed', unit_count: 2, quantity_line_count: 2 })
        const timeline = async (serial: string) => {
          const id = (await manager.get(`/units/lookup?code=${serial}`)).json<{ id: string }[]>()[0]!.id
          const entries = (await manager.get(`/units/${id}/timeline`)).json<
            { type: string; transition: string | null; location: string | null }[]
          >()
          const custody = (await manager.get(`/units/${id}/custody`)).json<{ location: string | null }[]>()
          return { last: entries.at(-1), custody: custody.at(-1) }
        }
        expect(await timeline('A-4')).toMatchObject({
          last: { type: 'count_closed', transition: 'lost', location: null },
          custody: { location: null },
        })
        expect(await timeline('B-1')).toMatchObject({
          last: { type: 'count_closed', transition: 'moved', location: 'ST-A' },
          custody: { location: 'ST-A' },
        })
        // EPCIS: the close is exported as its seal and one ObjectEvent per transition and place.
        const epcis = (await manager.get('/epcis/events')).json<{ epcisBody: { eventList: EpcisEvent[] } }>()
        expect(schemaProblems(epcis)).toBeUndefined()
        const parts = epcis.epcisBody.eventList.filter((e) => e['sl:seq'] === close.seq)
        expect(parts.map((e) => [e['sl:type'], e.disposition ?? null, e.epcList.length])).toEqual([
          ['count_closed', null, 0],
          ['lost', 'unknown', 1],
          ['moved', null, 1],
        ])
        expect(parts[1]).toMatchObject({ sourceList: [{ type: 'location' }] })
        expect(parts[1]!.quantityList!.map((q) => q.quantity).sort((a, b) => a - b)).toEqual([1, 10])
        expect(parts[2]!.bizLocation!.id).toContain('ST-A')
        const stock = (await manager.get('/stock?sku=CABLE&limit=10')).json<{ location: string; onHand: number }[]>()
        expect(stock.filter((s) => s.onHand !== 0).map((s) => [s.location, s.onHand])).toEqual([['ST-A', 7]])

        const after = await rowCount(db.kysely, 'event')
        for (const refused of [
          await manager.post(`/counts/${number}/close`, {}),
          await scan(clerk, 'ST-A', [{ key: key(), serial: 'A-1' }]),
          await manager.post(`/counts/${number}/recount`, { location: 'ST-A' }),
        ]) {
          expect(refused.statusCode).toBe(409)
          expect(refused.json()).toMatchObject({ code: 'count.closed' })
        }
        expect(await rowCount(db.kysely, 'event')).toBe(after)

        // A later count that scans the missing unit marks it found, where it was scanned.
        const later = (await manager.post('/counts', { location: 'ST-B', withExpected: true })).json<{
          number: string
        }>()
        const seen = await clerk.post(`/counts/${later.number}/scans`, {
          location: 'ST-B',
          scans: [{ key: key(), serial: 'A-4' }],
        })
        expect(seen.json<{ flags: { message: string }[] }>().flags[0]!.message).toMatch(/was missing: posted found/)
        expect(await unitOf('A-4')).toMatchObject({ status: 'in_stock', location: { code: 'ST-B' } })
        // Opened with expected figures: a counter may see its reconciliation.
        const open = await clerk.get(`/counts/${later.number}/reconciliation`)
        expect(open.statusCode).toBe(200)
        expect(open.json()).toMatchObject({ found: { units: 1 } })
        expect(await verifyLedger(db)).toVerify()
      },
    )

    it('loses no scan from two counters interleaved, and counts a replayed batch once', async () => {
      await manager.post('/receipts', {
        supplier: 'ACME',
        location: 'WH',
        lines: [{ sku: 'PHX', serials: serials('W', 200) }],
      })
      const number = (await manager.post('/counts', { location: 'WH' })).json<{ number: string }>().number
      const batchesOf = (list: string[]) =>
        Array.from({ length: list.length / 20 }, (_, i) =>
          list.slice(i * 20, i * 20 + 20).map((serial) => ({ key: `${number}-${serial}`, serial })),
        )
      const all = serials('W', 200)
      const first = batchesOf(all.filter((_, i) => i % 2 === 0))
      const second = batchesOf(all.filter((_, i) => i % 2 === 1))
      const post = (c: typeof clerk, scans: unknown[]) => c.post(`/counts/${number}/scans`, { location: 'WH', scans })
      const answers = await Promise.all(first.flatMap((b, i) => [post(clerk, b), post(clerk2, second[i]!)]))
      expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201))
      // The scanner lost its connection and sends its last two batches again.
      const replay = await Promise.all([post(clerk, first[4]!), post(clerk2, second[4]!)])
      expect(replay.map((a) => a.json())).toMatchObject([
        { accepted: 0, replayed: 20, eventSeq: null },
        { accepted: 0, replayed: 20, eventSeq: null },
      ])
      const r = (await manager.get(`/counts/${number}/reconciliation`)).json<{
        scans: number
        found: { units: number }
        missing: { units: number }
      }>()
      expect(r).toMatchObject({ scans: 200, found: { units: 200 }, missing: { units: 0 } })
      expect((await manager.get(`/counts/${number}`)).json()).toMatchObject({ scans: 200 })
      expect(await verifyLedger(db)).toVerify()
    })

    it('posts found, in the one close event, a unit scanned in the count and posted lost after its scan', async () => {
      await manager.post('/locations', { code: 'BR', name: 'Back room', kind: 'warehouse' })
      await manager.post('/receipts', {
        supplier: 'ACME',
        location: 'BR',
        lines: [{ sku: 'PHX', serials: ['F-1', 'F-2'] }],
      })
      const number = (await manager.post('/counts', { location: 'BR', skus: ['PHX'] })).json<{ number: string }>()
        .number
      const scanned = await clerk.post(`/counts/${number}/scans`, {
        location: 'BR',
        scans: ['F-1', 'F-2'].map((serial) => ({ key: key(), serial })),
      })
      expect(scanned.statusCode, scanned.body).toBe(201)
      // Seen on the shelf by the count, then posted lost by hand before the count closes.
      const lost = await manager.post('/adjustments', { kind: 'lost', reason: 'shelf empty', units: ['F-1'] })
      expect(lost.statusCode, lost.body).toBe(201)
      const r = (await manager.get(`/counts/${number}/reconciliation`)).json<{ found: { units: number } }>()
      expect(r.found.units).toBe(2)
      const closed = await manager.post(`/counts/${number}/close`, {})
      expect(closed.json()).toMatchObject({ missing: 0, moved: 0, found: 1 })
      expect(await unitOf('F-1')).toMatchObject({ status: 'in_stock', location: { code: 'BR' } })
      const lines = await db.kysely
        .selectFrom('event_unit')
        .select(['serial', 'attributes'])
        .where('event_seq', '=', closed.json<{ eventSeq: number }>().eventSeq)
        .execute()
      expect(lines.map((l) => [l.serial, JSON.parse(l.attributes!).as])).toEqual([['F-1', 'found']])
      expect(await verifyLedger(db)).toVerify()
    })

    it('recounts a zone: its earlier scans are set aside, so what it misses then is missing', async () => {
      const number = (await manager.post('/counts', { location: 'ST', skus: ['PHX'] })).json<{ number: string }>()
        .number
      const scanB = (list: string[]) =>
        clerk.post(`/counts/${number}/scans`, {
          location: 'ST-B',
          scans: list.map((serial) => ({ key: key(), serial })),
        })
      await scanB(['B-2', 'B-3'])
      // B-3 is scanned again in zone A: a repeat, until the recount sets its zone-B scan aside.
      const again = await clerk.post(`/counts/${number}/scans`, {
        location: 'ST-A',
        scans: [{ key: key(), serial: 'B-3' }],
      })
      expect(again.json<{ flags: { flag: string }[] }>().flags.map((f) => f.flag)).toEqual(['repeat', 'elsewhere'])
      const recount = await manager.post(`/counts/${number}/recount`, { location: 'ST-B' })
      expect(recount.statusCode, recount.body).toBe(201)
      await scanB(['B-2'])
      const r = (await manager.get(`/counts/${number}/reconciliation`)).json<{
        scans: number
        repeats: number
        missing: { items: { serial: string }[] }
        misplaced: { items: { serial: string; seenAt: string }[] }
      }>()
      expect(r).toMatchObject({ scans: 2, repeats: 0 })
      expect(r.misplaced.items).toMatchObject([{ serial: 'B-3', seenAt: 'ST-A' }])
      const missing = r.missing.items.map((i) => i.serial)
      expect(missing).not.toContain('B-2')
      expect(missing).not.toContain('B-3')
      expect(missing).toContain('A-4')
      const refused = await clerk.post(`/counts/${number}/scans`, {
        location: 'WH',
        scans: [{ key: key(), serial: 'W-1' }],
      })
      expect(refused.json()).toMatchObject({ code: 'count.outside_scope' })
      expect(await verifyLedger(db)).toVerify()

      // The tally is a projection of the ledger: a scan changed behind its back is caught by verify.
      const tamper = (quantity: number) =>
        db.kysely
          .updateTable('count_scan')
          .set({ quantity })
          .where('kind', '=', 'unit')
          .where('serial', '=', 'B-2')
          .execute()
      await tamper(3)
      expect(await verifyLedger(db)).toMatchObject({ ok: false, problem: { table: 'count_scan' } })
      await tamper(1)
      expect(await verifyLedger(db)).toVerify()
    })
  })
}
