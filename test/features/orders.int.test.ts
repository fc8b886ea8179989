import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../src/cli/import.command.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import {
  cancelOrder,
  checkScan,
  listOrders,
  orderView,
  pickList,
  pickOrder,
  placeOrder,
  shipOrder,
} from '../../src/modules/orders/index.js'
import { closeRecall, openRecall } from '../../src/modules/quality/index.js'
import { listUnits } from '../../src/modules/units/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTestDb } from '../factories.js'
import { appWithUsers, rest } from '../http.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: sales orders, picking and shipping`, () => {
    const t = useTestDb(dialect)

    async function world() {
      const g = t.given
      const [phone, tablet, cable] = [await g.sku(), await g.sku(), await g.sku({ tracking: 'quantity', price: 9 })]
      const place = await g.place()
      const shelf = await g.child(place.site.code, 'zone')
      const customer = await g.customer()
      const serials = Array.from({ length: 5 }, () => g.uniq('SN'))
      const tabletSerial = g.uniq('TB')
      // Oldest first: the first two phones arrive a receipt earlier than the rest.
      await g.receipt({ ...place.header, lines: [{ sku: phone.code, serials: serials.slice(0, 2) }] })
      await g.receipt({
        ...place.header,
        location: shelf.code,
        lines: [
          { sku: phone.code, serials: serials.slice(2) },
          { sku: tablet.code, serials: [tabletSerial] },
          { sku: cable.code, quantity: 10 },
        ],
      })
      return { phone, tablet, cable, site: place.site, shelf, customer, serials, tabletSerial }
    }
    const events = () => rowCount(t.db.kysely, 'event')

    it('never offers, picks or passes a scan of a unit an open recall covers, quarantined yet or not', async () => {
      const w = await world()
      const placed = await t.given.op(placeOrder, {
        customer: w.customer.code,
        site: w.site.code,
        lines: [{ sku: w.phone.code, quantity: 2 }],
      })
      // Opened, not yet quarantined: the unit is still in stock.
      const recall = await t.given.op(openRecall, { title: 'swelling', criteria: { serials: [w.serials[0]!] } })
      const picks = await pickList(t.db.kysely, [placed.number])
      expect(picks.lines[0]!.picks.map((p) => p.serial)).toEqual(w.serials.slice(1, 3))
      expect(await checkScan(t.db.kysely, placed.number, { serial: w.serials[0]!, picked: [] })).toMatchObject({
        ok: false,
        code: 'recall.affected',
        message: expect.stringContaining(recall.number),
      })
      const before = await events()
      const refused = await caught(() => t.given.op(pickOrder, { number: placed.number, units: [w.serials[0]!] }))
      expect(refused).toMatchObject({ code: 'recall.affected', message: expect.stringContaining(recall.number) })
      expect(await events()).toBe(before)
      await t.given.op(pickOrder, { number: placed.number, units: [w.serials[1]!] })
      // Closed, the recall holds nothing back: the unit is offered and picked again.
      await t.given.op(closeRecall, { number: recall.number })
      const after = await pickList(t.db.kysely, [placed.number])
      expect(after.lines[0]!.picks.map((p) => p.serial)).toEqual([w.serials[0]!])
      await t.given.op(pickOrder, { number: placed.number, units: [w.serials[0]!] })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('places an order, lists where to pick, refuses wrong picks, ships part and then the back-order', async () => {
      const w = await world()
      const placed = await t.given.op(placeOrder, {
        externalRef: t.given.uniq('SHOP'),
        customer: w.customer.code,
        site: w.site.code,
        shipBy: '2026-01-05',
        lines: [
          { sku: w.phone.code, quantity: 3, price: 650 },
          { sku: w.cable.code, quantity: 4, reserve: true },
        ],
      })
      expect(placed).toMatchObject({ status: 'open', replayed: false, number: expect.stringMatching(/^SO-/) })
      const view = await orderView(t.db.kysely, placed.number)
      expect(view.lines).toEqual([
        expect.objectContaining({ sku: w.phone.code, quantity: 3, open: 3, price: 650, reserved: 0 }),
        expect.objectContaining({ sku: w.cable.code, quantity: 4, open: 4, reserved: 4 }),
      ])

      const picks = await pickList(t.db.kysely, [placed.number])
      expect(picks.lines[0]!.picks.map((p) => p.serial)).toEqual(w.serials.slice(0, 3))
      expect(picks.lines[1]).toMatchObject({ picks: [{ location: w.shelf.code, quantity: 4 }], short: 0 })

      // Scan checks: the screen's instant feedback.
      const ok = await checkScan(t.db.kysely, placed.number, { serial: w.serials[0]!, picked: [] })
      expect(ok).toMatchObject({ ok: true, sku: w.phone.code, openForSku: 2 })
      expect(
        await checkScan(t.db.kysely, placed.number, { serial: w.serials[0]!, picked: [w.serials[0]!] }),
      ).toMatchObject({ ok: false, code: 'order.already_picked' })
      expect(await checkScan(t.db.kysely, placed.number, { serial: w.tabletSerial, picked: [] })).toMatchObject({
        ok: false,
        code: 'order.wrong_sku',
      })
      expect(await checkScan(t.db.kysely, placed.number, { serial: 'NOPE', picked: [] })).toMatchObject({
        ok: false,
        code: 'unit.not_found',
      })

      // Refusals write nothing: wrong SKU, a unit sold already, a serial listed twice.
      const before = await events()
      expect(
        await caught(() => t.given.op(shipOrder, { number: placed.number, units: [w.tabletSerial] })),
      ).toMatchObject({
        code: 'order.wrong_sku',
      })
      await t.given.op(sell, { orderRef: 'walk-in', units: [w.serials[4]!] })
      const sold = await caught(() => t.given.op(shipOrder, { number: placed.number, units: [w.serials[4]!] }))
      expect(sold).toMatchObject({
        code: 'order.unit_not_pickable',
        message: expect.stringMatching(/sold, not in stock/),
      })
      expect(
        await caught(() => t.given.op(shipOrder, { number: placed.number, units: [w.serials[0]!, w.serials[0]!] })),
      ).toMatchObject({ code: 'order.already_picked' })
      expect(await events()).toBe(before + 1)

      // Partial shipment: two phones and the cables; one phone stays on back-order.
      const first = await t.given.op(shipOrder, {
        number: placed.number,
        units: w.serials.slice(0, 2),
        quantities: [{ sku: w.cable.code, location: w.shelf.code, quantity: 4 }],
      })
      expect(first).toMatchObject({ number: placed.number, unitCount: 2, quantity: 4 })
      const partial = await orderView(t.db.kysely, placed.number)
      expect(partial.status).toBe('partially_shipped')
      expect(partial.lines.map((l) => [l.shipped, l.open, l.reserved])).toEqual([
        [2, 1, 0],
        [4, 0, 0],
      ])
      expect(partial.shipments).toEqual([
        expect.objectContaining({ eventSeq: first.eventSeq, serials: w.serials.slice(0, 2), quantity: 4 }),
      ])
      const [unit] = (await listUnits(t.db.kysely, { sku: w.phone.code, status: 'sold', limit: 10 })).items.filter(
        (u) => u.serial === w.serials[0],
      )
      expect(unit).toMatchObject({ status: 'sold' })
      const event = await t.db.kysely
        .selectFrom('event')
        .selectAll()
        .where('seq', '=', first.eventSeq)
        .executeTakeFirstOrThrow()
      expect(event).toMatchObject({ type: 'sold', document_type: 'sales_order', document_id: placed.id })
      expect(JSON.parse(event.payload)).toMatchObject({ salesOrder: placed.number, customerId: w.customer.id })
      expect(
        await caught(() => t.given.op(shipOrder, { number: placed.number, units: [w.serials[2]!, w.serials[3]!] })),
      ).toMatchObject({ code: 'order.not_needed' })

      await t.given.op(shipOrder, { number: placed.number, units: [w.serials[2]!] })
      expect((await orderView(t.db.kysely, placed.number)).status).toBe('shipped')
      expect(await caught(() => t.given.op(cancelOrder, { number: placed.number }))).toMatchObject({
        code: 'order.closed',
      })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('reserves quantity stock at the site and releases it when the order is cancelled', async () => {
      const w = await world()
      const first = await t.given.op(placeOrder, {
        site: w.site.code,
        lines: [{ sku: w.cable.code, quantity: 7, reserve: true }],
      })
      const refused = await caught(() =>
        t.given.op(placeOrder, { site: w.site.code, lines: [{ sku: w.cable.code, quantity: 4, reserve: true }] }),
      )
      expect(refused).toMatchObject({ code: 'order.cannot_reserve', message: expect.stringMatching(/3 free/) })
      // Another order may not ship what the first one holds: 10 on hand, 7 reserved.
      const other = await t.given.op(placeOrder, { site: w.site.code, lines: [{ sku: w.cable.code, quantity: 5 }] })
      const taken = await caught(() =>
        t.given.op(shipOrder, {
          number: other.number,
          quantities: [{ sku: w.cable.code, location: w.shelf.code, quantity: 5 }],
        }),
      )
      expect(taken).toMatchObject({
        code: 'order.reserved',
        message: expect.stringMatching(
          new RegExp(`5 wanted at ${w.site.code}, 3 free \\(7 reserved for order ${first.number}\\)`),
        ),
      })
      // A plain sale outside any order is held to the reservation too.
      const plain = await caught(() =>
        t.given.op(sell, {
          orderRef: 'walk-in',
          quantities: [{ sku: w.cable.code, location: w.shelf.code, quantity: 4 }],
        }),
      )
      expect(plain).toMatchObject({ code: 'order.reserved', message: expect.stringContaining(first.number) })
      await t.given.op(sell, {
        orderRef: 'walk-in',
        quantities: [{ sku: w.cable.code, location: w.shelf.code, quantity: 1 }],
      })
      await t.given.op(cancelOrder, { number: other.number })
      await t.given.op(cancelOrder, { number: first.number, reason: 'customer changed mind' })
      expect((await orderView(t.db.kysely, first.number)).status).toBe('cancelled')
      const second = await t.given.op(placeOrder, {
        site: w.site.code,
        lines: [{ sku: w.cable.code, quantity: 9, reserve: true }],
      })
      expect((await orderView(t.db.kysely, second.number)).lines[0]!.reserved).toBe(9)
      expect(await pickList(t.db.kysely, [first.number])).toMatchObject({ lines: [] })
    })

    it('stores picks as ledger events: a picked unit is reserved for its order against every other sale', async () => {
      const w = await world()
      const a = await t.given.op(placeOrder, { site: w.site.code, lines: [{ sku: w.phone.code, quantity: 2 }] })
      const b = await t.given.op(placeOrder, { site: w.site.code, lines: [{ sku: w.phone.code, quantity: 1 }] })
      const picked = await t.given.op(pickOrder, { number: a.number, units: [w.serials[0]!] })
      const event = await t.db.kysely
        .selectFrom('event')
        .selectAll()
        .where('seq', '=', picked.eventSeq)
        .executeTakeFirstOrThrow()
      expect(event).toMatchObject({ type: 'order_picked', document_id: a.id, unit_count: 1 })
      expect((await orderView(t.db.kysely, a.number)).picked).toEqual([w.serials[0]])

      // Already picked is a stored fact: a fresh scan session (nothing in its memory) is told so.
      expect(await checkScan(t.db.kysely, a.number, { serial: w.serials[0]!, picked: [] })).toMatchObject({
        ok: false,
        code: 'order.already_picked',
      })
      const before = await events()
      expect(await caught(() => t.given.op(pickOrder, { number: a.number, units: [w.serials[0]!] }))).toMatchObject({
        code: 'order.already_picked',
      })
      // Another order, its scan check and a plain sale may not take it: a 409 naming the order.
      expect(await checkScan(t.db.kysely, b.number, { serial: w.serials[0]!, picked: [] })).toMatchObject({
        ok: false,
        code: 'order.reserved',
        message: expect.stringContaining(`reserved for order ${a.number}`),
      })
      expect(await caught(() => t.given.op(pickOrder, { number: b.number, units: [w.serials[0]!] }))).toMatchObject({
        code: 'order.reserved',
      })
      expect(await caught(() => t.given.op(shipOrder, { number: b.number, units: [w.serials[0]!] }))).toMatchObject({
        code: 'order.reserved',
      })
      const { app, as } = await appWithUsers(t.db)
      try {
        const clerk = rest(await as('clerk', { username: t.given.uniq('picker') }))
        const res = await clerk.post('/sales', { orderRef: 'walk-in', units: [w.serials[0]] })
        expect(res.statusCode).toBe(409)
        expect(res.json()).toMatchObject({
          code: 'order.reserved',
          detail: expect.stringContaining(`is reserved for order ${a.number}`),
        })
        const list = (await clerk.get('/orders?limit=10')).json()
        expect(list.map((o: { number: string }) => o.number)).toEqual(expect.arrayContaining([a.number, b.number]))
      } finally {
        await app.close()
      }
      expect(await events()).toBe(before)
      // The pick list leaves picked units out; the order's own pick counts as taken.
      const list = await pickList(t.db.kysely, [a.number, b.number])
      expect(list.lines.map((l) => l.picks.map((p) => p.serial))).toEqual([[w.serials[1]], [w.serials[2]]])

      // Shipping the pick frees nothing to others until it ships; cancelling the order releases the pick.
      await t.given.op(pickOrder, { number: b.number, units: [w.serials[1]!] })
      await t.given.op(cancelOrder, { number: b.number })
      await t.given.op(sell, { orderRef: 'walk-in', units: [w.serials[1]!] })
      const shipped = await t.given.op(shipOrder, { number: a.number, units: [w.serials[0]!, w.serials[2]!] })
      expect(shipped.unitCount).toBe(2)
      expect((await orderView(t.db.kysely, a.number)).picked).toEqual([])
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('lists orders in the same few queries however many there are (no query per order)', async () => {
      const w = await world()
      let queries = 0
      const counted = t.db.kysely.withPlugin({
        transformQuery: (args) => {
          queries++
          return args.node
        },
        transformResult: async (args) => args.result,
      })
      const place = () =>
        t.given.op(placeOrder, { customer: w.customer.code, lines: [{ sku: w.phone.code, quantity: 1 }] })
      const queriesOfList = async () => {
        queries = 0
        const listed = await listOrders(counted, { limit: 100 })
        return { queries, listed: listed.length }
      }
      await place()
      await queriesOfList() // statements built once (runShaped) are counted on their first run only
      const one = await queriesOfList()
      for (let i = 0; i < 12; i++) await place()
      const many = await queriesOfList()
      expect(many.listed).toBe(one.listed + 12)
      expect(many.queries).toBe(one.queries)
    })

    it('refuses an order with bad lines, naming each, and writes nothing', async () => {
      const w = await world()
      const before = await events()
      const e = await caught(() =>
        t.given.op(placeOrder, {
          lines: [
            { sku: 'NOPE', quantity: 1 },
            { sku: w.phone.code, quantity: 1, reserve: true },
          ],
        }),
      )
      expect(e.code).toBe('order.invalid')
      expect(e.issues).toEqual([
        expect.objectContaining({ row: 1, field: 'lines[0].sku', message: 'no SKU with code NOPE' }),
        expect.objectContaining({ row: 2, field: 'lines[1].reserve' }),
        expect.objectContaining({ row: 2, field: 'lines[1].reserve', message: 'reserving needs the site' }),
      ])
      expect(await events()).toBe(before)
    })

    it('records a completed POS sale once however often the till retries it', async () => {
      const w = await world()
      const ref = t.given.uniq('POS')
      const sale = {
        externalRef: ref,
        source: 'pos' as const,
        site: w.shelf.code,
        completed: true,
        lines: [
          { sku: w.phone.code, quantity: 1, serials: [w.serials[3]!] },
          { sku: w.cable.code, quantity: 2 },
        ],
      }
      const first = await t.given.op(placeOrder, sale)
      expect(first).toMatchObject({ status: 'shipped', replayed: false, shipmentEventSeq: first.placedEventSeq + 1 })
      const before = await events()
      const again = await t.given.op(placeOrder, sale)
      expect(again).toEqual({ ...first, replayed: true })
      expect(await events()).toBe(before)
      const sales = await t.db.kysely
        .selectFrom('event')
        .select('seq')
        .where('document_id', '=', first.id)
        .where('type', '=', 'sold')
        .execute()
      expect(sales).toHaveLength(1)
      expect(await caught(() => t.given.op(placeOrder, { ...sale, lines: [sale.lines[1]!] }))).toMatchObject({
        code: 'order.external_ref_conflict',
      })
      // A till's serial of another SKU on a line is refused.
      const wrong = await caught(() =>
        t.given.op(placeOrder, {
          ...sale,
          externalRef: t.given.uniq('POS'),
          lines: [{ sku: w.phone.code, quantity: 1, serials: [w.tabletSerial] }],
        }),
      )
      expect(wrong).toMatchObject({ code: 'order.wrong_sku' })
      await t.given.op(returnGoods, { location: w.shelf.code, units: [w.serials[3]!] })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('imports orders from CSV and JSON in one transaction, once per external reference', async () => {
      const w = await world()
      const dir = mkdtempSync(join(tmpdir(), 'sl-orders-'))
      const file = (name: string, text: string) => {
        writeFileSync(join(dir, name), text)
        return join(dir, name)
      }
      const [a, b] = [t.given.uniq('WEB'), t.given.uniq('WEB')]
      const csv = file(
        'orders.csv',
        [
          'order,customer,site,ship_by,sku,quantity,price,reserve',
          `${a},${w.customer.code},${w.site.code},2026-02-01,${w.phone.code},2,,`,
          `${a},${w.customer.code},${w.site.code},2026-02-01,${w.cable.code},3,8.5,true`,
          `${b},,${w.site.code},,${w.phone.code},1,,`,
        ].join('\n'),
      )
      expect(await importFile(t.ctx, 'orders', csv, { actor: 'cli' })).toMatchObject({
        kind: 'orders',
        orders: 2,
        lines: 3,
        alreadyPlaced: 0,
      })
      const before = await events()
      expect(await importFile(t.ctx, 'orders', csv, { actor: 'cli' })).toMatchObject({ orders: 2, alreadyPlaced: 2 })
      expect(await events()).toBe(before)
      const bad = file('bad.csv', ['order,sku,quantity', `${t.given.uniq('WEB')},${w.phone.code},-1`].join('\n'))
      const refused = await caught(() => importFile(t.ctx, 'orders', bad, { actor: 'cli' }))
      expect(refused).toMatchObject({ code: 'import.invalid' })
      expect(refused.issues).toEqual([expect.objectContaining({ row: 2, field: 'lines.0.quantity' })])
      const json = file(
        'orders.json',
        JSON.stringify([{ externalRef: t.given.uniq('MKT'), lines: [{ sku: w.tablet.code, quantity: 1 }] }]),
      )
      expect(await importFile(t.ctx, 'orders', json, { actor: 'cli' })).toMatchObject({ orders: 1 })
      // One unknown SKU refuses the whole file: nothing of it is written.
      const mixed = file(
        'mixed.json',
        JSON.stringify([
          { externalRef: t.given.uniq('MKT'), lines: [{ sku: w.tablet.code, quantity: 1 }] },
          { externalRef: 'MKT-bad', lines: [{ sku: 'NOPE', quantity: 1 }] },
        ]),
      )
      const before2 = await events()
      expect(await caught(() => importFile(t.ctx, 'orders', mixed, { actor: 'cli' }))).toMatchObject({
        code: 'order.invalid',
        message: expect.stringMatching(/order MKT-bad \(row 2\)/),
      })
      expect(await events()).toBe(before2)
    })

    it('answers a till that retries POST /orders concurrently with one sale', async () => {
      const w = await world()
      const { app, as } = await appWithUsers(t.db)
      try {
        const till = rest(await as('clerk'))
        const body = {
          externalRef: t.given.uniq('TILL'),
          source: 'pos',
          site: w.shelf.code,
          completed: true,
          lines: [{ sku: w.phone.code, quantity: 1, serials: [w.serials[2]] }],
        }
        const answers = await Promise.all([till.post('/orders', body), till.post('/orders', body)])
        expect(answers.map((r) => r.statusCode)).toEqual([201, 201])
        expect(answers.map((r) => r.json().replayed).sort()).toEqual([false, true])
        expect(answers[0]!.json().number).toBe(answers[1]!.json().number)
        const order = (await till.get(`/orders/${answers[0]!.json().number}`)).json()
        expect(order).toMatchObject({ status: 'shipped', shipments: [{ serials: [w.serials[2]] }] })
        const bad = await till.post('/orders', { ...body, lines: [] })
        expect(bad.statusCode).toBe(400)
        expect((await till.get('/orders/SO-none')).json()).toMatchObject({ code: 'order.not_found' })
      } finally {
        await app.close()
      }
    })
  })
}
