import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/core/clock.js'
import { createParty } from '../../src/modules/parties/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { BLAND_ANSWER } from '../../src/modules/warranty/index.js'
import { PUBLIC_CHECKS_PER_MINUTE } from '../../src/modules/warranty/warranty.routes.js'
import { DIALECTS } from '../dialects.js'
import { givens, rowCount } from '../factories.js'
import { type ApiClient, appWithUsers, rest } from '../http.js'
import type { TestDb } from '../dialects.js'

const clock: Clock = { now: () => new Date('2026-03-01T09:00:00Z') }

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: warranty and returns over HTTP, and the public check`, () => {
    let db: TestDb
    let built: Awaited<ReturnType<typeof appWithUsers>>
    let clerk: ApiClient
    let manager: ApiClient
    const w = {} as { sku: string; store: string; buyer: string; order: string; serials: string[] }
    beforeAll(async () => {
      db = await dialect.create()
      built = await appWithUsers(db, clock)
      ;[clerk, manager] = [await built.as('clerk'), await built.as('manager')]
      const ctx = { db, clock }
      const g = givens(ctx)
      const sku = await g.sku({ returnWindowDays: 14 })
      const store = await g.site()
      const supplier = await g.supplier()
      const buyer = await createParty(ctx, {
        code: g.uniq('CUS'),
        name: 'Zelda Quartermain',
        role: 'customer',
        email: 'zelda.q@example.org',
        phone: '+1 555 0100 777',
      })
      const serials = Array.from({ length: 5 }, () => g.uniq('SN'))
      await g.receipt({
        supplier: supplier.code,
        location: store.code,
        receivedAt: '2026-01-02T09:00:00Z',
        lines: [{ sku: sku.code, serials }],
      })
      const order = g.uniq('ORDER-XYZ')
      await g.op(sell, {
        customer: buyer.code,
        orderRef: order,
        units: serials.slice(0, 3),
        soldAt: '2026-01-05T10:00:00Z',
      })
      Object.assign(w, { sku: sku.code, store: store.code, buyer: buyer.code, order, serials })
    })
    afterAll(async () => {
      await built.app.close()
      await db.drop()
    })

    it('a clerk cannot override a failed return check; a manager can, and the reason is on the event', async () => {
      const body = {
        location: w.store,
        customer: w.buyer,
        units: [w.serials[0]],
        overrides: [{ serial: w.serials[0], check: 'outside_window', reason: 'manager goodwill' }],
      }
      const verify = await rest(clerk).post('/returns/verify', { ...body, overrides: [] })
      expect(verify.statusCode).toBe(200)
      expect(verify.json().units[0].checks.find((c: { passed: boolean }) => !c.passed)).toMatchObject({
        check: 'outside_window',
        overridable: true,
      })
      const plain = await rest(clerk).post('/returns', { ...body, overrides: [] })
      expect(plain.statusCode).toBe(409)
      expect(plain.json()).toMatchObject({ code: 'return.unverified' })
      const before = await rowCount(db.kysely, 'event')
      const byClerk = await rest(clerk).post('/returns', body)
      expect(byClerk.statusCode).toBe(403)
      expect(await rowCount(db.kysely, 'event')).toBe(before)
      const byManager = await rest(manager).post('/returns', body)
      expect(byManager.statusCode).toBe(201)
      const fraud = await rest(manager).get('/reports/return-fraud?days=30')
      expect(fraud.json().overrides).toEqual([
        expect.objectContaining({ serial: w.serials[0], check: 'outside_window', reason: 'manager goodwill' }),
      ])
    })

    it('a clerk cannot void a warranty; a manager can, with a reason', async () => {
      const body = { serial: w.serials[2], reason: 'tampered seal' }
      expect((await rest(clerk).post('/warranty/voids', body)).statusCode).toBe(403)
      expect((await rest(manager).post('/warranty/voids', body)).statusCode).toBe(201)
      const lookup = await rest(clerk).get(`/warranty?code=${w.serials[2]}`)
      expect(lookup.json().warranty).toMatchObject({ status: 'void' })
    })

    it("the unit API's warranty end is the effective warranty (GET /warranty), not the SKU's months", async () => {
      const [api, serial] = [rest(manager), w.serials[4]!]
      const term = await api.post('/warranty/unit-terms', { units: [serial], months: 6, label: 'promotion' })
      expect(term.statusCode).toBe(201)
      const sale = { customer: w.buyer, orderRef: `${w.order}-B`, units: [serial] }
      expect((await api.post('/sales', sale)).statusCode).toBe(201)
      const effective = (await api.get(`/warranty?code=${serial}`)).json().warranty
      expect(effective).toMatchObject({ rule: 'unit_override', months: 6, status: 'in_warranty' })
      const [found] = (await api.get(`/units/lookup?code=${serial}`)).json()
      const unit = (await api.get(`/units/${found.id}`)).json()
      expect(unit.warrantyEndsOn).toBe(effective.endsOn)
      expect(found.warrantyEndsOn).toBe(effective.endsOn)
      expect(unit.warrantyEndsOn < '2026-12-01').toBe(true)
      // A voided warranty (the test above) has no end on the unit either.
      const [voided] = (await api.get(`/units/lookup?code=${w.serials[2]}`)).json()
      expect((await api.get(`/units/${voided.id}`)).json().warrantyEndsOn).toBeNull()
    })

    it('the public check leaks nothing personal, answers unknown tokens blandly, stops a rotated token', async () => {
      const api = rest(clerk)
      const issued = await api.post('/warranty/check-tokens', { serial: w.serials[1] })
      expect(issued.statusCode).toBe(201)
      const { token, url } = issued.json() as { token: string; url: string }
      expect(token.length).toBeGreaterThanOrEqual(24)
      expect(url).toBe(`/check/${token}`)
      const anonymous = rest((o) => built.app.inject({ ...o, remoteAddress: '203.0.113.7' }))
      const res = await anonymous.get(`/public/check/${token}`)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        genuine: true,
        product: 'Phone X 128GB',
        soldMonth: '2026-01',
        warrantyEndsOn: '2028-01-04',
        inWarranty: true,
        message: 'Genuine: sold by this store, in warranty.',
      })
      for (const secret of [
        'Zelda',
        'Quartermain',
        'zelda.q@example.org',
        '555',
        '0100',
        w.order,
        w.buyer,
        w.serials[1]!,
      ])
        expect(res.body).not.toContain(secret)
      const unknown = await anonymous.get('/public/check/not-a-token-at-all-xxxxxxxx')
      expect(unknown.json()).toEqual(BLAND_ANSWER)

      const rotated = await api.post('/warranty/check-tokens', { serial: w.serials[1] })
      expect((await anonymous.get(`/public/check/${token}`)).json()).toEqual(BLAND_ANSWER)
      expect((await anonymous.get(`/public/check/${rotated.json().token}`)).json()).toMatchObject({ genuine: true })

      const policy = await (
        await built.app.inject({
          method: 'PUT',
          url: `/api/v1/warranty/policies/${w.sku}`,
          headers: { authorization: `Bearer ${manager.token}` },
          payload: { publicCheck: false },
        })
      ).json()
      expect(policy).toMatchObject({ publicCheck: false, months: 24 })
      expect((await anonymous.get(`/public/check/${rotated.json().token}`)).json()).toEqual(BLAND_ANSWER)
    })

    it('flags a cloned label: a token of a unit still in our stock', async () => {
      await built.app.inject({
        method: 'PUT',
        url: `/api/v1/warranty/policies/${w.sku}`,
        headers: { authorization: `Bearer ${manager.token}` },
        payload: { publicCheck: true },
      })
      const inStock = w.serials[3]!
      const { token } = (await rest(clerk).post('/warranty/check-tokens', { serial: inStock })).json()
      const res = await built.app.inject({
        method: 'GET',
        url: `/api/v1/public/check/${token}`,
        remoteAddress: '198.51.100.1',
      })
      expect(res.json()).toEqual(BLAND_ANSWER)
      const lookup = (await rest(clerk).get(`/warranty?code=${inStock}`)).json()
      expect(lookup.cloneSignals).toEqual(['checked 1 time(s) by the public while the unit was in our stock'])
      expect(lookup.warranty.status).toBe('not_sold')
    })

    it('rate-limits the public check: many requests get the same answer, then 429', async () => {
      const from = (o: { method: 'GET'; url: string }) => built.app.inject({ ...o, remoteAddress: '192.0.2.99' })
      const answers = new Set<string>()
      let limited = 0
      for (let i = 0; i < PUBLIC_CHECKS_PER_MINUTE + 3; i++) {
        const res = await from({ method: 'GET', url: `/api/v1/public/check/guess-${i}-aaaaaaaaaaaaaaaa` })
        if (res.statusCode === 429) limited++
        else answers.add(res.body)
      }
      expect([...answers]).toEqual([JSON.stringify(BLAND_ANSWER)])
      expect(limited).toBe(3)
    })
  })
}
