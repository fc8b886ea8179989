import { describe, expect, it } from 'vitest'
import type { Executor } from '../../src/db/database.js'
import { move, receiveTransfer, shipTransfer } from '../../src/modules/movements/index.js'
import { ARRIVALS, createDefectCode, DefectQuery, defectReport, inspect } from '../../src/modules/quality/index.js'
import { returnGoods, sell } from '../../src/modules/sales/index.js'
import { DIALECTS } from '../dialects.js'
import { useTestDb } from '../factories.js'

/**
 * The analysis counted the slow, obvious way from the ledger's rows: per unit in scope, every location
 * of its arrival lines (and their sites), whether an inspection failed it or a customer returned it.
 */
async function reference(db: Executor, q: { from?: string; to?: string; skuIds?: string[] }) {
  const units = (await db.selectFrom('unit').selectAll().execute()).filter(
    (u) =>
      (!q.from || u.received_at >= q.from) &&
      (!q.to || u.received_at < q.to) &&
      (!q.skuIds || q.skuIds.includes(u.sku_id)),
  )
  const lines = await db
    .selectFrom('event_unit as l')
    .innerJoin('event as e', 'e.seq', 'l.event_seq')
    .select(['l.unit_id', 'e.type', 'e.reason', 'e.location_id'])
    .execute()
  const parent = new Map(
    (await db.selectFrom('location').select(['id', 'parent_id']).execute()).map((l) => [l.id, l.parent_id]),
  )
  const siteOf = (id: string): string => (parent.get(id) ? siteOf(parent.get(id)!) : id)
  const failed = new Set(
    lines
      .filter((l) => ['inspected', 'quarantined'].includes(l.type) && l.reason === 'inspection_fail')
      .map((l) => l.unit_id),
  )
  const returned = new Set(lines.filter((l) => l.type === 'returned').map((l) => l.unit_id))
  const rows = new Map<string, { units: number; defective: number; returned: number }>()
  const count = (dim: string, key: string | null, id: string) => {
    const k = `${dim}:${key ?? '(none)'}`
    const r = rows.get(k) ?? rows.set(k, { units: 0, defective: 0, returned: 0 }).get(k)!
    r.units += 1
    r.defective += failed.has(id) ? 1 : 0
    r.returned += returned.has(id) ? 1 : 0
  }
  for (const u of units) {
    count('supplier', u.supplier_id, u.id)
    count('receipt', u.receipt_id, u.id)
    count('lot', u.lot_id, u.id)
    count('sku', u.sku_id, u.id)
    const at = lines.filter((l) => l.unit_id === u.id && ARRIVALS.includes(l.type as never) && l.location_id)
    for (const loc of new Set(at.map((l) => l.location_id!))) count('location', loc, u.id)
    for (const site of new Set(at.map((l) => siteOf(l.location_id!)))) count('site', site, u.id)
  }
  return rows
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the defect analysis`, () => {
    const t = useTestDb(dialect)

    it('counts what the ledger says, per dimension, with every location rolled up to its site', async () => {
      const g = t.given
      const [phone, tablet] = [await g.sku(), await g.sku()]
      const wh = await g.site({ kind: 'warehouse' })
      const zone = await g.child(wh.code, 'zone')
      const bin = await g.child(zone.code, 'bin')
      const [store, other] = [await g.site({ kind: 'store' }), await g.site({ kind: 'warehouse' })]
      const [a, b] = [await g.supplier(), await g.supplier()]
      const customer = await g.customer()
      const serials = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`)
      const early = serials(g.uniq('E'), 60)
      const late = serials(g.uniq('L'), 40)
      const tabs = serials(g.uniq('T'), 20)
      await g.receipt({
        supplier: a.code,
        location: wh.code,
        receivedAt: '2025-11-10T10:00:00Z',
        lines: [
          { sku: phone.code, lot: g.uniq('LOT'), serials: early.slice(0, 30) },
          { sku: phone.code, serials: early.slice(30) },
        ],
      })
      await g.receipt({ supplier: b.code, location: bin.code, lines: [{ sku: phone.code, serials: late }] })
      await g.receipt({ supplier: b.code, location: zone.code, lines: [{ sku: tablet.code, serials: tabs }] })
      // Back and forth within the warehouse (the same bin twice), out to a store, sold, returned to the warehouse.
      await g.op(move, { to: bin.code, units: early.slice(0, 20) })
      await g.op(move, { to: wh.code, units: early.slice(0, 10) })
      await g.op(move, { to: bin.code, units: early.slice(0, 10) })
      await g.op(move, { to: store.code, units: [...early.slice(40, 50), ...late.slice(0, 5)] })
      await g.op(sell, { customer: customer.code, orderRef: 'WEB-1', units: [...early.slice(40, 46), late[0]!] })
      await g.op(returnGoods, { location: wh.code, customer: customer.code, units: [early[40]!, early[41]!, late[0]!] })
      const transfer = await g.op(shipTransfer, { from: bin.code, to: other.code, units: late.slice(10, 20) })
      await g.op(receiveTransfer, { number: transfer.number })
      const doa = (await createDefectCode(t.ctx, { code: g.uniq('DOA'), name: 'dead on arrival' })).code
      const fail = (units: string[], quarantine = false) =>
        g.op(inspect, { units, stage: 'ad_hoc', result: 'fail', defectCodes: [doa], quarantine })
      await fail([...early.slice(0, 5), early[40]!, late[12]!, tabs[0]!])
      await fail([early[0]!, early[55]!, late[0]!], true) // early[0] fails twice: one defective unit
      await g.op(inspect, { units: early.slice(20, 25), stage: 'ad_hoc', result: 'pass' })

      const skuIds = [phone.id]
      for (const [q, scope] of [
        [{}, {}],
        [{ skus: phone.code }, { skuIds }],
        [
          { from: '2026-01-01', to: '2026-02-01' },
          { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
        ],
        [
          { from: '2026-02-01', skus: phone.code },
          { from: '2026-02-01T00:00:00.000Z', skuIds },
        ],
      ] as const) {
        const report = await defectReport(t.db.kysely, DefectQuery.parse(q))
        const expected = await reference(t.db.kysely, scope)
        const got = new Map(
          report.rows.map((r) => [
            `${r.dimension}:${r.key ?? '(none)'}`,
            { units: r.units, defective: r.defective, returned: r.returned },
          ]),
        )
        expect(got, JSON.stringify(q)).toEqual(expected)
        const units = [...expected].filter(([k]) => k.startsWith('sku:')).reduce((n, [, r]) => n + r.units, 0)
        expect(report.units).toBe(units)
      }
      // The whole warehouse, bins and zones included, is one site row: each unit counted once there.
      const report = await defectReport(t.db.kysely, DefectQuery.parse({ skus: phone.code, dimension: 'site' }))
      const site = report.rows.find((r) => r.key === wh.id)!
      expect(site).toMatchObject({ label: wh.code, units: 100, defective: 9 })
      expect(report.rows.map((r) => r.dimension)).toEqual(['site', 'site', 'site'])
    })
  })
}
