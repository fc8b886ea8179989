/*
 * The seams between capabilities built apart: quality, warranty and verified returns, pricing, orders'
 * picks and the GS1 / EPCIS exchange, used together on one ledger, on both dialects.
 */
import { describe, expect, it } from 'vitest'
import * as openBoxBackInStock from '../../src/db/migrations/2026_12_01_1900_open_box_back_in_stock.js'
import * as releasedBackInStock from '../../src/db/migrations/2026_12_02_0300_unit_released_back_in_stock.js'
import { exportEpcis, captureEpcis, knownMapping } from '../../src/modules/epcis/index.js'
import { schemaProblems } from '../../src/modules/epcis/epcis-schema.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { pickOrder, placeOrder } from '../../src/modules/orders/index.js'
import { changePrice } from '../../src/modules/pricing/index.js'
import { inspect, quarantine, release } from '../../src/modules/quality/index.js'
import { disposeReturn, returnGoods, sell } from '../../src/modules/sales/index.js'
import { UNIT_EVENT_TYPES } from '../../src/modules/units/unit-status.rules.js'
import { claimWarranty, returnRepair, setUnitWarranty } from '../../src/modules/warranty/index.js'
import { eventLabel } from '../../web/src/format.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTestDb } from '../factories.js'
import { scanCount, startCount } from '../../src/modules/counts/index.js'

let gtins = 0
/** A new valid GTIN-14 (GS1 check digit) for each ledger, as GTINs are unique across SKUs. */
function nextGtin(): string {
  const body = `0950600${String(13400 + gtins++).padStart(6, '0')}`
  const sum = [...body].reduce((n, d, i) => n + Number(d) * (i % 2 === 0 ? 3 : 1), 0)
  return body + String((10 - (sum % 10)) % 10)
}
const GS = '\u001d'
const NOW = '2026-03-01T00:00:00.000Z'

async function text(gen: AsyncGenerator<string>): Promise<string> {
  let out = ''
  for await (const chunk of gen) out += chunk
  return out
}

describe('every event type has its EPCIS mapping', () => {
  it('maps each ledger event type to a row of its own (none falls back to bizStep other unnoticed)', () => {
    for (const type of UNIT_EVENT_TYPES) expect(knownMapping(type), type).toBeDefined()
    expect(knownMapping('quarantined')).toMatchObject({ bizStep: 'holding', disposition: 'non_sellable_other' })
    expect(knownMapping('order_picked')).toMatchObject({ bizStep: 'picking', disposition: 'reserved' })
    expect(knownMapping('not_ours')).toBeUndefined()
    expect(knownMapping('toString')).toBeUndefined()
  })
})

