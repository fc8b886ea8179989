import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { readCheckpointFiles, readSigningKey, verifyAgainstCheckpoints } from '../../src/modules/proofs/index.js'
import type { UnitStatus } from '../../src/modules/units/unit-status.rules.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { givens } from '../factories.js'
import { adminToken, httpClient, replayUnitLines, type ServerProcess, startServerProcess } from './support.js'

/*
 * Several server instances on one PostgreSQL database: INSTANCES_COUNT (default 3) separate server
 * processes, each with its own connection pool and its own periodic checkpointer (every second), sharing
 * one signing key and witness as instances behind a load balancer do. For INSTANCES_SECONDS (default 8),
 * INSTANCES_CLIENTS (default 12) client loops spread over the instances sell, move and transfer (and
 * receive transfers of) an overlapping pool of units, reading a unit's status and then acting on it, and
 * now and then ask for a checkpoint. Afterwards: every answer was a success or a rule's refusal, no unit
 * was sold twice, the units sold are exactly the ones whose sale was answered 2xx (nothing lost), the
 * ledger verifies, and every checkpoint the instances signed verifies against the ledger.
 *
 * It runs on both PostgreSQL write paths. On `locked` the writers serialise on the ledger head lock, so it
 * passes by construction. On `sequenced` no command takes that lock (docs/scaling.md): there, halfway
 * through, the first instance is killed (SIGKILL) while its clients' requests are in flight and they
 * move to the others, whose sequencers take over; a sale whose request died with it may or may not have
 * been made (it was never acknowledged), every other answer must hold as above.
 */
const COUNT = Number(process.env.INSTANCES_COUNT ?? 3)
const SECONDS = Number(process.env.INSTANCES_SECONDS ?? 8)
const CLIENTS = Number(process.env.INSTANCES_CLIENTS ?? 12)
const POOL = 80
const RULE_CODES = new Set(['unit.illegal_transition', 'unit.wrong_location', 'transfer.invalid'])
const log = (msg: string) => console.log(`[instances] ${msg}`)
const postgres = DIALECTS.find((d) => d.name === 'postgres')
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

