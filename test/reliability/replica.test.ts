import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { exportCsv } from '../../src/cli/export.command.js'
import { connect, type Db } from '../../src/db/connect.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'
import { appWithUsers, rest } from '../http.js'
import { onReplica, prepareReplica, type ReplicaCluster } from './replica-cluster.js'
import { waitFor } from './support.js'

/*
 * READ_DATABASE_URL on a real streaming replica: a second cluster on another loopback port, made a
 * replica of 127.0.0.1:5432 (replica-cluster.ts), dropped afterwards. A server whose database has the
 * replica answers reports, lists and exports from it and everything else from the primary. With the
 * replica's replay paused, a sale shows on the scan lookup (primary) but not yet on the dashboard, the
 * unit list, stock on hand, the ageing report, a CSV or an EPCIS export (replica); once replay resumes
 * it shows there within the lag.
 */
const LAG_LIMIT_MS = 15_000
const postgres = DIALECTS.find((d) => d.name === 'postgres')
const prepared = postgres ? await prepareReplica() : { ok: false as const, reason: 'PostgreSQL is not reachable' }
const reason = prepared.ok ? '' : ` (skipped: ${prepared.reason})`
if (!prepared.ok) console.warn(`[replica] skipped: ${prepared.reason}`)
const log = (msg: string) => console.log(`[replica] ${msg}`)

describe.skipIf(!prepared.ok)(`postgres: reads that need not be fresh go to a streaming replica${reason}`, () => {
  const cluster = (prepared as { cluster: ReplicaCluster }).cluster
  let primary: TestDb
  let db: Db
  let app: FastifyInstance
  let clerk: ReturnType<typeof rest>
  let auditor: ReturnType<typeof rest>
  let replicaUrl: string
  const w = { sku: '', site: '', customer: '', serials: ['RP-1', 'RP-2', 'RP-3'] }

  beforeAll(async () => {
    primary = await postgres!.create()
    const name = new URL(primary.url).pathname.slice(1)
    replicaUrl = cluster.urlOf(name)
    // The new database reaches the replica like any other write.
    await waitFor(
      'the test database on the replica',
      async () =>
        onReplica(replicaUrl, 'select 1').then(
          () => true,
          () => false,
        ),
      LAG_LIMIT_MS,
      100,
    )
    db = connect(primary.url, { readUrl: replicaUrl })
    const g = givens({ db: primary, clock: systemClock })
    const site = await g.site()
    Object.assign(w, { sku: (await g.sku()).code, site: site.code, customer: (await g.customer()).code })
    const supplier = (await g.supplier()).code
    await g.receipt({ supplier, location: w.site, lines: [{ sku: w.sku, serials: w.serials }] })
    const users = await appWithUsers(db)
    app = users.app
    clerk = rest(await users.as('clerk'))
    auditor = rest(await users.as('auditor'))
  })

  afterAll(async () => {
    await app?.close()
    await db?.close()
    await primary?.drop()
    cluster.drop()
  })

  const soldOnList = async () => (await clerk.get('/units?status=sold')).json().items.length as number
  const stockOnHand = async () =>
    ((await clerk.get(`/stock?location=${w.site}`)).json() as { onHand: number }[]).reduce((n, r) => n + r.onHand, 0)
  const dashboardSold = async () =>
    ((await clerk.get('/reports/dashboard')).json().unitsByStatus as { status: string; count: number }[]).find(
      (s) => s.status === 'sold',
    )?.count ?? 0
  /** Serial units in stock by the ageing report (GET /reports/ageing), one of the reports the replica answers. */
  const agedUnits = async () =>
    ((await clerk.get('/reports/ageing')).json().rows as { kind: string; units: number }[])
      .filter((r) => r.kind === 'unit')
      .reduce((n, r) => n + r.units, 0)
  const exportedStatuses = async () => {
    let csv = ''
    const out = new Writable({
      write(chunk, _enc, done) {
        csv += String(chunk)
        done()
      },
    })
    await exportCsv(db, 'units', out)
    return csv.split('\n').filter((l) => w.serials.some((s) => l.includes(s)) && l.includes('sold')).length
  }

  /** Events of RP-1 in the EPCIS export (GET /epcis/events?serial=…). */
  const epcisEvents = async () => {
    const res = await auditor.get('/epcis/events?serial=RP-1')
    expect(res.statusCode, res.body).toBe(200)
    return (res.json().epcisBody.eventList as unknown[]).length
  }

  it('a write reaches the replica in its lag; reports, lists, exports read there; scans, writes do not', async () => {
    // The receipt made before the server started has reached the replica.
    const t0 = performance.now()
    await waitFor('the receipt on the replica', async () => (await stockOnHand()) === 3, LAG_LIMIT_MS, 20)
    log(`receipt visible on the replica after ${(performance.now() - t0).toFixed(0)} ms`)
    expect(await soldOnList()).toBe(0)

    // Replay paused: the replica stays where it is, while the primary moves on.
    await onReplica(replicaUrl, 'select pg_wal_replay_pause()')
    try {
      await waitFor(
        'replay to pause',
        async () =>
          (await onReplica<{ s: string }>(replicaUrl, 'select pg_get_wal_replay_pause_state() as s'))[0]!.s ===
          'paused',
        LAG_LIMIT_MS,
      )
      // The sale is a write: it goes to the primary (the replica is read-only and would refuse it).
      const sold = await clerk.post('/sales', { customer: w.customer, orderRef: 'RP-ORDER-1', units: ['RP-1'] })
      expect(sold.statusCode, sold.body).toBe(201)
      // The scan lookup reads the primary: it sees the sale at once.
      expect((await clerk.get('/units/lookup?code=RP-1')).json()[0].status).toBe('sold')
      // Reports, lists and exports read the paused replica: not yet.
      expect(await soldOnList()).toBe(0)
      expect(await stockOnHand()).toBe(3)
      expect(await dashboardSold()).toBe(0)
      expect(await agedUnits()).toBe(3)
      expect(await exportedStatuses()).toBe(0)
      expect(await epcisEvents()).toBe(1)
      expect(
        await primary.kysely.selectFrom('unit').select('status').where('serial', '=', 'RP-1').executeTakeFirst(),
      ).toEqual({ status: 'sold' })
    } finally {
      await onReplica(replicaUrl, 'select pg_wal_replay_resume()')
    }

    // Replay resumed: the sale reaches every stale-tolerant read within the lag.
    const t1 = performance.now()
    await waitFor('the sale on the replica', async () => (await soldOnList()) === 1, LAG_LIMIT_MS, 20)
    log(`sale visible on the replica ${(performance.now() - t1).toFixed(0)} ms after replay resumed`)
    expect(await stockOnHand()).toBe(2)
    expect(await dashboardSold()).toBe(1)
    expect(await agedUnits()).toBe(2)
    expect(await exportedStatuses()).toBe(1)
    expect(await epcisEvents()).toBe(2)
    const lag = await onReplica<{ ok: boolean }>(
      replicaUrl,
      'select pg_is_in_recovery() and pg_last_wal_replay_lsn() is not null as ok',
    )
    expect(lag).toEqual([{ ok: true }])
  })
})
