import { describe, expect, it } from 'vitest'
import { createParty } from '../../src/modules/parties/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { unitPricing } from '../../src/modules/pricing/index.js'
import { claimView } from '../../src/modules/quality/index.js'
import { disposeReturn, returnGoods, sell } from '../../src/modules/sales/index.js'
import { verifyReturn } from '../../src/modules/sales/return.queries.js'
import { listUnits } from '../../src/modules/units/index.js'
import {
  claimWarranty,
  returnRepair,
  saveLotTerm,
  savePolicy,
  setUnitWarranty,
  transferWarranty,
  voidWarranty,
  warrantyLookup,
} from '../../src/modules/warranty/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTestDb } from '../factories.js'

const NOW = new Date('2026-01-01T08:00:00Z')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: warranty, claims and verified returns`, () => {
    const t = useTestDb(dialect)

    /** A phone SKU (24 months), a store and a repair bench, a buyer with e-mail and phone, 8 units (3 in lot L1). */
    async function world() {
      const g = t.given
      const phone = await g.sku({ returnWindowDays: 30 })
      const [store, bench, other] = [await g.site(), await g.site(), await g.site()]
      const supplier = await g.supplier()
      const code = g.uniq('CUS')
      const buyer = await createParty(t.ctx, {
        code,
        name: 'Jane Buyer',
        role: 'customer',
        email: 'Jane.Buyer@example.com',
        phone: '+44 7700 900123',
      })
      const stranger = await g.customer()
      const serials = Array.from({ length: 5 }, () => g.uniq('SN'))
      const lotSerials = Array.from({ length: 3 }, () => g.uniq('SN'))
      await g.receipt({
        supplier: supplier.code,
        location: store.code,
        receivedAt: '2026-01-02T09:00:00Z',
        lines: [
          { sku: phone.code, serials },
          { sku: phone.code, lot: 'L1', serials: lotSerials },
        ],
      })
      const unitId = async (serial: string) =>
        (await listUnits(t.db.kysely, { sku: phone.code, limit: 100 })).items.find((u) => u.serial === serial)!.id
      const lookup = async (serial: string, day = '2026-06-01') =>
        warrantyLookup(t.db.kysely, await unitId(serial), day)
      const sellTo = (units: unknown[], soldAt: string, orderRef = g.uniq('ORD')) =>
        t.given.op(sell, { customer: buyer.code, orderRef, units: units as string[], soldAt })
      return { phone, store, bench, other, supplier, buyer, stranger, serials, lotSerials, unitId, lookup, sellTo }
    }

    it('gives each unit its effective warranty: extended, SKU, lot, sale date, own term', async () => {
      const w = await world()
      const [a, b, c, d] = w.serials
      await savePolicy(
        t.db.kysely,
        w.phone.code,
        {
          startsAt: 'sale',
          termsBySaleDate: [{ soldFrom: '2026-03-01', months: 12, label: 'end of life' }],
          replacementRule: 'remaining',
          replacementMinDays: 0,
          supplierMonths: 12,
          supplierStartsAt: 'receipt',
          publicCheck: true,
        },
        NOW,
      )
      await saveLotTerm(t.db.kysely, w.phone.code, 'L1', { months: 6, label: 'refurbished batch' }, NOW)
      await w.sellTo(
        [{ serial: a, extendedWarranty: { months: 12, price: 49 } }, b, w.lotSerials[0]],
        '2026-01-05T10:00:00Z',
      )
      await w.sellTo([c], '2026-03-05T10:00:00Z')
      await t.given.op(setUnitWarranty, { units: [d!], months: 3, label: 'promotion', at: '2026-01-06T10:00:00Z' })
      await w.sellTo([d], '2026-01-07T10:00:00Z')

      expect((await w.lookup(a!)).warranty).toMatchObject({
        rule: 'sku_policy',
        extendedMonths: 12,
        endsOn: '2029-01-04',
      })
      expect((await w.lookup(b!)).warranty).toMatchObject({ rule: 'sku_policy', months: 24, endsOn: '2028-01-04' })
      expect((await w.lookup(w.lotSerials[0]!)).warranty).toMatchObject({ rule: 'lot_override', endsOn: '2026-07-04' })
      expect((await w.lookup(c!)).warranty).toMatchObject({ rule: 'sale_date_term', months: 12, endsOn: '2027-03-04' })
      expect((await w.lookup(d!)).warranty).toMatchObject({ rule: 'unit_override', months: 3, endsOn: '2026-04-06' })
      expect(await w.lookup(d!)).toMatchObject({ warranty: { status: 'expired' } })
      const unsold = await w.lookup(w.serials[4]!)
      expect(unsold.warranty.status).toBe('not_sold')
      expect(unsold.supplier).toMatchObject({ months: 12, endsOn: '2027-01-01', covered: true })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('records claims: a mismatch, repair and its return, replacement to the day, refund, rejection', async () => {
      const w = await world()
      const [a, b, c, d, spare] = w.serials
      const order = t.given.uniq('ORD')
      await w.sellTo([a, b, c, d], '2026-01-05T10:00:00Z', order)
      const claim = (input: Record<string, unknown>) =>
        t.given.op(claimWarranty, {
          fault: 'does not charge',
          location: w.bench.code,
          claimedAt: '2026-02-01T10:00:00Z',
          ...input,
        } as never)
      const before = await rowCount(t.db.kysely, 'event')
      const stranger = await caught(() =>
        claim({ serial: a, claimant: { customer: w.stranger.code }, outcome: 'repair' }),
      )
      expect(stranger).toMatchObject({ code: 'warranty.claimant_mismatch' })
      const unsold = await caught(() => claim({ serial: spare, claimant: { orderRef: order }, outcome: 'repair' }))
      expect(unsold).toMatchObject({ code: 'warranty.not_sold' })
      expect(await rowCount(t.db.kysely, 'event')).toBe(before)

      const repair = await claim({ serial: a, claimant: { email: ' jane.buyer@EXAMPLE.com' }, outcome: 'repair' })
      expect(repair).toMatchObject({ outcome: 'repair', matchedBy: ['email'], supplierCovered: false })
      expect((await w.lookup(a!)).unitStatus).toBe('in_repair')
      await t.given.op(returnRepair, { units: [a!], at: '2026-02-10T10:00:00Z' })
      const repaired = await w.lookup(a!)
      expect(repaired).toMatchObject({ unitStatus: 'sold', owner: { code: w.buyer.code } })
      expect(repaired.history.map((h) => h.type)).toEqual(['warranty_claimed', 'repair_started', 'repair_returned'])

      const replaced = await claim({
        serial: b,
        claimant: { phone: '07700 900123' },
        outcome: 'replace',
        replacement: spare,
        claimedAt: '2026-09-20T10:00:00Z',
      })
      expect(replaced.replacementEndsOn).toBe('2028-01-04')
      expect((await w.lookup(b!)).unitStatus).toBe('returned')
      const replacement = await w.lookup(spare!, '2026-09-21')
      expect(replacement.warranty).toMatchObject({ rule: 'replacement', endsOn: '2028-01-04', status: 'in_warranty' })
      expect(replacement).toMatchObject({
        unitStatus: 'sold',
        owner: { code: w.buyer.code },
        orderRef: replaced.number,
      })

      await claim({ serial: c, claimant: { orderRef: order }, outcome: 'refund', refund: 799 })
      expect((await w.lookup(c!)).unitStatus).toBe('returned')
      const noReason = await caught(() => claim({ serial: d, claimant: { customer: w.buyer.code }, outcome: 'reject' }))
      expect(noReason).toMatchObject({ code: 'warranty.invalid', message: /needs a reason/ })
      await claim({ serial: d, claimant: { customer: w.buyer.code }, outcome: 'reject', reason: 'liquid damage' })
      expect((await w.lookup(d!)).history.at(-1)).toMatchObject({ outcome: 'reject', reason: 'liquid damage' })
      const late = await caught(() =>
        claim({
          serial: d,
          claimant: { customer: w.buyer.code },
          outcome: 'repair',
          claimedAt: '2028-02-01T10:00:00Z',
        }),
      )
      expect(late).toMatchObject({ code: 'warranty.expired' })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('a void warranty refuses claims; a hand-over moves the warranty to the new owner', async () => {
      const w = await world()
      const [a, b] = w.serials
      const order = t.given.uniq('ORD')
      await w.sellTo([a, b], '2026-01-05T10:00:00Z', order)
      await t.given.op(voidWarranty, { serial: a!, reason: 'tampered seal', at: '2026-01-06T10:00:00Z' })
      expect((await w.lookup(a!)).warranty).toMatchObject({
        status: 'void',
        explanation: expect.arrayContaining(['voided: tampered seal']),
      })
      const voided = await caught(() =>
        t.given.op(claimWarranty, {
          serial: a!,
          claimant: { orderRef: order },
          outcome: 'repair',
          location: w.bench.code,
          fault: 'x',
          claimedAt: '2026-01-07T10:00:00Z',
        }),
      )
      expect(voided).toMatchObject({ code: 'warranty.void' })

      await t.given.op(transferWarranty, {
        serial: b!,
        claimant: { orderRef: order },
        to: w.stranger.code,
        at: '2026-01-08T10:00:00Z',
      })
      expect((await w.lookup(b!)).owner).toMatchObject({ code: w.stranger.code, transferred: true })
      const oldOwner = await caught(() =>
        t.given.op(claimWarranty, {
          serial: b!,
          claimant: { orderRef: order },
          outcome: 'reject',
          reason: 'x',
          fault: 'x',
          claimedAt: '2026-01-09T10:00:00Z',
        }),
      )
      expect(oldOwner).toMatchObject({ code: 'warranty.claimant_mismatch' })
      await t.given.op(claimWarranty, {
        serial: b!,
        claimant: { customer: w.stranger.code },
        outcome: 'reject',
        reason: 'no fault found',
        fault: 'noise',
        claimedAt: '2026-01-09T10:00:00Z',
      })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('verifies a return: each check by name, fraud signals, overrides kept, refusals write nothing', async () => {
      const w = await world()
      const [a, b, inStock] = w.serials
      const order = t.given.uniq('ORD')
      await w.sellTo([a, b], '2026-01-05T10:00:00Z', order)
      const verify = (input: Record<string, unknown>) =>
        verifyReturn(
          t.db.kysely,
          { location: w.store.code, overrides: [], units: [], quantities: [], ...input } as never,
          NOW,
        )
      const ok = await verify({
        customer: w.buyer.code,
        orderRef: order,
        units: [a],
        returnedAt: '2026-01-10T10:00:00Z',
      })
      expect(ok.ok).toBe(true)
      expect(ok.units[0]!.checks.map((c) => c.check)).toEqual([
        'never_sold',
        'already_returned',
        'not_returnable',
        'other_customer',
        'other_order',
        'outside_window',
      ])
      const bad = await verify({
        customer: w.stranger.code,
        orderRef: 'ORD-ELSEWHERE',
        sku: 'OTHER-SKU',
        units: [a, inStock, 'NO-SUCH', a],
        returnedAt: '2026-03-10T10:00:00Z',
      })
      const failed = bad.units.map((u) => u.checks.filter((c) => !c.passed).map((c) => c.check))
      expect(failed).toEqual([
        ['wrong_sku', 'other_customer', 'other_order', 'outside_window'],
        ['wrong_sku', 'never_sold'],
        ['unknown_serial'],
        ['wrong_sku', 'other_customer', 'other_order', 'outside_window'],
      ])
      expect(bad.units[1]!.signals).toContain(`${inStock} was never sold: it is in our stock (a swap?)`)
      expect(bad.units[3]!.signals).toContain(`${a} is presented twice in this return`)

      const before = await rowCount(t.db.kysely, 'event')
      const refused = await caught(() =>
        t.given.op(returnGoods, {
          location: w.store.code,
          customer: w.buyer.code,
          units: [a!],
          returnedAt: '2026-03-10T10:00:00Z',
        }),
      )
      expect(refused).toMatchObject({ code: 'return.unverified', message: /outside_window/ })
      expect(await rowCount(t.db.kysely, 'event')).toBe(before)
      await t.given.op(returnGoods, {
        location: w.store.code,
        customer: w.buyer.code,
        units: [a!],
        returnedAt: '2026-03-10T10:00:00Z',
        overrides: [{ serial: a!, check: 'outside_window', reason: 'loyal customer, goodwill' }],
      })
      const event = await t.db.kysely
        .selectFrom('event')
        .select('payload')
        .where('type', '=', 'returned')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow()
      expect(JSON.parse(event.payload).overrides).toEqual([
        {
          serial: a,
          check: 'outside_window',
          message: expect.stringMatching(/64 days/),
          reason: 'loyal customer, goodwill',
        },
      ])
      const again = await verify({ customer: w.buyer.code, units: [a], returnedAt: '2026-03-11T10:00:00Z' })
      expect(again.units[0]!.checks.find((c) => !c.passed)?.check).toBe('already_returned')
      expect(await verifyLedger(t.db)).toVerify()
    })

    /** Sells units on 5 January and takes them back into the store on the 10th. */
    async function soldAndReturned(w: Awaited<ReturnType<typeof world>>, units: string[]) {
      const order = t.given.uniq('ORD')
      await w.sellTo(units, '2026-01-05T10:00:00Z', order)
      await t.given.op(returnGoods, {
        location: w.store.code,
        orderRef: order,
        units,
        returnedAt: '2026-01-10T10:00:00Z',
      })
    }

    it('a vendor disposition opens a supplier claim in the same request; the units go back on the claim', async () => {
      const w = await world()
      const units = w.serials.slice(0, 3)
      await soldAndReturned(w, units)
      const at = '2026-01-11T10:00:00Z'
      const claim = { supplier: w.supplier.code, reason: 'dead on arrival', reference: 'RMA-9' }
      const events0 = await rowCount(t.db.kysely, 'event')
      // The newest seq so far (not the count: on the sequenced path seqs have gaps).
      const { before } = await t.db.kysely
        .selectFrom('event')
        .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('before'))
        .executeTakeFirstOrThrow()
      // Refused, writing nothing: a claim with another disposition, a supplier the units did not come from.
      const notVendor = await caught(() =>
        t.given.op(disposeReturn, { disposition: 'restock', units: [units[0]!], at, claim }),
      )
      expect(notVendor).toMatchObject({ code: 'return.invalid_disposition', message: /vendor disposition/ })
      const other = await t.given.supplier()
      const wrongSupplier = await caught(() =>
        t.given.op(disposeReturn, { disposition: 'vendor', units, at, claim: { ...claim, supplier: other.code } }),
      )
      expect(wrongSupplier).toMatchObject({ code: 'request.invalid', message: new RegExp(other.code) })
      expect(await rowCount(t.db.kysely, 'event')).toBe(events0)

      const done = await t.given.op(disposeReturn, { disposition: 'vendor', units: units.slice(0, 2), at, claim })
      expect(done.claim).toMatch(/^CLM-/)
      const view = await claimView(t.db.kysely, done.claim!)
      expect(view).toMatchObject({ number: done.claim, status: 'open' })
      expect(view.units.map((u: { status: string }) => u.status)).toEqual(['returned_to_vendor', 'returned_to_vendor'])
      const events = await t.db.kysely
        .selectFrom('event')
        .innerJoin('document', 'document.id', 'event.document_id')
        .select(['event.type', 'document.number'])
        .where('event.seq', '>', before)
        .orderBy('event.seq')
        .execute()
      expect(events.map((e) => [e.type, e.number])).toEqual([
        ['claim_opened', done.claim],
        ['returned_to_vendor', done.claim],
      ])
      // Without a claim, a vendor disposition is one event on a return document, as before.
      const plain = await t.given.op(disposeReturn, { disposition: 'vendor', units: [units[2]!], at })
      expect(plain.number).toMatch(/^RMD-/)
      expect(plain).not.toHaveProperty('claim')
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('disposes of returns: restock, open-box with price and term, repair, vendor, scrap; each an event', async () => {
      const w = await world()
      const units = w.serials
      await soldAndReturned(w, units)
      const dispose = (disposition: string, serial: string, extra = {}) =>
        t.given.op(disposeReturn, { disposition, units: [serial], at: '2026-01-11T10:00:00Z', ...extra } as never)
      const before = await rowCount(t.db.kysely, 'event')
      const notReturned = await caught(() => dispose('restock', w.lotSerials[0]!))
      expect(notReturned).toMatchObject({ code: 'return.invalid_disposition' })
      const noBench = await caught(() => dispose('repair', units[2]!))
      expect(noBench).toMatchObject({ code: 'return.invalid_disposition', message: /needs the location/ })
      const noPrice = await caught(() => dispose('open_box', units[1]!))
      expect(noPrice).toMatchObject({ code: 'return.invalid_disposition', message: /needs its price/ })
      expect(await rowCount(t.db.kysely, 'event')).toBe(before)
      await dispose('restock', units[0]!)
      await dispose('open_box', units[1]!, { price: 599, warrantyMonths: 6 })
      await dispose('repair', units[2]!, { location: w.bench.code })
      await dispose('vendor', units[3]!)
      await dispose('scrap', units[4]!)
      const statuses = await Promise.all(units.map(async (s) => (await w.lookup(s)).unitStatus))
      expect(statuses).toEqual(['in_stock', 'in_stock', 'in_repair', 'returned_to_vendor', 'scrapped'])
      const types = await t.db.kysely
        .selectFrom('event')
        .select(['type'])
        .where('type', 'in', ['restocked', 'restocked_open_box', 'repair_started', 'returned_to_vendor', 'scrapped'])
        .orderBy('seq')
        .execute()
      expect(types.slice(-5).map((r) => r.type)).toEqual([
        'restocked',
        'restocked_open_box',
        'repair_started',
        'returned_to_vendor',
        'scrapped',
      ])
      // The open-box price is the unit's own price now: its pricing shows it, and a sale naming no price sells at it.
      const openBoxId = await w.unitId(units[1]!)
      const priced = await unitPricing(t.db.kysely, openBoxId, NOW)
      expect(priced).toMatchObject({ currentPrice: 599, status: 'in_stock' })
      expect(priced.listPrice).not.toBe(599)
      expect(priced.history.map((h) => [h.type, h.price])).toContainEqual(['restocked_open_box', 599])
      const unitRow = () =>
        t.db.kysely.selectFrom('unit').selectAll().where('id', '=', openBoxId).executeTakeFirstOrThrow()
      expect((await unitRow()).back_in_stock_at).not.toBeNull()
      await w.sellTo([units[1]], '2026-01-12T10:00:00Z')
      expect(Number((await unitRow()).sale_price_minor)).toBe(59900)
      expect((await w.lookup(units[1]!)).warranty).toMatchObject({
        rule: 'unit_override',
        months: 6,
        endsOn: '2026-07-11',
      })
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}
