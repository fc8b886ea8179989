/*
 * GET /claims: supplier claims newest opened first, filtered by current status, supplier and opening date,
 * paged with a keyset cursor; a bad filter is refused naming it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { changeClaimStatus, type ClaimPage, openClaim, shipClaim } from '../../src/modules/quality/index.js'
import { DIALECTS } from '../dialects.js'
import { givens } from '../factories.js'
import { expectOk, useTestApp } from '../http.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the supplier claims list`, () => {
    const t = useTestApp(dialect, { role: 'clerk' })
    const claims: Record<string, string> = {}
    let acme = ''
    let bolt = ''

    beforeAll(async () => {
      const g = givens({ db: t.db, clock: systemClock })
      const phone = await g.sku()
      const wh = await g.site({ kind: 'warehouse' })
      acme = (await g.supplier()).code
      bolt = (await g.supplier()).code
      const serialsOf = (p: string) => [1, 2, 3].map((i) => `${p}-${i}`)
      const receivedAt = '2026-02-01T09:00:00Z'
      for (const [supplier, p] of [
        [acme, 'A'],
        [bolt, 'B'],
      ] as const)
        await g.receipt({
          supplier,
          location: wh.code,
          receivedAt,
          lines: [{ sku: phone.code, serials: serialsOf(p) }],
        })
      const open = async (name: string, supplier: string, units: string[], openedAt: string) =>
        (claims[name] = (await g.op(openClaim, { supplier, units, reason: `${name} broken`, openedAt })).number)
      // Opened on three days; one claim per day, but two on 5 March (the later one recorded last).
      await open('a1', acme, ['A-1'], '2026-03-01T09:00:00Z')
      await open('b1', bolt, ['B-1', 'B-2'], '2026-03-03T09:00:00Z')
      await open('a2', acme, ['A-2', 'A-3'], '2026-03-05T09:00:00Z')
      await open('b2', bolt, ['B-3'], '2026-03-05T09:00:00Z')
      const at = '2026-03-06T09:00:00Z'
      await g.op(shipClaim, { number: claims.a2!, shippedAt: at })
      for (const status of ['sent', 'accepted'] as const)
        await g.op(changeClaimStatus, { number: claims.a2!, status, at })
      const credit = { creditedAmount: 80.5, creditNote: 'CN-7', at }
      await g.op(changeClaimStatus, { number: claims.a2!, status: 'credited', ...credit })
      await g.op(changeClaimStatus, { number: claims.b1!, status: 'sent', at })
    })

    const list = (query: string) => expectOk<ClaimPage>(t.get(`/claims${query}`), 200)
    const numbers = (p: ClaimPage) => p.items.map((c) => c.number)

    it('lists every claim newest opened first, with status, supplier, units and the credit', async () => {
      const page = await list('')
      expect(numbers(page)).toEqual([claims.b2, claims.a2, claims.b1, claims.a1])
      expect(page.nextCursor).toBeNull()
      expect(page.items[1]).toMatchObject({
        number: claims.a2,
        status: 'credited',
        supplier: { code: acme },
        reason: 'a2 broken',
        openedAt: '2026-03-05T09:00:00.000Z',
        units: 2,
        shippedUnits: 2,
        creditedAmount: 80.5,
        creditNote: 'CN-7',
      })
      expect(page.items[2]).toMatchObject({ status: 'sent', units: 2, shippedUnits: 0, creditedAmount: null })
      expect(page.items[3]).toMatchObject({ status: 'open', units: 1, creditNote: null })
    })

    it('filters by current status, supplier and opening date, alone and together', async () => {
      expect(numbers(await list('?status=open'))).toEqual([claims.b2, claims.a1])
      expect(numbers(await list('?status=sent'))).toEqual([claims.b1])
      expect(numbers(await list('?status=rejected'))).toEqual([])
      expect(numbers(await list(`?supplier=${acme}`))).toEqual([claims.a2, claims.a1])
      expect(numbers(await list('?openedFrom=2026-03-03&openedTo=2026-03-05'))).toEqual([claims.b1])
      expect(numbers(await list('?openedFrom=2026-03-03T09:00:00Z'))).toEqual([claims.b2, claims.a2, claims.b1])
      expect(numbers(await list(`?supplier=${bolt}&status=open&openedTo=2026-03-06`))).toEqual([claims.b2])
    })

    it('pages with the cursor: every claim once, in order, also under a filter and on equal dates', async () => {
      const seen: string[] = []
      let cursor: string | null = ''
      let pages = 0
      while (cursor !== null) {
        const page: ClaimPage = await list(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        seen.push(...numbers(page))
        cursor = page.nextCursor
        pages++
      }
      expect(seen).toEqual([claims.b2, claims.a2, claims.b1, claims.a1])
      expect(pages).toBe(4)
      const first = await list(`?supplier=${acme}&limit=1`)
      expect(numbers(first)).toEqual([claims.a2])
      const second = await list(`?supplier=${acme}&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`)
      expect(numbers(second)).toEqual([claims.a1])
      expect(second.nextCursor).toBeNull()
    })

    it('refuses a bad filter with a clear error naming it', async () => {
      const refused = async (query: string, status: number, code: string) => {
        const r = await t.get(`/claims${query}`)
        expect(r.statusCode, r.body).toBe(status)
        const body = JSON.parse(r.body) as { code: string; detail: string }
        expect(body.code).toBe(code)
        return body.detail
      }
      expect(await refused('?status=lost', 400, 'request.invalid')).toContain('status')
      expect(await refused('?openedFrom=2026-03-05&openedTo=2026-03-01', 400, 'request.invalid')).toContain(
        'openedTo must be after openedFrom',
      )
      expect(await refused('?openedFrom=yesterday', 400, 'request.invalid')).toContain('openedFrom')
      expect(await refused('?cursor=nonsense', 400, 'request.invalid')).toContain('cursor')
      expect(await refused('?limit=0', 400, 'request.invalid')).toContain('limit')
      expect(await refused('?supplier=NOBODY', 404, 'party.not_found')).toContain('NOBODY')
      expect(await refused('?colour=red', 400, 'request.invalid')).toContain('colour')
    })
  })
}