for (const writePath of ['locked', 'sequenced'] as const)
  describe.skipIf(!postgres)(
    `postgres, ${writePath}: ${COUNT} server processes on one database, ${CLIENTS} clients`,
    () => {
      const killsOne = writePath === 'sequenced'
      let db: TestDb
      let servers: ServerProcess[] = []
      let token: string
      const keys = mkdtempSync(join(tmpdir(), 'sl-instances-keys-'))
      const keyFile = join(keys, 'signing-key.pem')
      const witness = join(keys, 'witness')
      const w = { sku: '', siteA: '', siteB: '', supplier: '', customer: '', serials: [] as string[] }

      beforeAll(async () => {
        db = await postgres!.create()
        const g = givens({ db, clock: systemClock })
        const [a, b] = [await g.site({ kind: 'store' }), await g.site({ kind: 'warehouse' })]
        Object.assign(w, {
          sku: (await g.sku()).code,
          siteA: a.code,
          siteB: b.code,
          supplier: (await g.supplier()).code,
          customer: (await g.customer()).code,
        })
        w.serials = Array.from({ length: POOL }, (_, i) => `MI-${String(i + 1).padStart(4, '0')}`)
        for (const [location, serials] of [
          [w.siteA, w.serials.slice(0, POOL / 2)],
          [w.siteB, w.serials.slice(POOL / 2)],
        ] as const)
          await g.receipt({ supplier: w.supplier, location, lines: [{ sku: w.sku, serials: [...serials] }] })
        token = await adminToken(db)
        // One after another: the first makes the shared signing key, the others read it.
        for (let i = 0; i < COUNT; i++)
          servers.push(
            await startServerProcess(db.url, 60_000, {
              SERIAL_LEDGER_SIGNING_KEY: keyFile,
              SERIAL_LEDGER_WITNESS: witness,
              SERIAL_LEDGER_CHECKPOINT_INTERVAL: '1',
              LEDGER_WRITE_PATH: writePath,
            }),
          )
      })

      afterAll(async () => {
        await Promise.all(servers.map((s) => s.stop()))
        servers = []
        await db?.drop()
        rmSync(keys, { recursive: true, force: true })
      })

      it(
        'no unit sold twice, every acknowledged sale kept, the ledger and every checkpoint verify',
        async () => {
          const bad: string[] = []
          const soldOk = new Map<string, number>()
          const byOp = new Map<string, { attempted: number; succeeded: number }>()
          let checkpoints = 0
          const transfers: string[] = []
          const started = performance.now()
          const deadline = started + SECONDS * 1000
          /** Units of sales whose request died with the killed instance: sold or not, never acknowledged. */
          const unanswered = new Set<string>()
          let killed: ServerProcess | undefined
          const alive = () => servers.filter((s) => s !== killed)

          async function send(api: ReturnType<typeof httpClient>, op: string, path: string, body: unknown) {
            const stats = byOp.get(op) ?? { attempted: 0, succeeded: 0 }
            byOp.set(op, stats)
            stats.attempted++
            try {
              const reply = await api.post(path, body)
              if (reply.status >= 200 && reply.status < 300) {
                stats.succeeded++
                return reply
              }
              if (!(reply.status >= 400 && reply.status < 500 && RULE_CODES.has(reply.body?.code)))
                bad.push(`${op} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`)
            } catch (e) {
              if (killed && api.baseUrl === killed.url) {
                if (op === 'sell') for (const u of (body as { units: string[] }).units) unanswered.add(u)
              } else bad.push(`${op} ${path}: request failed: ${(e as Error).message}`)
            }
            return undefined
          }

          async function client(i: number) {
            let api = httpClient(servers[i % servers.length]!.url, token)
            for (let k = 0; performance.now() < deadline; k++) {
              if (killsOne && !killed && performance.now() > started + (SECONDS * 1000) / 2) {
                killed = servers[0]!
                log(`killing instance 1 (${killed.url}) while its clients' requests are in flight`)
                void killed.kill()
              }
              // A client of the killed instance moves to a live one (as a load balancer would send it).
              if (killed && api.baseUrl === killed.url) api = httpClient(alive()[i % alive().length]!.url, token)
              const serial = pick(w.serials)
              const units = Math.random() < 0.8 ? [serial] : [...new Set([serial, pick(w.serials)])]
              const seen = await api.get(`/units/lookup?code=${serial}`).catch((e: Error) => {
                if (killed && api.baseUrl === killed.url) return undefined
                throw e
              })
              if (!seen) continue
              if (seen.status !== 200) {
                bad.push(`lookup ${serial}: ${seen.status} ${JSON.stringify(seen.body)}`)
                continue
              }
              const unit = seen.body[0] as { status: UnitStatus; location: { path: string } | null; transfer: string }
              const r = Math.random()
              if (unit.status === 'in_stock') {
                if (r < 0.3) {
                  // Sells are rarer than the rest, so the pool lasts the whole run.
                  const sold = await send(api, 'sell', '/sales', {
                    customer: w.customer,
                    orderRef: `MI${i}-${k}`,
                    units,
                  })
                  if (sold) for (const s of units) soldOk.set(s, (soldOk.get(s) ?? 0) + 1)
                } else if (r < 0.65) await send(api, 'move', '/moves', { to: pick([w.siteA, w.siteB]), units })
                else {
                  const from = unit.location!.path.split('/')[1]!
                  const to = from === w.siteA ? w.siteB : w.siteA
                  const shipped = await send(api, 'transfer', '/transfers', { from, to, units })
                  if (shipped) transfers.push(shipped.body.number)
                }
              } else if (unit.status === 'in_transit')
                await send(api, 'receiveTransfer', `/transfers/${unit.transfer}/receipt`, r < 0.5 ? { units } : {})
              if (k % 25 === 0) {
                const made = await api.post('/proofs/checkpoints', {}).catch((e: Error) => {
                  if (killed && api.baseUrl === killed.url) return undefined
                  throw e
                })
                if (made?.status === 201) checkpoints++
                else if (made) bad.push(`checkpoint: ${made.status} ${JSON.stringify(made.body)}`)
              }
              if (transfers.length > 0 && Math.random() < 0.05)
                await send(api, 'receiveTransfer', `/transfers/${pick(transfers)}/receipt`, {})
            }
          }

          await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)))
          // The periodic checkpointers see the last writes too before the instances stop.
          await new Promise((resolve) => setTimeout(resolve, 1500))
          await Promise.all(alive().map((s) => s.stop()))
          log(
            `${COUNT} instances, ${SECONDS} s: ` +
              `${[...byOp].map(([op, s]) => `${op} ${s.succeeded}/${s.attempted}`).join(', ')}; ` +
              `${checkpoints} checkpoints asked for; ${bad.length} bad; ` +
              `${unanswered.size} units' sales unanswered by the killed instance`,
          )
          expect(bad.slice(0, 10)).toEqual([])
          for (const op of ['sell', 'move', 'transfer']) expect(byOp.get(op)?.succeeded, op).toBeGreaterThan(0)

          // No unit sold twice: neither answered 2xx twice nor sold twice in the ledger.
          expect([...soldOk].filter(([, n]) => n > 1)).toEqual([])
          const { lines, status, doubleSales, illegal } = await replayUnitLines(db)
          expect(doubleSales).toEqual([])
          expect(illegal.slice(0, 10)).toEqual([])
          // Nothing lost: the units sold are exactly those whose sale was acknowledged, every unit is still there.
          const units = await db.kysely.selectFrom('unit').select(['serial', 'status']).execute()
          expect(units).toHaveLength(POOL)
          const soldNow = units.filter((u) => u.status === 'sold').map((u) => u.serial)
          expect(soldNow.filter((u) => !soldOk.has(u) && !unanswered.has(u))).toEqual([])
          expect([...soldOk.keys()].filter((u) => !soldNow.includes(u))).toEqual([])
          expect(lines.filter((l) => l.type === 'sold')).toHaveLength(soldNow.length)
          if (killsOne) expect(killed).toBeDefined()
          expect(new Set(status.values()).size).toBeGreaterThan(0)

          // The projections equal a replay, and every checkpoint (witness files and table rows) still verifies.
          expect(await verifyLedger(db)).toVerify()
          const files = readCheckpointFiles([witness])
          const report = await verifyAgainstCheckpoints(db, files, readSigningKey(keyFile).publicKey)
          log(
            `checkpoints: ${files.length} witness files; ` +
              `${JSON.stringify({ ...report, findings: report.findings.length })}`,
          )
          expect(report.findings).toEqual([])
          expect(report.ok).toBe(true)
          const rows = await db.kysely.selectFrom('checkpoint').select('tree_size').execute()
          expect(rows.length).toBeGreaterThanOrEqual(checkpoints)
          expect(files.length).toBeGreaterThan(0)
          expect(report.matched).toBe(files.length + rows.length)
        },
        SECONDS * 1000 + 120_000,
      )
    },
  )
