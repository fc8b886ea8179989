import { describe, expect, it } from 'vitest'
import { DIALECTS } from '../dialects.js'
import { useTestDb } from '../factories.js'
import { appWithUsers, rest } from '../http.js'
import { weekStartOf } from '../../src/modules/reports/index.js'

describe.each(DIALECTS)('GET /reports/dashboard ($name)', (dialect) => {
  const t = useTestDb(dialect)

  it('sums stock value, counts units by status and buckets receipts and sales per week', async () => {
    const { app, as } = await appWithUsers(t.db)
    const api = rest(await as('manager'))
    const sku = await t.given.sku({ cost: 400, price: 799 })
    const qty = await t.given.sku({ tracking: 'quantity', cost: 2.5, price: 5 })
    const site = await t.given.site()
    const supplier = await t.given.supplier()
    const customer = await t.given.customer()
    const now = new Date().toISOString()
    expect(
      (
        await api.post('/receipts', {
          supplier: supplier.code,
          location: site.code,
          receivedAt: now,
          lines: [
            { sku: sku.code, range: 'D-{01..10}' },
            { sku: qty.code, quantity: 40 },
          ],
        })
      ).statusCode,
    ).toBe(201)
    expect(
      (
        await api.post('/sales', {
          customer: customer.code,
          orderRef: 'O-1',
          units: ['D-01', 'D-02'],
          quantities: [{ sku: qty.code, location: site.code, quantity: 4 }],
        })
      ).statusCode,
    ).toBe(201)

    const res = await api.get('/reports/dashboard?weeks=4&recent=5')
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(d.stock).toEqual({ serialUnits: 8, serialValue: 3200, quantity: 36, quantityValue: 90, totalValue: 3290 })
    expect(d.unitsByStatus.find((s: { status: string }) => s.status === 'in_stock').count).toBe(8)
    expect(d.unitsByStatus.find((s: { status: string }) => s.status === 'sold').count).toBe(2)
    expect(d.weeks).toHaveLength(4)
    const thisWeek = d.weeks[3]
    expect(thisWeek.weekStart).toBe(weekStartOf(new Date()).toISOString().slice(0, 10))
    expect(thisWeek).toMatchObject({
      receipts: 1,
      receivedUnits: 50,
      sales: 1,
      soldUnits: 6,
      salesValue: 2 * 799 + 4 * 5,
    })
    expect(d.recent.map((e: { type: string }) => e.type)).toEqual(['sold', 'received'])
    expect(d.recent[0].document.type).toBe('order')
    await app.close()
  })

  it('puts a Monday-to-Sunday week together (UTC)', () => {
    expect(weekStartOf(new Date('2026-11-29T23:59:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(weekStartOf(new Date('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z')
  })
})
