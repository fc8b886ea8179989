import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { PDFParse } from 'pdf-parse'
import { describe, expect, it } from 'vitest'
import type { Role } from '../../src/modules/accounts/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { ensureSigningKey, makeCheckpoint, type ProofSettings } from '../../src/modules/proofs/index.js'
import {
  changeClaimStatus,
  claimPack,
  claimPdf,
  closeRecall,
  createDefectCode,
  defectReport,
  DefectQuery,
  inspect,
  MAX_ATTACHMENT_BYTES,
  openClaim,
  openRecall,
  previewRecall,
  quarantineRecall,
  recordRecallOutcome,
  resolveCriteria,
  shipClaim,
  updateDefectCode,
} from '../../src/modules/quality/index.js'
import { placeOrder, shipOrder } from '../../src/modules/orders/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import { scrap } from '../../src/modules/adjustments/index.js'
import { DIALECTS } from '../dialects.js'
import { caught, rowCount, useTempDir, useTestDb } from '../factories.js'
import { appWithUsers, rest } from '../http.js'

const root = useTempDir('quality')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: quality control, recalls and supplier claims`, () => {
    const t = useTestDb(dialect)
    const events = () => rowCount(t.db.kysely, 'event')
    const serials = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(4, '0')}`)
    /** Runs `body` against an HTTP app on the block's database, closed afterwards; `user(role)` signs in a new user. */
    const overHttp = async (body: (user: (role: Role) => Promise<ReturnType<typeof rest>>) => Promise<void>) => {
      const { app, as } = await appWithUsers(t.db, t.ctx.clock)
      try {
        await body(async (role) => rest(await as(role, { username: t.given.uniq(role) })))
      } finally {
        await app.close()
      }
    }

    it('finds the culprit: the warehouse on the faulty path first, then the supplier with most defects', async () => {
      const g = t.given
      const phone = await g.sku()
      const w1 = await g.site({ kind: 'warehouse' })
      const w2 = await g.site({ kind: 'warehouse' })
      const store = await g.site({ kind: 'store' })
      const [a, b, c] = [await g.supplier(), await g.supplier(), await g.supplier()]
      await createDefectCode(t.ctx, { code: g.uniq('SCREEN'), name: 'screen' }).then((d) =>
        Object.assign(t, { screen: d.code }),
      )
      const screen = (t as unknown as { screen: string }).screen
      const fromA = serials(g.uniq('A'), 300)
      const fromB = serials(g.uniq('B'), 100)
      const fromC = serials(g.uniq('C'), 100)
      for (const [s, list] of [
        [a, fromA],
        [b, fromB],
        [c, fromC],
      ] as const)
        await g.receipt({ supplier: s.code, location: w1.code, lines: [{ sku: phone.code, serials: [...list] }] })
      // A's first hundred pass through W2; most of them then go on to the store with 70 other units.
      await g.op(move, { to: w2.code, units: fromA.slice(0, 100) })
      await g.op(move, { to: store.code, units: [...fromA.slice(20, 100), ...fromA.slice(100, 170)] })
      const fail = (units: string[]) =>
        g.op(inspect, { units, stage: 'ad_hoc', result: 'fail', defectCodes: [screen.toLowerCase()] })
      // 30 % of W2's units, 2 % of A's others, 25 % of B's and 3 % of C's fail.
      await fail([...fromA.slice(0, 30), ...fromA.slice(150, 154)])
      await fail(fromB.slice(0, 25))
      await fail(fromC.slice(0, 3))
      await g.op(inspect, { units: fromC.slice(50, 60), stage: 'ad_hoc', result: 'pass' })

      const report = await defectReport(t.db.kysely, DefectQuery.parse({ skus: phone.code }))
      expect(report).toMatchObject({ units: 500, defective: 62 })
      const byLocation = report.rows.filter((r) => r.dimension === 'location')
      expect(byLocation[0]).toMatchObject({ label: w2.code, units: 100, defective: 30, rate: 0.3, tooFew: false })
      expect(byLocation[0]!.low).toBeCloseTo(0.219, 2)
      expect(byLocation[0]!.high).toBeCloseTo(0.396, 2)
      expect(byLocation[0]!.lift).toBeCloseTo(0.3 / (32 / 400), 6)
      expect(byLocation.map((r) => r.label)).toEqual([w2.code, w1.code, store.code])
      const bySupplier = report.rows.filter((r) => r.dimension === 'supplier')
      expect(bySupplier.map((r) => [r.label, r.defective, r.units])).toEqual([
        [b.code, 25, 100],
        [a.code, 34, 300],
        [c.code, 3, 100],
      ])
      // "Passed through W2" comes from the ledger's lines: 100 units, though 80 of them are now at the store.
      const through = async (from?: string, to?: string) =>
        (
          await previewRecall(
            t.db.kysely,
            await resolveCriteria(t.db.kysely, {
              skus: [phone.code],
              passedThrough: { location: w2.code, from, to },
            }),
          )
        ).total
      expect(await through()).toBe(100)
      expect(await through('2020-01-01', '2021-01-01')).toBe(0)
      const bySupplier2 = await resolveCriteria(t.db.kysely, { supplier: b.code, receivedFrom: '2020-01-01' })
      expect((await previewRecall(t.db.kysely, bySupplier2)).total).toBe(100)

      // A retired code may no longer be used; nothing is written.
      await updateDefectCode(t.ctx, screen, { retired: true })
      const before = await events()
      expect(await caught(() => fail(fromC.slice(5, 6)))).toMatchObject({ code: 'defect_code.not_found' })
      expect(await events()).toBe(before)
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('inspects units in transit where they are: recorded, not moved, not held until they arrive', async () => {
      const g = t.given
      const phone = await g.sku()
      const [wh, other] = [await g.site({ kind: 'warehouse' }), await g.site({ kind: 'warehouse' })]
      const units = serials(g.uniq('TR'), 2)
      await g.receipt({
        supplier: (await g.supplier()).code,
        location: wh.code,
        lines: [{ sku: phone.code, serials: units }],
      })
      const transfer = await g.op(shipTransfer, { from: wh.code, to: other.code, units })
      const doa = await createDefectCode(t.ctx, { code: g.uniq('DOA'), name: 'dead on arrival' })
      const failed = { units, stage: 'ad_hoc' as const, result: 'fail' as const, defectCodes: [doa.code] }
      const before = await events()
      const refused = await caught(() => g.op(inspect, { ...failed, quarantine: true }))
      expect(refused).toMatchObject({ code: 'unit.illegal_transition', message: /in transit cannot be quarantined/ })
      expect(await events()).toBe(before)
      await g.op(inspect, failed)
      const rows = await t.db.kysely
        .selectFrom('unit')
        .select(['status', 'location_id'])
        .where('serial', 'in', units)
        .execute()
      expect(rows).toEqual([
        { status: 'in_transit', location_id: null },
        { status: 'in_transit', location_id: null },
      ])
      await g.op(receiveTransfer, { number: transfer.number })
      const report = await defectReport(t.db.kysely, DefectQuery.parse({ skus: phone.code, dimension: 'location' }))
      expect(report).toMatchObject({ units: 2, defective: 2 })
      expect(report.rows.map((r) => [r.label, r.defective])).toEqual([
        [wh.code, 2],
        [other.code, 2],
      ])
      expect(await verifyLedger(t.db)).toVerify()
    })

    it('recalls a lot: every status found, stock quarantined, sale and store move refused, arrivals held', async () => {
      const g = t.given
      const phone = await g.sku()
      const wh = await g.site({ kind: 'warehouse' })
      const other = await g.site({ kind: 'warehouse' })
      const store = await g.site({ kind: 'store' })
      const supplier = await g.supplier()
      const customer = await g.customer()
      const bad = serials(g.uniq('LB'), 10)
      const good = serials(g.uniq('LG'), 5)
      const lot = g.uniq('LOT')
      await g.receipt({
        supplier: supplier.code,
        location: wh.code,
        supplierRef: 'DN-77',
        lines: [
          { sku: phone.code, lot, unitCost: 310, serials: bad },
          { sku: phone.code, lot: g.uniq('LOT'), serials: good },
        ],
      })
      await g.op(sell, { customer: customer.code, orderRef: 'WEB-1', units: bad.slice(0, 3) })
      await g.op(returnGoods, { location: wh.code, customer: customer.code, units: [bad[2]!] })
      const transfer = await g.op(shipTransfer, { from: wh.code, to: other.code, units: bad.slice(3, 5) })
      await g.op(scrap, { reason: 'dropped', units: [bad[5]!] })
      const doa = await createDefectCode(t.ctx, { code: g.uniq('DOA'), name: 'dead on arrival' })
      await g.op(inspect, {
        units: [bad[6]!],
        stage: 'receiving',
        result: 'fail',
        defectCodes: [doa.code],
        quarantine: true,
      })
      const criteria = { skus: [phone.code], lots: [lot] }

      await overHttp(async (user) => {
        const manager = await user('manager')
        const clerk = await user('clerk')
        const preview = (await manager.post('/recalls/preview', { criteria })).json()
        expect(preview.total).toBe(10)
        expect(
          Object.fromEntries(preview.byStatus.map((s: { status: string; count: number }) => [s.status, s.count])),
        ).toEqual({ in_stock: 3, sold: 2, returned: 1, in_transit: 2, scrapped: 1, quarantined: 1 })
        expect(preview.inStockBySite).toEqual([
          { site: wh.code, status: 'in_stock', count: 3 },
          { site: wh.code, status: 'quarantined', count: 1 },
          { site: wh.code, status: 'returned', count: 1 },
        ])
        expect(preview.sold.map((s: { serial: string }) => s.serial).sort()).toEqual(bad.slice(0, 2))
        const none = (await manager.post('/recalls/preview', { criteria: { serials: ['NOPE-1'] } })).json()
        expect(none).toMatchObject({ total: 0, message: 'no unit matches these criteria' })

        const opened = await g.op(openRecall, { title: 'battery swelling', criteria })
        const held = await g.op(quarantineRecall, { number: opened.number })
        expect(held).toMatchObject({ recall: opened.number, quarantined: 4 })

        // A sale scan of an affected unit: 409 naming the recall. A move to the store: refused too.
        const refusedSale = await clerk.post('/sales', { customer: customer.code, orderRef: 'T-1', units: [bad[7]!] })
        expect(refusedSale.statusCode).toBe(409)
        expect(refusedSale.json()).toMatchObject({ code: 'recall.affected' })
        expect(refusedSale.json().detail ?? refusedSale.json().message ?? '').toContain(opened.number)
        const refusedMove = await clerk.post('/moves', { to: store.code, units: [bad[7]!] })
        expect(refusedMove.statusCode).toBe(409)
        expect(refusedMove.json()).toMatchObject({ code: 'unit.quarantined' })
        const refusedTransfer = await clerk.post('/transfers', { from: wh.code, to: other.code, units: [bad[7]!] })
        expect(refusedTransfer.statusCode).toBe(409)
        // A sales order's shipment scan is a sale too.
        const order = await g.op(placeOrder, {
          externalRef: g.uniq('SHOP'),
          customer: customer.code,
          lines: [{ sku: phone.code, quantity: 1 }],
        })
        const shipped = await caught(() => g.op(shipOrder, { number: order.number, units: [bad[7]!] }))
        expect(shipped).toMatchObject({ code: 'recall.affected', message: expect.stringContaining(opened.number) })
        // A till's completed sale (POST /orders, completed) is a sale scan too: refused, nothing written.
        const beforeTill = await rowCount(t.db.kysely, 'event')
        const till = await clerk.post('/orders', {
          customer: customer.code,
          completed: true,
          lines: [{ sku: phone.code, quantity: 2, serials: [good[1]!, bad[7]!] }],
        })
        expect(till.statusCode).toBe(409)
        expect(till.json()).toMatchObject({ code: 'recall.affected' })
        expect(till.json().detail ?? till.json().message ?? '').toContain(opened.number)
        expect(JSON.stringify(till.json())).toContain('lines[0].serials[1]')
        expect(await rowCount(t.db.kysely, 'event')).toBe(beforeTill)
        // A unit of another lot still sells.
        expect(
          (await clerk.post('/sales', { customer: customer.code, orderRef: 'T-2', units: [good[0]!] })).statusCode,
        ).toBe(201)

        // In transit: quarantined on arrival. Received after the recall opened: quarantined at receiving.
        await g.op(receiveTransfer, { number: transfer.number })
        const late = serials(g.uniq('LL'), 3)
        const receipt = await g.receipt({
          supplier: supplier.code,
          location: wh.code,
          lines: [{ sku: phone.code, lot, serials: late }],
        })
        expect(receipt.quarantined).toEqual([{ recall: opened.number, eventSeq: expect.any(Number), quarantined: 3 }])
        const statusOf = async (s: string) =>
          (await t.db.kysely.selectFrom('unit').select('status').where('serial', '=', s).executeTakeFirstOrThrow())
            .status
        expect(await statusOf(bad[3]!)).toBe('quarantined')
        expect(await statusOf(late[0]!)).toBe('quarantined')
        expect(await statusOf(good[1]!)).toBe('in_stock')

        const csv = (await manager.get(`/recalls/${opened.number}/customers`)).body
        expect(csv.split('\n')[0]).toBe('customer,contact,order,saleDate,sku,serial')
        expect(csv).toContain(`Jane Doe,,WEB-1,`)
        expect(csv).toContain(bad[0]!)
        expect(csv).not.toContain(bad[2]!)

        await g.op(recordRecallOutcome, { number: opened.number, outcome: 'unreachable', units: bad.slice(0, 2) })
        const stray = await caught(() =>
          g.op(recordRecallOutcome, { number: opened.number, outcome: 'returned', units: [good[2]!] }),
        )
        expect(stray).toMatchObject({ code: 'request.invalid' })
        const progress = (await manager.get(`/recalls/${opened.number}`)).json()
        expect(progress).toMatchObject({
          affected: 13,
          resolved: 3,
          byOutcome: [{ outcome: 'unreachable', count: 2 }],
          recall: { status: 'open' },
        })

        await g.op(closeRecall, { number: opened.number })
        expect((await manager.get(`/recalls/${opened.number}`)).json().recall.status).toBe('closed')
        expect(await caught(() => g.op(closeRecall, { number: opened.number }))).toMatchObject({
          code: 'recall.closed',
        })
        expect(await verifyLedger(t.db)).toVerify()
      })
    })

    it('stores a photo by its SHA-256, on the event; refuses one too large or not of its type', async () => {
      const g = t.given
      const { serials: units } = await g.received(1, 'AT', { kind: 'warehouse' })
      await overHttp(async (user) => {
        const manager = await user('manager')
        const code = g.uniq('scr')
        expect((await manager.post('/defect-codes', { code, name: 'screen' })).json()).toMatchObject({
          code: code.toUpperCase(),
          retired: false,
        })
        const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a cracked screen')])
        const sha256 = createHash('sha256').update(photo).digest('hex')
        const stored = await manager.post('/attachments', {
          name: 'crack.jpg',
          contentType: 'image/jpeg',
          base64: photo.toString('base64'),
        })
        expect(stored.statusCode).toBe(201)
        expect(stored.json()).toEqual({ sha256, name: 'crack.jpg', contentType: 'image/jpeg', size: photo.length })
        expect((await manager.get(`/attachments/${sha256}`)).rawPayload.equals(photo)).toBe(true)
        const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1).toString('base64')
        const tooBig = await manager.post('/attachments', {
          name: 'x.pdf',
          contentType: 'application/pdf',
          base64: big,
        })
        expect(tooBig.json()).toMatchObject({ code: 'attachment.too_large' })
        // Content that is not what its type says is refused, and nothing is stored.
        const stored0 = await rowCount(t.db.kysely, 'attachment')
        const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64')
        const fake = await manager.post('/attachments', { name: 'x.png', contentType: 'image/png', base64: html })
        expect(fake.statusCode).toBe(400)
        expect(fake.json()).toMatchObject({ code: 'attachment.wrong_type', detail: /x.png is declared image\/png/ })
        const renamed = await manager.post('/attachments', {
          name: 'crack.pdf',
          contentType: 'application/pdf',
          base64: photo.toString('base64'),
        })
        expect(renamed.json()).toMatchObject({ code: 'attachment.wrong_type', detail: /its content is image\/jpeg/ })
        expect(await rowCount(t.db.kysely, 'attachment')).toBe(stored0)
        const inspected = await manager.post('/inspections', {
          units,
          stage: 'ad_hoc',
          result: 'fail',
          defectCodes: [code],
          attachments: [{ sha256, name: 'crack.jpg' }],
        })
        expect(inspected.statusCode).toBe(201)
        const event = await t.db.kysely
          .selectFrom('event')
          .select(['type', 'payload'])
          .where('seq', '=', inspected.json().eventSeq)
          .executeTakeFirstOrThrow()
        expect(event.type).toBe('inspected')
        expect(JSON.parse(event.payload).inspection.attachments).toEqual([
          { sha256, name: 'crack.jpg', contentType: 'image/jpeg', size: photo.length },
        ])
        const unknown = await manager.post('/inspections', {
          units,
          stage: 'ad_hoc',
          result: 'pass',
          attachments: [{ sha256: 'f'.repeat(64), name: 'none.jpg' }],
        })
        expect(unknown.json()).toMatchObject({ code: 'attachment.not_found' })
      })
    })

    it('refuses bad criteria and releases without a manager or a reason, writing nothing', async () => {
      const g = t.given
      const { sku: phone, serials: units } = await g.received(2, 'RF', { kind: 'warehouse' })
      await overHttp(async (user) => {
        const manager = await user('manager')
        const clerk = await user('clerk')
        expect((await clerk.post('/quarantine', { units, reason: 'smells of smoke' })).statusCode).toBe(201)
        const before = await events()
        const backwards = await manager.post('/recalls', {
          title: 'x',
          criteria: { skus: [phone.code], receivedFrom: '2026-02-01', receivedTo: '2026-01-01' },
        })
        expect(backwards.statusCode).toBe(400)
        expect(backwards.json()).toMatchObject({ code: 'recall.invalid_criteria' })
        expect(JSON.stringify(backwards.json())).toContain('criteria.receivedFrom')
        const unknown = await manager.post('/recalls', { title: 'x', criteria: { skus: [phone.code, 'NO-SUCH'] } })
        expect(unknown.json()).toMatchObject({ code: 'recall.invalid_criteria' })
        expect(JSON.stringify(unknown.json())).toContain('criteria.skus[1]')
        const empty = await manager.post('/recalls', { title: 'x', criteria: {} })
        expect(empty.json()).toMatchObject({ code: 'recall.invalid_criteria' })
        const noReason = await manager.post('/quarantine/release', { units })
        expect(noReason.statusCode).toBe(400)
        const byClerk = await clerk.post('/quarantine/release', { units, reason: 'looks fine' })
        expect(byClerk.statusCode).toBe(403)
        expect(await events()).toBe(before)
        const released = await manager.post('/quarantine/release', { units, reason: 'tested, fine' })
        expect(released.statusCode).toBe(201)
        expect(await verifyLedger(t.db)).toVerify()
      })
    })

    it('claims from the supplier with an evidence pack: the PDF names the delivery, JSON hashes match', async () => {
      const g = t.given
      const phone = await g.sku()
      const wh = await g.site({ kind: 'warehouse' })
      const supplier = await g.supplier()
      const other = await g.supplier()
      const units = serials(g.uniq('CL'), 3)
      await g.receipt({
        supplier: supplier.code,
        location: wh.code,
        supplierRef: 'ACME-DN-4471',
        po: 'PO-88',
        lines: [{ sku: phone.code, unitCost: 250, lot: g.uniq('L'), serials: units }],
      })
      const foreign = serials(g.uniq('FX'), 1)
      await g.receipt({ supplier: other.code, location: wh.code, lines: [{ sku: phone.code, serials: foreign }] })
      const code = (await createDefectCode(t.ctx, { code: g.uniq('BAT'), name: 'battery' })).code
      await g.op(inspect, {
        units: units.slice(0, 2),
        stage: 'receiving',
        result: 'fail',
        defectCodes: [code],
        notes: 'swollen',
        quarantine: true,
      })
      const wrong = await caught(() =>
        g.op(openClaim, { supplier: supplier.code, units: [units[0]!, foreign[0]!], reason: 'battery' }),
      )
      expect(wrong).toMatchObject({ code: 'request.invalid' })
      const claim = await g.op(openClaim, {
        supplier: supplier.code,
        units: units.slice(0, 2),
        reason: 'battery',
        reference: 'RMA-1',
      })
      await g.op(shipClaim, { number: claim.number })
      await g.op(changeClaimStatus, { number: claim.number, status: 'sent' })
      expect(await caught(() => g.op(changeClaimStatus, { number: claim.number, status: 'credited' }))).toMatchObject({
        code: 'claim.invalid_status',
      })
      await g.op(changeClaimStatus, { number: claim.number, status: 'accepted' })
      await g.op(changeClaimStatus, {
        number: claim.number,
        status: 'credited',
        creditedAmount: 500,
        creditNote: 'CN-9',
      })
      const settings: ProofSettings = { signingKeyFile: join(root, `${dialect.name}.pem`), witness: join(root, 'w') }
      ensureSigningKey(settings.signingKeyFile)
      await makeCheckpoint(t.ctx, settings)

      const pack = await claimPack(t.db, claim.number, new Date())
      expect(pack.claim).toMatchObject({ status: 'credited', creditedAmount: 500, creditNote: 'CN-9' })
      expect(pack.claim.units.map((u) => u.status)).toEqual(['returned_to_vendor', 'returned_to_vendor'])
      const unit = pack.units[0]!
      expect(unit.receipt).toMatchObject({ supplierReference: 'ACME-DN-4471', purchaseOrder: 'PO-88', unitCost: 250 })
      expect(unit.timeline.map((e) => e.type)).toEqual([
        'received',
        'quarantined',
        'claim_opened',
        'returned_to_vendor',
      ])
      expect(unit.inspections).toEqual([
        expect.objectContaining({ result: 'fail', defectCodes: [code], notes: 'swollen' }),
      ])
      const ledger = await t.db.kysely
        .selectFrom('event')
        .select(['seq', 'hash', 'prev_hash'])
        .where(
          'seq',
          'in',
          unit.timeline.map((e) => e.seq),
        )
        .orderBy('seq')
        .execute()
      expect(unit.timeline.map((e) => [e.seq, e.hash, e.prevHash])).toEqual(
        ledger.map((e) => [Number(e.seq), e.hash, e.prev_hash]),
      )
      const proof = unit.proof as { events: { event: { hash: string } }[] }
      expect(proof.events.map((e) => e.event.hash)).toEqual(ledger.map((e) => e.hash))

      const text = (await new PDFParse({ data: await claimPdf(pack) }).getText()).text
      expect(text).toContain('ACME-DN-4471')
      expect(text).toContain(units[0]!)
      expect(text).toContain(claim.number)
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
}
