import { describe, expect, it } from 'vitest'
import { apply } from '../../src/modules/operations/index.js'
import { adjust, restock, scrap } from '../../src/modules/adjustments/index.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import { stockOnHand } from '../../src/modules/stock/index.js'
import { getUnit, listUnits, unitTimeline } from '../../src/modules/units/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { DIALECTS, DIALECTS_AND_PATHS } from '../dialects.js'
import { caught, nextEventSeq, useTestDb } from '../factories.js'

// On PostgreSQL's locked write path too: a generated document number comes from the event's seq, which
// the two paths take differently (after the head; from a sequence).
for (const dialect of DIALECTS_AND_PATHS) {
  describe(`${dialect.label}: stock operations`, () => {
    const t = useTestDb(dialect)

    async function world() {
      const g = t.given
      const [phone, cable, cream] = [
        await g.sku(),
        await g.sku({ tracking: 'quantity', price: 9 }),
        await g.sku({ tracking: 'lot' }),
      ]
      const warehouse = await g.site({ kind: 'warehouse' })
      const zone = await g.child(warehouse.code, 'zone')
      const bin = await g.child(zone.code, 'bin')
      const store = await g.site({ kind: 'store' })
      const [supplier, customer] = [await g.supplier(), await g.customer()]
      const serials = Array.from({ length: 6 }, () => g.uniq('SN'))
      await g.receipt({
        supplier: supplier.code,
        location: warehouse.code,
        lines: [
          { sku: phone.code, serials },
          { sku: cable.code, quantity: 10 },
          { sku: cream.code, lot: 'L1', quantity: 5 },
        ],
      })
      const unit = async (serial: string) =>
        (await listUnits(t.db.kysely, { sku: phone.code, limit: 100 })).items.find((u) => u.serial === serial)!
      return { phone, cable, cream, warehouse, zone, bin, store, supplier, customer, serials, unit }
    }

    it('moves within a site, transfers in two steps and sells from the store', async () => {
      const w = await world()
      const [a, b] = w.serials
      await t.given.run((s) =>
        apply(s, move, {
          to: w.bin.code,
          from: w.warehouse.code,
          units: [a!],
          quantities: [{ sku: w.cable.code, quantity: 4, from: w.warehouse.code }],
          reason: 'put away',
        }),
      )
      expect((await w.unit(a!)).location?.code).toBe(w.bin.code)

      const shipped = await t.given.run((s) =>
        apply(s, shipTransfer, {
          from: w.warehouse.code,
          to: w.store.code,
          units: [a!, b!],
          quantities: [{ sku: w.cable.code, quantity: 3 }],
        }),
      )
      expect(await w.unit(a!)).toMatchObject({ status: 'in_transit', location: null, transfer: shipped.number })
      const onHand = async (sku: string, loc: string) =>
        (await stockOnHand(t.db.kysely, { sku, location: loc, limit: 10 })).reduce((n, r) => n + r.onHand, 0)
      expect(await onHand(w.cable.code, w.warehouse.code)).toBe(7)

      const received = await t.given.run((s) => apply(s, receiveTransfer, { number: shipped.number }))
      expect(received).toMatchObject({ unitCount: 2, quantity: 3 })
      expect(await w.unit(b!)).toMatchObject({ status: 'in_stock', location: { code: w.store.code }, transfer: null })
      expect(await onHand(w.cable.code, w.store.code)).toBe(3)
      expect((await caught(() => t.given.run((s) => apply(s, receiveTransfer, { number: shipped.number })))).code).toBe(
        'transfer.invalid',
      )

      const sale = await t.given.run((s) =>
        apply(s, sell, {
          customer: w.customer.code,
          orderRef: 'POS-1',
          from: w.store.code,
          units: [{ serial: a!, price: 750 }],
          quantities: [{ sku: w.cable.code, location: w.store.code, quantity: 1 }],
        }),
      )
      expect(sale.unitCount).toBe(1)
      const sold = await w.unit(a!)
      expect(sold).toMatchObject({
        status: 'sold',
        location: null,
        salePrice: 750,
        orderRef: 'POS-1',
        customer: { code: w.customer.code },
      })
      expect(sold.warrantyEndsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      const timeline = await unitTimeline(t.db.kysely, sold.id)
      expect(timeline.map((e) => e.type)).toEqual([
        'received',
        'moved',
        'transfer_shipped',
        'transfer_received',
        'sold',
      ])
      expect(timeline[4]).toMatchObject({
        party: { code: w.customer.code },
        orderRef: 'POS-1',
        price: 750,
        actor: 'test-clerk',
      })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('refuses a sale of a unit that is not in stock, naming it and its status, and writes nothing', async () => {
      const w = await world()
      const [a, b] = w.serials
      await t.given.run((s) => apply(s, sell, { orderRef: 'O-1', units: [a!] }))
      const before = await getUnit(t.db.kysely, (await w.unit(b!)).id)
      const err = await caught(() => t.given.run((s) => apply(s, sell, { orderRef: 'O-2', units: [b!, a!] })))
      expect(err).toMatchObject({ code: 'unit.illegal_transition' })
      expect(err.message).toContain(`${w.phone.code} ${a} is sold`)
      expect(await getUnit(t.db.kysely, before.id)).toEqual(before)
      expect(
        (await caught(() => t.given.run((s) => apply(s, sell, { orderRef: 'O-3', units: ['NOPE-1'] })))).code,
      ).toBe('unit.not_found')
      expect(
        (await caught(() => t.given.run((s) => apply(s, sell, { orderRef: 'O-3', from: w.store.code, units: [b!] }))))
          .code,
      ).toBe('unit.wrong_location')
    })

    it('takes returns, restocks, records lost and found, and scraps', async () => {
      const w = await world()
      const [a, b, c] = w.serials
      await t.given.run((s) => apply(s, sell, { customer: w.customer.code, orderRef: 'O-9', units: [a!] }))
      await t.given.run((s) =>
        apply(s, returnGoods, {
          location: w.store.code,
          customer: w.customer.code,
          orderRef: 'O-9',
          units: [a!],
          reason: 'changed mind',
        }),
      )
      expect(await w.unit(a!)).toMatchObject({ status: 'returned', location: { code: w.store.code } })
      expect((await caught(() => t.given.run((s) => apply(s, sell, { orderRef: 'O-10', units: [a!] })))).code).toBe(
        'unit.illegal_transition',
      )
      await t.given.run((s) => apply(s, restock, { units: [a!] }))
      expect((await w.unit(a!)).status).toBe('in_stock')

      // Lost "from" the store while it sits in the warehouse: refused, nothing written.
      const elsewhere = await caught(() =>
        t.given.run((s) =>
          apply(s, adjust, {
            kind: 'lost',
            reason: 'count difference',
            location: w.store.code,
            units: [b!],
            quantities: [],
          }),
        ),
      )
      expect(elsewhere).toMatchObject({
        code: 'unit.wrong_location',
        issues: [{ value: b, message: expect.stringContaining(`is not at ${w.store.code}`) }],
      })
      expect((await w.unit(b!)).status).toBe('in_stock')
      await t.given.run((s) =>
        apply(s, adjust, {
          kind: 'lost',
          reason: 'count difference',
          location: w.warehouse.code,
          units: [b!],
          quantities: [],
        }),
      )
      expect(await w.unit(b!)).toMatchObject({ status: 'missing', location: null })
      expect(
        (
          await caught(() =>
            t.given.run((s) => apply(s, adjust, { kind: 'found', reason: 'x', units: [b!], quantities: [] })),
          )
        ).code,
      ).toBe('request.invalid')
      await t.given.run((s) =>
        apply(s, adjust, { kind: 'found', reason: 'behind shelf', location: w.bin.code, units: [b!], quantities: [] }),
      )
      expect(await w.unit(b!)).toMatchObject({ status: 'in_stock', location: { code: w.bin.code } })

      await t.given.run((s) =>
        apply(s, scrap, {
          reason: 'water damage',
          units: [c!],
          quantities: [{ sku: w.cream.code, lot: 'L1', location: w.warehouse.code, quantity: 2 }],
        }),
      )
      expect((await w.unit(c!)).status).toBe('scrapped')
      expect((await caught(() => t.given.run((s) => apply(s, restock, { units: [c!] })))).code).toBe(
        'unit.illegal_transition',
      )
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('never lets quantity stock go negative unless the SKU allows it', async () => {
      const w = await world()
      const err = await caught(() =>
        t.given.run((s) =>
          apply(s, sell, {
            orderRef: 'Q-1',
            quantities: [
              { sku: w.cable.code, location: w.warehouse.code, quantity: 6 },
              { sku: w.cable.code, location: w.warehouse.code, quantity: 5 },
            ],
          }),
        ),
      )
      expect(err.code).toBe('stock.insufficient')
      expect(err.message).toContain('11 needed, 10 on hand')
      expect(
        (
          await caught(() =>
            t.given.run((s) =>
              apply(s, sell, {
                orderRef: 'Q-2',
                quantities: [{ sku: w.cable.code, location: w.store.code, quantity: 1 }],
              }),
            ),
          )
        ).code,
      ).toBe('stock.insufficient')
      const loose = await t.given.sku({ tracking: 'quantity', allowNegative: true })
      await t.given.run((s) =>
        apply(s, sell, { orderRef: 'Q-3', quantities: [{ sku: loose.code, location: w.store.code, quantity: 2 }] }),
      )
      expect((await stockOnHand(t.db.kysely, { sku: loose.code, limit: 10 }))[0]?.onHand).toBe(-2)
    })

    it('needs the SKU when a serial exists for two SKUs', async () => {
      const [x, y] = [await t.given.sku(), await t.given.sku()]
      const site = await t.given.site()
      const sup = await t.given.supplier()
      await t.given.receipt({
        supplier: sup.code,
        location: site.code,
        lines: [
          { sku: x.code, serials: ['SAME-1'] },
          { sku: y.code, serials: ['SAME-1'] },
        ],
      })
      expect(
        (await caught(() => t.given.run((s) => apply(s, sell, { orderRef: 'A-1', units: ['SAME-1'] })))).code,
      ).toBe('unit.ambiguous')
      const r = await t.given.run((s) =>
        apply(s, sell, { orderRef: 'A-1', units: [{ serial: 'same-1', sku: y.code }] }),
      )
      expect(r.unitCount).toBe(1)
    })

    const generatedNumbers =
      'gives a generated number a suffix when a client already used it, and refuses a client number used twice'
    it(generatedNumbers, async () => {
      const w = await world()
      const [a, b, c] = w.serials
      // A client names its own order (the next event) with the number the ledger will generate for the event
      // after it: `ORD-<its seq>`, the seq after the head (SQLite, locked) or the sequence's next (sequenced).
      const ordSeq = (await nextEventSeq(t.db)) + 1
      const mine = await t.given.run((s) =>
        apply(s, sell, { customer: w.customer.code, orderRef: 'POS-9', number: `ORD-${ordSeq}`, units: [a!] }),
      )
      expect(mine.number).toBe(`ORD-${ordSeq}`)
      const generated = await t.given.run((s) =>
        apply(s, sell, { customer: w.customer.code, orderRef: 'POS-10', units: [b!] }),
      )
      expect(generated.number).toBe(`ORD-${ordSeq}-2`)
      const again = await caught(() =>
        t.given.run((s) =>
          apply(s, sell, { customer: w.customer.code, orderRef: 'POS-11', number: `ORD-${ordSeq}`, units: [c!] }),
        ),
      )
      expect(again).toMatchObject({ code: 'document.duplicate' })
      expect((await w.unit(c!)).status).toBe('in_stock')

      // Receipts the same way: RCV-<next seq>, with a suffix when a client took it.
      const rcvSeq = (await nextEventSeq(t.db)) + 1
      const lines = (serial: string) => [{ sku: w.phone.code, serials: [serial] }]
      expect(
        (
          await t.given.receipt({
            supplier: w.supplier.code,
            location: w.warehouse.code,
            number: `RCV-${rcvSeq}`,
            lines: lines(t.given.uniq('SN')),
          })
        ).number,
      ).toBe(`RCV-${rcvSeq}`)
      expect(
        (
          await t.given.receipt({
            supplier: w.supplier.code,
            location: w.warehouse.code,
            lines: lines(t.given.uniq('SN')),
          })
        ).number,
      ).toBe(`RCV-${rcvSeq}-2`)
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: location subtrees`, () => {
    const t = useTestDb(dialect)
    it('treats _ and % in codes literally, and refuses a code differing only in case', async () => {
      const sku = await t.given.sku()
      const sup = await t.given.supplier()
      const [a, b, c] = [
        await t.given.site({ code: 'ST_A' }),
        await t.given.site({ code: 'STXA' }),
        await t.given.site({ code: 'ST%A' }),
      ]
      // Codes are unique regardless of case (issue 11 item 22): st_a is ST_A.
      await expect(t.given.site({ code: 'st_a' })).rejects.toMatchObject({ code: 'location.duplicate' })
      for (const [i, site] of [a, b, c].entries())
        await t.given.receipt({
          supplier: sup.code,
          location: site.code,
          lines: [{ sku: sku.code, serials: [`LOC-${i}`] }],
        })
      const page = await listUnits(t.db.kysely, { location: 'ST_A', limit: 10 })
      expect(page.items.map((u) => u.serial)).toEqual(['LOC-0'])
      expect((await stockOnHand(t.db.kysely, { location: 'ST_A', limit: 10 })).map((r) => r.location)).toEqual(['ST_A'])
    })
  })
}
