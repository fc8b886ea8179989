import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { inWriteTransaction } from '../../src/db/transaction.js'
import {
  createToken,
  createUser,
  rememberedToken,
  resolveToken,
  revokeToken,
  type Principal,
  updateUser,
} from '../../src/modules/accounts/index.js'
import { apply } from '../../src/modules/operations/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { lookupUnits } from '../../src/modules/units/index.js'
import { DIALECTS } from '../dialects.js'
import { ACTOR, caught, useTestDb } from '../factories.js'

/*
 * The hot reads (token check, scan box) run through `db.read`: on a SQLite file a second, query-only
 * connection. They must see exactly what is committed: nothing of a write still in flight, everything
 * of a write once it is acknowledged.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: reads on the read connection`, () => {
    const t = useTestDb(dialect, { file: true })

    async function unitInStock() {
      const sku = await t.given.sku()
      const site = await t.given.site()
      const supplier = await t.given.supplier()
      const serial = t.given.uniq('READ')
      await t.given.receipt({
        supplier: supplier.code,
        location: site.code,
        lines: [{ sku: sku.code, serials: [serial] }],
      })
      return serial
    }

    it('does not see a sale before it commits, and sees it once it has', async () => {
      const serial = await unitInStock()
      const statusNow = async () => (await lookupUnits(t.db, serial)).map((u) => u.status)
      expect(await statusNow()).toEqual(['in_stock'])
      const seenInside = await inWriteTransaction(t.db, async (trx, head) => {
        await apply({ trx, head, actor: ACTOR, now: new Date() }, sell, { orderRef: 'T-1', units: [serial] })
        return statusNow()
      })
      expect(seenInside).toEqual(['in_stock'])
      expect(await statusNow()).toEqual(['sold'])
    })

    it('never shows a write that was rolled back', async () => {
      const serial = await unitInStock()
      const refused = await caught(() =>
        inWriteTransaction(t.db, async (trx, head) => {
          await apply({ trx, head, actor: ACTOR, now: new Date() }, sell, { orderRef: 'T-1', units: [serial] })
          throw new Error('till crashed before the sale was confirmed')
        }),
      )
      expect(refused.message).toContain('till crashed')
      expect((await lookupUnits(t.db, serial)).map((u) => u.status)).toEqual(['in_stock'])
    })

    it('re-checks a remembered token after any change: a disabled owner, a role change, an expiry', async () => {
      let now = new Date('2026-03-01T09:00:00Z')
      const ctx = { db: t.db, clock: { now: () => new Date(now) } }
      const username = t.given.uniq('cached')
      await createUser(ctx, 'test-admin', { username, password: 'correct horse battery staple', role: 'manager' })
      const issued = await createToken(ctx, { actor: 'test-admin', username: 'test-admin' } as Principal, {
        name: 'till',
        scope: 'write',
        username,
        expiresInDays: 1,
      })
      expect((await resolveToken(ctx, issued.token))?.permissions.has('stock.adjust')).toBe(true)
      await updateUser(ctx, 'test-admin', username, { role: 'clerk' })
      expect((await resolveToken(ctx, issued.token))?.permissions.has('stock.adjust')).toBe(false)
      await updateUser(ctx, 'test-admin', username, { isActive: false })
      expect(await resolveToken(ctx, issued.token)).toBeUndefined()
      await updateUser(ctx, 'test-admin', username, { isActive: true })
      expect((await resolveToken(ctx, issued.token))?.username).toBe(username)
      // Nothing committed in between: only the clock moved past the expiry.
      now = new Date('2026-03-02T09:00:01Z')
      expect(await resolveToken(ctx, issued.token)).toBeUndefined()
    })

    it('refuses a revoked token on the very next check', async () => {
      const ctx = { db: t.db, clock: systemClock }
      const admin = { actor: 'test-admin', username: 'test-admin' } as Principal
      const username = t.given.uniq('reader')
      await createUser(ctx, 'test-admin', { username, password: 'correct horse battery staple', role: 'clerk' })
      const issued = await createToken(ctx, admin, { name: 'till', scope: 'write', username })
      expect((await resolveToken(ctx, issued.token))?.username).toBe(username)
      await revokeToken(ctx, admin, issued.id)
      expect(await resolveToken(ctx, issued.token)).toBeUndefined()
    })

    it('answers a remembered token without a read only while nothing was committed since', async () => {
      let now = new Date('2026-03-01T09:00:00Z')
      const ctx = { db: t.db, clock: { now: () => new Date(now) } }
      const admin = { actor: 'test-admin', username: 'test-admin' } as Principal
      const username = t.given.uniq('scanner')
      await createUser(ctx, 'test-admin', { username, password: 'correct horse battery staple', role: 'clerk' })
      const issued = await createToken(ctx, admin, { name: 'till', scope: 'write', username, expiresInDays: 1 })
      // PostgreSQL cannot tell for nothing that no other instance changed an account: always read there.
      const remembered = () => rememberedToken(ctx, issued.token)
      expect(remembered()).toBeUndefined()
      await resolveToken(ctx, issued.token)
      if (dialect.name === 'postgres') return expect(remembered()).toBeUndefined()
      expect(remembered()?.username).toBe(username)
      expect(rememberedToken(ctx, 'not-a-token')).toBeNull()
      // Nothing committed, only the clock moved past the expiry: refused without a read.
      now = new Date('2026-03-02T09:00:01Z')
      expect(remembered()).toBeNull()
      now = new Date('2026-03-01T10:00:00Z')
      expect(remembered()?.username).toBe(username)
      // Any commit (here the revocation) sends the next check back to the database, which refuses it.
      await revokeToken(ctx, admin, issued.id)
      expect(remembered()).toBeUndefined()
      expect(await resolveToken(ctx, issued.token)).toBeUndefined()
      expect(remembered()).toBeUndefined()
    })
  })
}

describe('sqlite: waiting for another connection’s write lock', () => {
  const t = useTestDb(
    DIALECTS.find((d) => d.name === 'sqlite')!,
    { file: true },
  )

  it('waits without stopping the event loop, then writes once the lock is free', async () => {
    const other = new SQLite(t.db.url.slice('sqlite:'.length))
    other.exec('begin immediate')
    let last = performance.now()
    let longestStall = 0
    const ticker = setInterval(() => {
      longestStall = Math.max(longestStall, performance.now() - last)
      last = performance.now()
    }, 10)
    setTimeout(() => other.exec('commit'), 1500)
    try {
      const started = performance.now()
      const sku = await t.given.sku()
      expect(performance.now() - started).toBeGreaterThan(1400)
      expect(sku.code).toMatch(/^SKU-/)
      // A synchronous busy wait would have stalled the loop for the whole 1.5 s.
      expect(longestStall).toBeLessThan(700)
    } finally {
      clearInterval(ticker)
      other.close()
    }
  })
})
