/*
 * What the API used to let through, found by black-box tests against the running server (issue 11,
 * items 16-22): a business time before a unit's previous event, a price with a third decimal, an
 * identifier clash named only by its index, a token wider than its owner's role, an internal key in a
 * message, codes differing only in case. Each refusal is checked to write nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { ACME, type ApiClient, createReferenceData, expectOk, JANE, rest, useTestApp } from '../http.js'
import { DIALECTS } from '../dialects.js'

interface Issue {
  row?: number
  field: string
  value?: string
  message: string
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the API's edges`, () => {
    const t = useTestApp(dialect, { role: 'manager', username: 'edge-manager' })
    const m = t
    let admin: ApiClient
    let a: ReturnType<typeof rest>

    beforeAll(async () => {
      admin = await t.as('admin', { username: 'edge-admin' })
      a = rest(admin)
      await createReferenceData(m.post, {
        skus: [
          {
            code: 'PHX',
            name: 'Phone X',
            tracking: 'serial',
            price: 799,
            identifiers: [{ name: 'imei', isUnique: true }],
          },
          { code: 'CABLE', name: 'USB-C cable', tracking: 'quantity', price: 9 },
        ],
        locations: [
          { code: 'STORE-A', name: 'Store A', kind: 'store' },
          { code: 'STORE-B', name: 'Store B', kind: 'store' },
        ],
        parties: [ACME, JANE],
      })
    })

    const eventCount = async () => (await m.get('/events?afterSeq=0&limit=1000')).json().length as number
    const unitOf = async (code: string) => (await m.get(`/units/lookup?code=${code}`)).json()[0]
    const receive = async (serials: string[], receivedAt: string, location = 'STORE-A') => {
      const r = await m.post('/receipts', { supplier: 'ACME', location, receivedAt, lines: [{ sku: 'PHX', serials }] })
      expect(r.statusCode, r.body).toBe(201)
    }
    /** A receipt of `quantity` cables from ACME (the answer, not checked). */
    const cableReceipt = (location: string, receivedAt: string, quantity: number) =>
      m.post('/receipts', { supplier: 'ACME', location, receivedAt, lines: [{ sku: 'CABLE', quantity }] })

    describe('business time before the latest event (item 17)', () => {
      it('refuses a sale dated before the unit was received, naming the unit and the event', async () => {
        await receive(['T-1', 'T-2'], '2026-06-01T10:00:00Z')
        const before = await eventCount()
        const r = await m.post('/sales', {
          orderRef: 'POS-1',
          customer: 'JANE',
          soldAt: '2020-01-01T00:00:00Z',
          units: ['T-2', 'T-1'],
        })
        expect(r.statusCode).toBe(409)
        const body = r.json()
        expect(body.code).toBe('time.before_latest_event')
        expect(body.issues).toHaveLength(2)
        expect(body.issues[0]).toMatchObject({ row: 1, field: 'units[0]', value: 'T-2' })
        expect(body.issues[0].message).toBe(
          'PHX T-2: sold at 2020-01-01T00:00:00.000Z would come before its latest event, ' +
            'received at 2026-06-01T10:00:00.000Z',
        )
        expect(await eventCount()).toBe(before)
        expect(await unitOf('T-1')).toMatchObject({ status: 'in_stock', soldAt: null, warrantyEndsOn: null })
      })

      it('allows a few minutes of clock skew, and refuses more, for every operation', async () => {
        const early = await m.post('/sales', { orderRef: 'POS-2', soldAt: '2026-06-01T09:56:00Z', units: ['T-1'] })
        expect(early.statusCode, early.body).toBe(201)
        const move = await m.post('/moves', { to: 'STORE-B', movedAt: '2026-06-01T09:54:00Z', units: ['T-2'] })
        expect(move.statusCode).toBe(409)
        expect(move.json().issues[0].message).toContain('received at 2026-06-01T10:00:00.000Z')
        const ret = await m.post('/returns', {
          returnedAt: '2026-06-01T09:40:00Z',
          location: 'STORE-A',
          units: ['T-1'],
        })
        expect(ret.json()).toMatchObject({ code: 'time.before_latest_event' })
        expect(ret.json().issues[0].message).toContain('its latest event, sold at 2026-06-01T09:56:00.000Z')
        expect(await unitOf('T-1')).toMatchObject({ status: 'sold', soldAt: '2026-06-01T09:56:00.000Z' })
      })

      it('refuses quantity stock moved before its stock row last changed, and a receipt into it', async () => {
        await expectOk(cableReceipt('STORE-A', '2026-06-02T10:00:00Z', 10))
        await expectOk(cableReceipt('STORE-B', '2026-06-03T10:00:00Z', 3))
        const before = await eventCount()
        // Leaving STORE-A is fine at that time; arriving at STORE-B is before its row's latest event.
        const move = await m.post('/moves', {
          to: 'STORE-B',
          movedAt: '2026-06-02T12:00:00Z',
          quantities: [{ sku: 'CABLE', from: 'STORE-A', quantity: 1 }],
        })
        expect(move.statusCode).toBe(409)
        expect(move.json().issues).toEqual([
          {
            field: 'quantities[1]',
            value: 'CABLE',
            message:
              'CABLE at STORE-B: moved at 2026-06-02T12:00:00.000Z would come before its latest event, ' +
              'received at 2026-06-03T10:00:00.000Z',
          },
        ])
        const sale = await m.post('/sales', {
          orderRef: 'POS-7',
          soldAt: '2026-06-01T00:00:00Z',
          quantities: [{ sku: 'CABLE', location: 'STORE-A', quantity: 2 }],
        })
        expect(sale.statusCode).toBe(409)
        expect(sale.json().issues[0]).toMatchObject({
          field: 'quantities[0]',
          value: 'CABLE',
          message: expect.stringContaining('CABLE at STORE-A: sold at 2026-06-01T00:00:00.000Z'),
        })
        const late = await cableReceipt('STORE-A', '2026-05-01T00:00:00Z', 5)
        expect(late.statusCode).toBe(409)
        expect(late.json()).toMatchObject({ code: 'time.before_latest_event' })
        expect(late.json().issues[0].message).toContain('its latest event, received at 2026-06-02T10:00:00.000Z')
        expect(await eventCount()).toBe(before)
        expect((await m.get('/stock?sku=CABLE')).json()).toEqual([
          expect.objectContaining({ location: 'STORE-A', onHand: 10 }),
          expect.objectContaining({ location: 'STORE-B', onHand: 3 }),
        ])
        expect(await verifyLedger(t.db)).toVerify()
      })
      it('refuses a transfer received before it was shipped, for its units and its quantities', async () => {
        await receive(['TR-1'], '2026-06-04T08:00:00Z')
        const ship = await m.post('/transfers', {
          from: 'STORE-A',
          to: 'STORE-B',
          number: 'TRF-EDGE',
          units: ['TR-1'],
          quantities: [{ sku: 'CABLE', quantity: 2 }],
          shippedAt: '2026-06-04T09:00:00Z',
        })
        expect(ship.statusCode, ship.body).toBe(201)
        const before = await eventCount()
        const r = await m.post('/transfers/TRF-EDGE/receipt', { receivedAt: '2026-06-04T08:30:00Z' })
        expect(r.statusCode).toBe(409)
        expect((r.json().issues as Issue[]).map((i) => i.message)).toEqual([
          'PHX TR-1: transfer received at 2026-06-04T08:30:00.000Z would come before its latest event, ' +
            'transfer shipped at 2026-06-04T09:00:00.000Z',
          'CABLE at STORE-B: transfer received at 2026-06-04T08:30:00.000Z would come before its latest event, ' +
            'transfer shipped at 2026-06-04T09:00:00.000Z',
        ])
        expect(await eventCount()).toBe(before)
        const ok = await m.post('/transfers/TRF-EDGE/receipt', { receivedAt: '2026-06-04T11:00:00Z' })
        expect(ok.statusCode, ok.body).toBe(201)
      })
    })

    describe('amounts with more decimals than the currency (item 18)', () => {
      it('refuses 19.999 as a sale price, a SKU price and a unit cost, and stores 19.99 exactly', async () => {
        await receive(['P-1'], new Date().toISOString())
        const before = await eventCount()
        const sale = await m.post('/sales', { orderRef: 'POS-3', units: [{ serial: 'P-1', price: 19.999 }] })
        expect(sale.statusCode).toBe(400)
        expect(sale.json()).toMatchObject({
          code: 'request.invalid',
          errors: [
            {
              path: 'units.0.price',
              message: '19.999 has 3 decimals; the currency has 2 (it would be stored as 20)',
            },
          ],
        })
        const sku = await m.post('/skus', { code: 'ODD', name: 'Odd', tracking: 'quantity', price: 0.125 })
        expect(sku.json().errors).toEqual([expect.objectContaining({ path: 'price' })])
        expect((await m.get('/skus/ODD')).statusCode).toBe(404)
        const cost = await m.post('/receipts', {
          supplier: 'ACME',
          location: 'STORE-A',
          lines: [{ sku: 'PHX', unitCost: 1.005, serials: ['P-2'] }],
        })
        expect(cost.json().errors).toEqual([expect.objectContaining({ path: 'lines.0.unitCost' })])
        expect(await eventCount()).toBe(before)
        expect(await unitOf('P-1')).toMatchObject({ status: 'in_stock' })
        expect(
          (await m.post('/sales', { orderRef: 'POS-4', units: [{ serial: 'P-1', price: 19.99 }] })).statusCode,
        ).toBe(201)
        expect(await unitOf('P-1')).toMatchObject({ status: 'sold', salePrice: 19.99 })
      })
    })

    describe('unique identifier clashes (item 19)', () => {
      it('names the identifier, its value, the row and the unit holding it, every clash at once', async () => {
        const first = await m.post('/receipts', {
          supplier: 'ACME',
          location: 'STORE-A',
          lines: [{ sku: 'PHX', units: [{ serial: 'I-1', identifiers: { imei: '490154203237518' } }] }],
        })
        expect(first.statusCode).toBe(201)
        const holder = await unitOf('I-1')
        const before = await eventCount()
        const r = await m.post('/receipts', {
          supplier: 'ACME',
          location: 'STORE-A',
          lines: [
            {
              sku: 'PHX',
              units: [
                { serial: 'I-2', identifiers: { imei: '490154203237518' } },
                { serial: 'I-3', identifiers: { imei: '356938035643809' } },
                { serial: 'I-4', identifiers: { imei: '356938035643809' } },
              ],
            },
          ],
        })
        expect(r.statusCode).toBe(409)
        const body = r.json()
        expect(body.code).toBe('identifier.duplicate')
        expect(body.detail).not.toContain('unit_identifier')
        expect(body.issues as Issue[]).toEqual([
          {
            row: 1,
            field: 'lines[0].imei',
            value: '490154203237518',
            message: `imei 490154203237518 (of serial I-2) is already the imei of unit PHX I-1 (id ${holder.id})`,
          },
          {
            row: 3,
            field: 'lines[0].imei',
            value: '356938035643809',
            message: 'imei 356938035643809 (of serial I-4) is repeated in this receipt (first at row 2, serial I-3)',
          },
        ])
        expect(await eventCount()).toBe(before)
        expect((await m.get('/units/lookup?code=I-3')).json()).toEqual([])
      })
    })

    describe('tokens and idempotency keys (item 21)', () => {
      it('refuses a token scope above the owner role', async () => {
        const built = { clerk: 'edge-clerk', auditor: 'edge-auditor' }
        for (const [role, username] of Object.entries(built))
          expect((await a.post('/users', { username, password: 'a-long-password', role })).statusCode).toBe(201)
        const tooWide = [
          { username: 'edge-clerk', scope: 'admin', max: 'write' },
          { username: 'edge-auditor', scope: 'write', max: 'read' },
          { username: 'edge-auditor', scope: 'admin', max: 'read' },
        ]
        for (const t of tooWide) {
          const r = await a.post('/tokens', { name: `too-wide-${t.scope}`, scope: t.scope, username: t.username })
          expect(r.statusCode).toBe(400)
          expect(r.json()).toMatchObject({ code: 'token.scope_above_role' })
          expect(r.json().detail).toContain(`scope ${t.max} at most, not ${t.scope}`)
        }
        const tokens = (await a.get('/tokens')).json() as { name: string }[]
        expect(tokens.filter((t) => t.name.startsWith('too-wide'))).toEqual([])
        const fine = await a.post('/tokens', { name: 'till', scope: 'write', username: 'edge-clerk' })
        expect(fine.statusCode).toBe(201)
        expect(fine.json()).toMatchObject({ scope: 'write', effectiveScope: 'write' })
        // A role lowered later: the token is listed with what it can still do.
        await admin({ method: 'PATCH', url: '/api/v1/users/edge-clerk', payload: { role: 'auditor' } })
        const listed = ((await a.get('/tokens')).json() as { name: string }[]).find((t) => t.name === 'till')
        expect(listed).toMatchObject({ username: 'edge-clerk', scope: 'write', effectiveScope: 'read' })
        expect((await a.post('/tokens', { name: 'audit', scope: 'read', username: 'edge-auditor' })).statusCode).toBe(
          201,
        )
      })

      it("shows the client's Idempotency-Key in a reuse refusal, not the internal one", async () => {
        await receive(['K-1', 'K-2'], new Date().toISOString())
        const key = { 'idempotency-key': 'till-7-sale-42' }
        expect((await m.post('/sales', { orderRef: 'POS-5', units: ['K-1'] }, key)).statusCode).toBe(201)
        const other = await m.post('/sales', { orderRef: 'POS-6', units: ['K-2'] }, key)
        expect(other.statusCode).toBe(422)
        expect(other.json().detail).toBe('Idempotency-Key till-7-sale-42 was already used for a different request')
        expect(await unitOf('K-2')).toMatchObject({ status: 'in_stock' })
      })
    })

    describe('codes differing only in case (item 22)', () => {
      it('refuses a location, SKU or party code that exists in another case, naming the existing one', async () => {
        const cases = [
          { url: '/locations', body: { code: 'Store-A', name: 'Store A again', kind: 'store' }, has: 'STORE-A' },
          { url: '/skus', body: { code: 'phx', name: 'Phone X again', tracking: 'serial' }, has: 'PHX' },
          { url: '/parties', body: { code: 'Acme', name: 'Acme again', role: 'supplier' }, has: 'ACME' },
        ]
        for (const c of cases) {
          const r = await m.post(c.url, c.body)
          expect(r.statusCode).toBe(409)
          expect(r.json().code).toMatch(/\.duplicate$/)
          expect(r.json().detail).toContain(`${c.body.code} already exists as ${c.has}`)
        }
        expect(
          (await m.get('/locations?limit=1000')).json().filter((l: { code: string }) => /store-a/i.test(l.code)),
        ).toHaveLength(1)
      })

      it('finds a code whatever its case, consistently with the uniqueness', async () => {
        expect((await m.get('/locations/store-a')).json()).toMatchObject({ code: 'STORE-A' })
        const r = await m.post('/receipts', {
          supplier: 'acme',
          location: 'store-a',
          lines: [{ sku: 'phx', serials: ['C-1'] }],
        })
        expect(r.statusCode, r.body).toBe(201)
        expect(await unitOf('C-1')).toMatchObject({ sku: { code: 'PHX' }, location: { code: 'STORE-A' } })
        const sale = await m.post('/sales', {
          orderRef: 'POS-8',
          customer: 'jane',
          from: 'Store-A',
          units: [{ serial: 'C-1', sku: 'Phx' }],
        })
        expect(sale.statusCode, sale.body).toBe(201)
        expect(await unitOf('C-1')).toMatchObject({ status: 'sold', customer: { code: 'JANE' } })
      })
    })

    describe('one-time passwords (item 16)', () => {
      it('makes a user created by an admin change the password at first sign-in, and again after a reset', async () => {
        const created = await a.post('/users', {
          username: 'fresh-clerk',
          password: 'one-time-password',
          role: 'clerk',
        })
        expect(created.json()).toMatchObject({ mustChangePassword: true })
        const login = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'fresh-clerk', password: 'one-time-password' },
        })
        expect(login.json().user).toMatchObject({ mustChangePassword: true })
        const cookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
        const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/units', headers: { cookie: cookies } })
        expect(blocked.json()).toMatchObject({ status: 403, code: 'auth.password_change_required' })
        const changed = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: { cookie: cookies, 'x-csrf-token': login.json().csrfToken },
          payload: { currentPassword: 'one-time-password', newPassword: 'my-own-password' },
        })
        expect(changed.statusCode).toBe(204)
        expect(
          (await t.app.inject({ method: 'GET', url: '/api/v1/units', headers: { cookie: cookies } })).statusCode,
        ).toBe(200)
        const reset = await admin({
          method: 'PATCH',
          url: '/api/v1/users/fresh-clerk',
          payload: { password: 'another-one-time', role: 'manager', locations: ['STORE-B'] },
        })
        expect(reset.json()).toMatchObject({ role: 'manager', locations: ['STORE-B'], mustChangePassword: true })
        const log = (await a.get('/admin-events?limit=5')).json() as { action: string; subject: string }[]
        expect(log[0]).toMatchObject({ action: 'user.role_changed', subject: 'fresh-clerk' })
      })
    })
  })
}
