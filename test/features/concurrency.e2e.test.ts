import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import type { Db } from '../../src/db/connect.js'
import { appWithUsers, type Requester } from '../http.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'

/*
 * Two server instances, each with its own connection (pool), against one database: what two clerks
 * scanning the same unit at the same moment, on two tills, look like to the database.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: concurrent writers`, () => {
    let db: TestDb
    let second: Db
    let apps: FastifyInstance[]
    let tills: Requester[]
    let given: ReturnType<typeof givens>
    beforeAll(async () => {
      db = await dialect.create({ file: true })
      second = db.reopen()
      const [one, two] = [await appWithUsers(db), await appWithUsers(second)]
      apps = [one.app, two.app]
      const clerk = await one.as('clerk', { username: 'till-clerk' })
      // The second instance shares the database, so the same token works there too.
      tills = [clerk, two.api(clerk.token)]
      given = givens({ db, clock: systemClock })
    })
    afterAll(async () => {
      for (const app of apps) await app.close()
      await second.close()
      await db.drop()
    })

    it('sells a unit once when two requests race; the other gets 409', async () => {
      const { serials } = await given.received(20, 'RACE')
      for (const serial of serials) {
        const replies = await Promise.all(
          tills.map((till, i) =>
            till({ method: 'POST', url: '/api/v1/sales', payload: { orderRef: `T${i}-${serial}`, units: [serial] } }),
          ),
        )
        expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409])
        const refused = replies.find((r) => r.statusCode === 409)!
        expect(refused.headers['content-type']).toContain('application/problem+json')
        expect(refused.json()).toMatchObject({ code: 'unit.illegal_transition' })
      }
      const sold = await db.kysely
        .selectFrom('event_unit')
        .innerJoin('event', 'event.seq', 'event_unit.event_seq')
        .select('event_unit.serial')
        .where('event.type', '=', 'sold')
        .execute()
      expect(sold.map((r) => r.serial).sort()).toEqual([...serials].sort())
      expect(await verifyLedger(db)).toVerify()
    })

    it('receives a serial once when two receipts race; the other gets 409 naming it', async () => {
      const sku = await given.sku()
      const site = await given.site()
      const supplier = await given.supplier()
      for (let i = 0; i < 10; i++) {
        const serial = given.uniq('DUP')
        const replies = await Promise.all(
          tills.map((till) =>
            till({
              method: 'POST',
              url: '/api/v1/receipts',
              payload: {
                supplier: supplier.code,
                location: site.code,
                lines: [{ sku: sku.code, serials: ['OTHER-' + serial + Math.random(), serial] }],
              },
            }),
          ),
        )
        expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409])
        const refused = replies.find((r) => r.statusCode === 409)!.json()
        expect(refused).toMatchObject({ code: 'serial.duplicate' })
        expect(refused.issues).toEqual([
          { row: 2, field: 'lines[0].serial', value: serial, message: `${sku.code} ${serial} already exists` },
        ])
      }
      expect(await verifyLedger(db)).toVerify()
    })

    const groupCommit =
      'answers each of many concurrent commands on one instance by itself (group commit refuses only the loser)'
    it(groupCommit, async () => {
      const { serials } = await given.received(20, 'GC')
      const attempts = [...serials, ...serials].map((serial, i) =>
        tills[0]!({ method: 'POST', url: '/api/v1/sales', payload: { orderRef: `GC-${i}`, units: [serial] } }),
      )
      const replies = await Promise.all(attempts)
      expect(replies.filter((r) => r.statusCode === 201)).toHaveLength(20)
      expect(replies.filter((r) => r.statusCode === 409)).toHaveLength(20)
      const sold = await db.kysely
        .selectFrom('unit')
        .select('serial')
        .where('serial', 'in', serials)
        .where('status', '=', 'sold')
        .execute()
      expect(sold).toHaveLength(20)
      expect(await verifyLedger(db)).toVerify()
    })

    it('keeps the hash chain linear under many concurrent writers', async () => {
      const { serials } = await given.received(60, 'MANY')
      const replies = await Promise.all(
        serials.map((serial, i) =>
          tills[i % 2]!({ method: 'POST', url: '/api/v1/sales', payload: { orderRef: `M-${i}`, units: [serial] } }),
        ),
      )
      expect(replies.every((r) => r.statusCode === 201)).toBe(true)
      expect(await verifyLedger(db)).toVerify()
    })
  })
}