describe('every event type has its label in the web UI', () => {
  it('names each ledger event type in words (timeline, dashboard, documents)', () => {
    for (const type of UNIT_EVENT_TYPES) expect(eventLabel(type), type).not.toBe(type.replace(/_/g, ' '))
    expect(eventLabel('quarantined')).toBe('Quarantined')
    expect(eventLabel('not_ours')).toBe('not ours')
  })
})

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: capabilities together`, () => {
    const t = useTestDb(dialect)
    const target = useTestDb(dialect)

    /** One ledger that has used quality, pricing, picks, warranty, repairs and return dispositions. */
    async function mixedLedger() {
      const g = t.given
      const GTIN = nextGtin()
      const phone = await g.sku({ gtin: GTIN, returnWindowDays: 30 })
      const [store, bench] = [await g.site(), await g.site()]
      const supplier = await g.supplier()
      const customer = await g.customer()
      const s = Array.from({ length: 10 }, () => g.uniq('SN'))
      await g.receipt({
        supplier: supplier.code,
        location: store.code,
        receivedAt: '2025-12-02T09:00:00Z',
        lines: [{ sku: phone.code, serials: s }],
      })
      await g.op(inspect, { units: [s[0]!], stage: 'receiving', result: 'pass', inspectedAt: '2025-12-03T09:00:00Z' })
      await g.op(quarantine, { units: [{ scan: `]d2${GS}01${GTIN}21${s[1]}` }], reason: 'dented box' })
      // A quarantined unit's price may change (it keeps its status), by a raw scan like every operation.
      await g.op(changePrice, {
        units: [
          { scan: `(01)${GTIN}(21)${s[1]}`, price: 699 },
          { serial: s[2]!, price: 749 },
        ],
      })
      await g.op(release, { units: [s[1]!], reason: 'box only' })
      const order = await g.op(placeOrder, {
        customer: customer.code,
        site: store.code,
        lines: [{ sku: phone.code, quantity: 1 }],
      })
      await g.op(pickOrder, { number: order.number, units: [{ scan: `https://id.gs1.org/01/${GTIN}/21/${s[3]}` }] })
      const orderRef = g.uniq('ORD')
      await g.op(sell, {
        customer: customer.code,
        orderRef,
        units: [s[4]!, s[5]!, s[6]!],
        soldAt: '2025-12-05T10:00:00Z',
      })
      await g.op(setUnitWarranty, { units: [{ scan: `(01)${GTIN}(21)${s[7]}` }], months: 3, label: 'promotion' })
      await g.op(claimWarranty, {
        serial: s[4]!,
        claimant: { customer: customer.code },
        outcome: 'repair',
        fault: 'does not charge',
        location: bench.code,
        claimedAt: '2025-12-15T10:00:00Z',
      } as never)
      await g.op(returnRepair, { units: [s[4]!], at: '2025-12-20T10:00:00Z' })
      await g.op(returnGoods, {
        location: store.code,
        orderRef,
        units: [s[5]!, s[6]!],
        returnedAt: '2025-12-10T10:00:00Z',
      })
      await g.op(disposeReturn, {
        disposition: 'open_box',
        units: [s[5]!],
        price: 599,
        at: '2025-12-11T10:00:00Z',
      } as never)
      await g.op(disposeReturn, { disposition: 'vendor', units: [s[6]!], at: '2025-12-11T10:00:00Z' } as never)
      return { phone, store, bench, supplier, customer, s, gtin: GTIN }
    }

    it('checks a count scan’s GTIN against the unit’s SKU like other operations: a mismatch is refused', async () => {
      const g = t.given
      const GTIN = nextGtin()
      const phone = await g.sku({ gtin: GTIN })
      const store = await g.site()
      const supplier = await g.supplier()
      const serial = g.uniq('SN')
      await g.receipt({
        supplier: supplier.code,
        location: store.code,
        lines: [{ sku: phone.code, serials: [serial] }],
      })
      const { number } = (await g.op(startCount, { location: store.code } as never)) as { number: string }
      const scan = (gtin: string, key: string) =>
        g.op(scanCount, { number, location: store.code, scans: [{ key, scan: `(01)${gtin}(21)${serial}` }] } as never)
      const events = await rowCount(t.db.kysely, 'event')
      const wrong = await caught(() => scan(nextGtin(), 'k-wrong'))
      expect(wrong).toMatchObject({ code: 'request.invalid' })
      expect(wrong.issues?.[0]).toMatchObject({ field: 'scans[0].gtin' })
      expect(wrong.issues?.[0]?.message).toMatch(new RegExp(`is not the GTIN of ${phone.code} \\(${GTIN}\\)`))
      expect(await rowCount(t.db.kysely, 'event')).toBe(events)
      expect(await scan(GTIN, 'k-right')).toMatchObject({ accepted: 1 })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('exports every event of a mixed ledger as valid EPCIS with its own step, and verify replays it', async () => {
      await mixedLedger()
      const doc = JSON.parse(await text(exportEpcis(t.db.kysely, {}, NOW)))
      expect(schemaProblems(doc)).toBeUndefined()
      const byType = new Map<string, Record<string, unknown>>()
      for (const e of doc.epcisBody.eventList) byType.set(e['sl:type'], e)
      for (const type of [
        'inspected',
        'quarantined',
        'price_changed',
        'released',
        'order_picked',
        'warranty_term_set',
        'warranty_claimed',
        'repair_started',
        'repair_returned',
        'restocked_open_box',
        'returned_to_vendor',
      ])
        expect(byType.get(type), type).toBeDefined()
      expect(byType.get('quarantined')).toMatchObject({ bizStep: 'holding', disposition: 'non_sellable_other' })
      expect(byType.get('released')).toMatchObject({ bizStep: 'inspecting', disposition: 'sellable_accessible' })
      expect(byType.get('repair_started')).toMatchObject({ bizStep: 'repairing', disposition: 'in_progress' })
      expect(byType.get('order_picked')).toMatchObject({ bizStep: 'picking', disposition: 'reserved' })
      expect(byType.get('restocked_open_box')).toMatchObject({ bizStep: 'stocking' })
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('restarts the days in stock of an open-box restock, as of a plain restock (not the time sold)', async () => {
      const w = await mixedLedger()
      const unit = await t.db.kysely
        .selectFrom('unit')
        .select(['status', 'back_in_stock_at'])
        .where('serial', '=', w.s[5]!)
        .where('sku_id', '=', w.phone.id)
        .executeTakeFirstOrThrow()
      expect(unit).toEqual({ status: 'in_stock', back_in_stock_at: '2025-12-11T10:00:00.000Z' })
      expect(await verifyLedger(t.db)).toVerify()
      // A ledger written before the rules (no date on open-box or released units) is given it by the migrations.
      await t.db.kysely.updateTable('unit').set({ back_in_stock_at: null }).where('sku_id', '=', w.phone.id).execute()
      expect((await verifyLedger(t.db)).ok).toBe(false)
      await openBoxBackInStock.up(t.db.kysely)
      expect((await verifyLedger(t.db)).problem?.reason).toMatch(/back_in_stock_at differs/)
      await releasedBackInStock.up(t.db.kysely)
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('captures its own export of that ledger: our own workflow events are skipped, not refused', async () => {
      const w = await mixedLedger()
      const doc = JSON.parse(await text(exportEpcis(t.db.kysely, { sku: w.phone.code }, NOW)))
      const g = target.given
      await g.sku({ code: w.phone.code, gtin: w.gtin })
      await g.site({ code: w.store.code })
      await g.site({ code: w.bench.code })
      const { createParty } = await import('../../src/modules/parties/index.js')
      await createParty(target.ctx, { code: w.supplier.code, name: 'Acme Phones', role: 'supplier' })
      await createParty(target.ctx, { code: w.customer.code, name: 'Jane Doe', role: 'customer' })
      const result = await captureEpcis(target.ctx, 'epcis-test', doc)
      const skipped = result.skipped.map((x) => x.reason.split(':')[0])
      expect(skipped).toEqual(
        expect.arrayContaining(['quarantined', 'price_changed', 'order_picked', 'repair_started']),
      )
      expect(result.captured).toBeGreaterThan(0)
      expect(await verifyLedger(target.db)).toVerify()
    })
  })
}
