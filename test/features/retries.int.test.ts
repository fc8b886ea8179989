import { sql } from 'kysely'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { commandRetryOf } from '../../src/db/transaction.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { DIALECTS, LOCKED_POSTGRES } from '../dialects.js'
import { ACTOR, rowCount, useTestDb } from '../factories.js'
import { appWithUsers, rest } from '../http.js'

/*
 * Commands are run again when PostgreSQL aborts them with a serialization failure (40001) or a deadlock
 * (40P01), bounded. The failures are forced by a trigger on `event` that raises the given SQLSTATE on
 * its first N firings; a sequence counts the firings, because it is not rolled back with the aborted
 * transaction. SQLite has neither error (its writers queue on one lock), so this runs on PostgreSQL, on
 * both write paths: each gives up after its own policy's tries (the sequenced path tries longer, a
 * conflict on a row being its normal way for two commands on one unit to learn of each other).
 */
const paths = [DIALECTS.find((d) => d.name === 'postgres'), LOCKED_POSTGRES].filter((d) => d !== undefined)

for (const postgres of paths)
  describe(`${postgres.label}: commands retried on serialization failures`, () => {
    const t = useTestDb(postgres)
    let header: { supplier: string; location: string }
    let sku: string
    let customer: string
    let n = 0

    beforeAll(async () => {
      const place = await t.given.place()
      header = place.header
      sku = (await t.given.sku()).code
      customer = (await t.given.customer()).code
      await sql`create table test_fault (code text not null, fail_times bigint not null)`.execute(t.db.kysely)
      await sql`insert into test_fault values ('40001', 0)`.execute(t.db.kysely)
      await sql`create sequence test_fault_firings`.execute(t.db.kysely)
      await sql
        .raw(
          `create function test_fault_fire() returns trigger language plpgsql as $$
         declare f record;
         begin
           select * into f from test_fault;
           if nextval('test_fault_firings') <= f.fail_times then
             raise exception 'forced by the test' using errcode = f.code;
           end if;
           return new;
         end $$`,
        )
        .execute(t.db.kysely)
      await sql`create trigger test_fault_on_event before insert on event
      for each row execute function test_fault_fire()`.execute(t.db.kysely)
    })

    afterEach(async () => {
      await sql`update test_fault set fail_times = 0`.execute(t.db.kysely)
    })

    /** The next `times` event inserts fail with `code`; the firing count restarts at 0. */
    const failNext = async (code: '40001' | '40P01', times: number) => {
      await sql`select setval('test_fault_firings', 1, false)`.execute(t.db.kysely)
      await sql`update test_fault set code = ${code}, fail_times = ${times}`.execute(t.db.kysely)
    }
    const firings = async () =>
      Number((await sql<{ n: string }>`select last_value as n from test_fault_firings`.execute(t.db.kysely)).rows[0]!.n)
    const inStock = async () => {
      const serial = `RT-${++n}`
      await t.given.receipt({ ...header, lines: [{ sku, serials: [serial] }] })
      return serial
    }
    const sale = (serial: string, key: string) => {
      const input = { customer, orderRef: key, units: [serial] }
      return execute(t.ctx, sell, { actor: ACTOR, idempotencyKey: key, request: input }, input)
    }

    it.each(['40001', '40P01'] as const)(
      'a command aborted twice with %s runs a third time and commits once',
      async (code) => {
        const serial = await inStock()
        const events = await rowCount(t.db.kysely, 'event')
        await failNext(code, 2)
        const first = await sale(serial, `retry-${code}`)
        expect(first.isReplay).toBe(false)
        // Two aborted tries and the one that committed.
        expect(await firings()).toBe(3)
        expect(await rowCount(t.db.kysely, 'event')).toBe(events + 1)
        const unit = await t.db.kysely
          .selectFrom('unit')
          .select('status')
          .where('serial', '=', serial)
          .executeTakeFirst()
        expect(unit?.status).toBe('sold')
        // The key was recorded by the try that committed: the client's own retry is answered, not run again.
        const again = await sale(serial, `retry-${code}`)
        expect(again).toEqual({ result: first.result, isReplay: true })
        expect(await rowCount(t.db.kysely, 'event')).toBe(events + 1)
        expect(await verifyLedger(t.db)).toVerify()
      },
    )

    it('gives up after a bounded number of tries, writes nothing, and the API answers 503 db.busy', async () => {
      const serial = await inStock()
      const events = await rowCount(t.db.kysely, 'event')
      await failNext('40001', 1_000_000)
      await expect(sale(serial, 'retry-forever')).rejects.toMatchObject({ code: '40001' })
      // Every try of the path's policy ran (and failed), and no more.
      expect(await firings()).toBe(commandRetryOf(t.db).attempts)
      expect(commandRetryOf(t.db).attempts).toBe(t.db.writePath === 'sequenced' ? 10 : 5)
      expect(await rowCount(t.db.kysely, 'event')).toBe(events)
      expect(
        await t.db.kysely.selectFrom('idempotency').select('key').where('key', '=', 'retry-forever').execute(),
      ).toEqual([])

      const { app, as } = await appWithUsers(t.db)
      try {
        const clerk = rest(await as('clerk'))
        const res = await clerk.post(
          '/sales',
          { customer, orderRef: 'HTTP-1', units: [serial] },
          { 'idempotency-key': 'k1' },
        )
        expect(res.statusCode).toBe(503)
        expect(res.headers['retry-after']).toBe('5')
        expect(res.json()).toMatchObject({ code: 'db.busy' })
        // Once the database lets it through, the same request with the same key sells the unit.
        await failNext('40001', 0)
        const ok = await clerk.post(
          '/sales',
          { customer, orderRef: 'HTTP-1', units: [serial] },
          { 'idempotency-key': 'k1' },
        )
        expect(ok.statusCode).toBe(201)
        expect(await rowCount(t.db.kysely, 'event')).toBe(events + 1)
      } finally {
        await app.close()
      }
      expect(await verifyLedger(t.db)).toVerify()
    })
  })
