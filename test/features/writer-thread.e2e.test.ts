import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { AppError } from '../../src/core/errors.js'
import { systemClock } from '../../src/core/clock.js'
import type { StockCommands } from '../../src/commands/stock-commands.js'
import { receivedError, sendableError, startWriterThread } from '../../src/commands/writer-thread.js'
import { parseCommand } from '../../src/modules/operations/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'
import { type ApiClient, appWithUsers, rest } from '../http.js'

/*
 * On a SQLite file the server runs stock commands in a writer thread. Through it, answers must be the
 * same as in-process ones (codes, details, idempotent replays), and the server must keep answering
 * while the thread writes.
 */
const sqlite = DIALECTS.find((d) => d.name === 'sqlite')!

describe('sqlite: stock commands in the writer thread', () => {
  let db: TestDb
  let commands: StockCommands
  let app: FastifyInstance
  let clerk: ApiClient
  let given: ReturnType<typeof givens>
  let world: { sku: string; site: string; supplier: string }
  beforeAll(async () => {
    db = await sqlite.create({ file: true })
    commands = startWriterThread({ url: db.url })
    const built = await appWithUsers(db, systemClock, { commands })
    app = built.app
    clerk = await built.as('clerk')
    given = givens({ db, clock: systemClock })
    const [sku, site, supplier] = [await given.sku(), await given.site(), await given.supplier()]
    world = { sku: sku.code, site: site.code, supplier: supplier.code }
  })
  afterAll(async () => {
    await app.close()
    await commands.close()
    await db.drop()
  })

  const receive = (serials: string[]) =>
    given.receipt({ supplier: world.supplier, location: world.site, lines: [{ sku: world.sku, serials }] })

  const sellsOnce =
    'sells once, refuses the second sale with the same problem code and details, and replays a retried key'
  it(sellsOnce, async () => {
    const serial = given.uniq('WT')
    await receive([serial])
    const api = rest(clerk)
    const sold = await api.post('/sales', { orderRef: 'WT-1', units: [serial] }, { 'idempotency-key': `k-${serial}` })
    expect(sold.statusCode).toBe(201)
    const retried = await api.post(
      '/sales',
      { orderRef: 'WT-1', units: [serial] },
      { 'idempotency-key': `k-${serial}` },
    )
    expect(retried.statusCode).toBe(201)
    expect(retried.headers['idempotent-replayed']).toBe('true')
    expect(retried.json()).toEqual(sold.json())
    const again = await api.post('/sales', { orderRef: 'WT-2', units: [serial] })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({
      code: 'unit.illegal_transition',
      issues: [{ row: 1, field: 'units[0]', value: serial }],
    })
    const unknown = await api.post('/sales', { orderRef: 'WT-3', customer: 'NO-SUCH-CUSTOMER', units: [serial] })
    expect(unknown.json()).toMatchObject({ code: 'party.not_found' })
    expect(await verifyLedger(db)).toVerify()
  })

  it('hands back errors as their own kind: a refusal keeps its code and details, a bad input its issues', async () => {
    const serial = given.uniq('WT-ERR')
    await receive([serial])
    const opts = { actor: 'writer-thread-test' }
    const missing = await commands
      .run('sell', opts, parseCommand(sell, { orderRef: 'E-1', units: ['NO-SUCH-SERIAL'] }))
      .catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(AppError)
    expect(missing).toMatchObject({
      code: 'unit.not_found',
      details: { issues: [{ field: 'units[0]', value: 'NO-SUCH-SERIAL' }] },
    })
    // Commands arrive validated (the route's schema did it, once); a ZodError still crosses as itself.
    const zodError = sell.body.safeParse({ units: [serial] }).error!
    const invalid = receivedError(sendableError(zodError))
    expect(invalid).toBeInstanceOf(ZodError)
    expect((invalid as ZodError).issues[0]?.path).toEqual(['orderRef'])
    // Nothing was written by either: the unit is still for sale.
    expect(
      (await commands.run('sell', opts, parseCommand(sell, { orderRef: 'E-2', units: [serial] }))).result.unitCount,
    ).toBe(1)
  })

  it('keeps answering scan lookups while a 100,000-serial receipt is being written', async () => {
    const known = given.uniq('WT-KNOWN')
    await receive([known])
    await app.listen({ host: '127.0.0.1', port: 0 })
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const headers = { authorization: `Bearer ${clerk.token}` }
    const prefix = given.uniq('BIG')
    let receiptDone = false
    const receipt = fetch(`${origin}/api/v1/receipts`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        supplier: world.supplier,
        location: world.site,
        lines: [{ sku: world.sku, range: `${prefix}-{000001..100000}` }],
      }),
    }).finally(() => {
      receiptDone = true
    })
    // In the server's own thread, the synchronous SQLite writes of the receipt would hold back every
    // other request until it finished; here lookups keep coming back while it is written.
    let answeredDuringReceipt = 0
    while (!receiptDone) {
      const r = await fetch(`${origin}/api/v1/units/lookup?code=${known}`, { headers })
      expect(r.status).toBe(200)
      if (!receiptDone) answeredDuringReceipt++
    }
    expect((await receipt).status).toBe(201)
    expect(answeredDuringReceipt).toBeGreaterThan(5)
    const [received] = (await (
      await fetch(`${origin}/api/v1/units/lookup?code=${prefix}-100000`, { headers })
    ).json()) as { status: string }[]
    expect(received?.status).toBe('in_stock')
  })
})
