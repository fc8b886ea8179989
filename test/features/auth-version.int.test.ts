import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import type { AppContext } from '../../src/core/context.js'
import type { Db } from '../../src/db/connect.js'
import { buildApp } from '../../src/http/app.js'
import { createToken, createUser, type Principal, revokeToken, updateUser } from '../../src/modules/accounts/index.js'
import type { FastifyInstance } from 'fastify'
import { SEQUENCED_POSTGRES, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'

/*
 * PostgreSQL, sequenced path: a stock command's API token is not read on every request. Each instance
 * remembers the principal with the `auth_version` it was read at; the command's first statement reads the
 * counter, which every write of an account or a token moves, and a moved counter makes the route read the
 * token again. What must hold: a revoked token, a disabled user or a lowered role is refused by EVERY
 * instance on its next command, nothing of a refused command is written, and an unrelated account change
 * costs a re-read, not a refusal.
 */
const dialect = SEQUENCED_POSTGRES
const setup = { actor: 'test-setup', username: 'test-setup' } as Principal

describe.skipIf(!dialect)('postgres, sequenced: remembered API tokens across two instances', () => {
  let db: TestDb
  let ctx: AppContext
  const others: Db[] = []
  const apps: FastifyInstance[] = []

  let recorded: string[] | undefined
  const original = pg.Client.prototype.query

  beforeAll(async () => {
    db = await dialect!.create()
    ctx = { db, clock: systemClock }
    // Before the instances' pools connect: their clients bind the query they find (src/db/connect.ts).
    ;(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string }
      recorded?.push(typeof q === 'string' ? q : q.text)
      return (original as (...a: unknown[]) => unknown).apply(this, args)
    }
    for (let i = 0; i < 2; i++) {
      const other = db.reopen()
      others.push(other)
      apps.push(await buildApp({ db: other, clock: systemClock }))
    }
  })
  afterAll(async () => {
    pg.Client.prototype.query = original
    for (const app of apps) await app.close()
    for (const other of others) await other.close()
    await db?.drop()
  })

  /** A clerk with a write token, a customer and `n` units in stock. */
  async function world(n: number) {
    const g = givens(ctx)
    const { header } = await g.place()
    const sku = await g.sku()
    const customer = await g.customer()
    const serials = Array.from({ length: n }, () => g.uniq('AV'))
    await g.receipt({ ...header, lines: [{ sku: sku.code, serials }] })
    const username = g.uniq('clerk')
    await createUser(ctx, 'test-setup', { username, password: 'correct-horse-battery', role: 'clerk' })
    const token = await createToken(ctx, setup, { name: 'till', scope: 'write', username })
    let order = 0
    const sellOn = (app: FastifyInstance, serial: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/sales',
        headers: { authorization: `Bearer ${token.token}` },
        payload: { customer: customer.code, orderRef: `AV-${++order}`, units: [serial] },
      })
    const statusOf = async (serial: string) =>
      (await db.kysely.selectFrom('unit').select('status').where('serial', '=', serial).executeTakeFirstOrThrow())
        .status
    return { serials, username, token, sellOn, statusOf }
  }

  /** The statements the instances send while `fn` runs (their pools' clients took the wrapped query). */
  async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
    recorded = []
    try {
      await fn()
      return recorded
    } finally {
      recorded = undefined
    }
  }

  it('sells without reading a token the instance remembers, and reads it again after any account change', async () => {
    const w = await world(4)
    expect((await w.sellOn(apps[0]!, w.serials[0]!)).statusCode).toBe(201)
    const sent = await statementsOf(async () => expect((await w.sellOn(apps[0]!, w.serials[1]!)).statusCode).toBe(201))
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.filter((s) => s.includes('api_token'))).toEqual([])
    // (The sequencer's pass for the first sale may run in between: its own transaction.)
    expect(sent.filter((s) => s.startsWith('start transaction'))).toEqual([
      expect.stringMatching(/; select nextval.*auth_version/),
    ])
    // Someone else's account changes: the remembered principal is stale, read again, and the sale goes through.
    await createUser(ctx, 'test-setup', {
      username: givens(ctx).uniq('other'),
      password: 'x'.repeat(12),
      role: 'clerk',
    })
    const again = await statementsOf(async () => expect((await w.sellOn(apps[0]!, w.serials[2]!)).statusCode).toBe(201))
    expect(again.filter((s) => s.includes('api_token'))).toHaveLength(1)
    expect(await w.statusOf(w.serials[2]!)).toBe('sold')
  })

  it('refuses a revoked token on every instance on its next command, and writes nothing', async () => {
    const w = await world(4)
    // Both instances remember the token.
    expect((await w.sellOn(apps[0]!, w.serials[0]!)).statusCode).toBe(201)
    expect((await w.sellOn(apps[1]!, w.serials[1]!)).statusCode).toBe(201)
    await revokeToken(ctx, setup, w.token.id)
    for (const [i, app] of apps.entries()) {
      const refused = await w.sellOn(app, w.serials[2 + i]!)
      expect(refused.statusCode, `instance ${i + 1}`).toBe(401)
      expect(refused.json().code).toBe('auth.required')
      expect(await w.statusOf(w.serials[2 + i]!)).toBe('in_stock')
    }
  })

  it('refuses a disabled user and a role that may not sell, on both instances', async () => {
    const w = await world(6)
    expect((await w.sellOn(apps[0]!, w.serials[0]!)).statusCode).toBe(201)
    expect((await w.sellOn(apps[1]!, w.serials[1]!)).statusCode).toBe(201)
    await updateUser(ctx, 'test-setup', w.username, { role: 'auditor' })
    for (const [i, app] of apps.entries()) {
      const refused = await w.sellOn(app, w.serials[2 + i]!)
      expect(refused.statusCode, `instance ${i + 1}`).toBe(403)
      expect(refused.json().code).toBe('auth.forbidden')
    }
    await updateUser(ctx, 'test-setup', w.username, { role: 'clerk', isActive: false })
    for (const [i, app] of apps.entries()) {
      const refused = await w.sellOn(app, w.serials[4 + i]!)
      expect(refused.statusCode, `instance ${i + 1}`).toBe(401)
      expect(await w.statusOf(w.serials[4 + i]!)).toBe('in_stock')
    }
  })

  it('lets a role raised on another instance sell at once (a remembered refusal is read again)', async () => {
    const w = await world(2)
    await updateUser(ctx, 'test-setup', w.username, { role: 'auditor' })
    // Remembered as an auditor by instance 1 (a refused sale reads the token, and remembers it).
    expect((await w.sellOn(apps[0]!, w.serials[0]!)).statusCode).toBe(403)
    await updateUser(ctx, 'test-setup', w.username, { role: 'clerk' })
    expect((await w.sellOn(apps[0]!, w.serials[1]!)).statusCode).toBe(201)
  })
})
