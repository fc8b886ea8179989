import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { steppingClock } from '../../src/core/clock.js'
import {
  ensureSigningKey,
  fromHex,
  parsePublicKey,
  type ProofSettings,
  verifyConsistency,
  verifyInclusion,
  verifyPack,
} from '../../src/modules/proofs/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { useTempDir } from '../factories.js'
import { type ApiClient, appWithUsers, rest } from '../http.js'
import { runOperation, seedWorld } from '../harness.js'

const root = useTempDir('proofs-http')

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: proofs over HTTP`, () => {
    let db: TestDb
    let app: FastifyInstance
    let auditor: ReturnType<typeof rest>
    let clerk: ApiClient
    let settings: ProofSettings
    let serial: string
    beforeAll(async () => {
      db = await dialect.create()
      const dir = join(root, dialect.name)
      settings = { signingKeyFile: join(dir, 'key.pem'), witness: join(dir, 'witness') }
      ensureSigningKey(settings.signingKeyFile)
      const clock = steppingClock('2026-04-01T09:00:00Z')
      const built = await appWithUsers(db, clock, { proofs: settings })
      app = built.app
      auditor = rest(await built.as('auditor'))
      clerk = await built.as('clerk')
      const w = await seedWorld({ db, clock })
      expect(await runOperation(w, { kind: 'sell', picks: [1], loc: 0, qty: 1 })).toBe('ok')
      serial = w.serials[1]!
    })
    afterAll(async () => {
      await app.close()
      await db.drop()
    })

    it('makes a checkpoint on demand, writes it to the witness, and answers proofs that verify', async () => {
      expect((await auditor.get('/proofs/checkpoints/latest')).json()).toMatchObject({ code: 'proof.no_checkpoint' })
      const made = await auditor.post('/proofs/checkpoints', {})
      expect(made.statusCode).toBe(201)
      const checkpoint = made.json()
      expect(checkpoint).toMatchObject({ format: 'serial-ledger.checkpoint.v1', treeSize: 4 })
      const witnessed = readdirSync(settings.witness)
      expect(witnessed).toHaveLength(1)
      expect(witnessed[0]).toMatch(/^checkpoint-000000000004-\d{8}T\d{9}Z\.json$/)
      expect(JSON.parse(readFileSync(join(settings.witness, witnessed[0]!), 'utf8'))).toEqual(checkpoint)
      expect((await auditor.get('/proofs/checkpoints/latest')).json()).toEqual(checkpoint)

      const { pem, keyId } = (await auditor.get('/proofs/public-key')).json()
      expect(keyId).toBe(checkpoint.keyId)
      const publicKey = parsePublicKey(pem)

      const proof = (await auditor.get('/proofs/inclusion?seq=2')).json()
      expect(proof).toMatchObject({ seq: 2, leafIndex: 1, treeSize: 4 })
      const rootHash = fromHex(checkpoint.rootHash)
      expect(verifyInclusion(1, 4, fromHex(proof.leafHash), proof.path.map(fromHex), rootHash)).toBe(true)

      const consistency = (await auditor.get('/proofs/consistency?from=2')).json()
      expect(consistency).toMatchObject({ fromSize: 2, toSize: 4, toRoot: checkpoint.rootHash, to: checkpoint })
      const ok = verifyConsistency(2, 4, fromHex(consistency.fromRoot), rootHash, consistency.proof.map(fromHex))
      expect(ok).toBe(true)

      const pack = (await auditor.get(`/proofs/units/${serial}/pack`)).json()
      expect(pack.events.map((e: { event: { type: string } }) => e.event.type)).toEqual(['received', 'sold'])
      expect(verifyPack(pack, publicKey)).toMatchObject({ ok: true })
    })

    it('refuses clearly: an event past the checkpoint, a bad query, a clerk', async () => {
      const past = await auditor.get('/proofs/inclusion?seq=99')
      expect(past.statusCode).toBe(400)
      expect(past.json()).toMatchObject({ code: 'proof.out_of_range', detail: expect.stringContaining('event 99') })
      expect((await auditor.get('/proofs/inclusion?seq=0')).json()).toMatchObject({ code: 'request.invalid' })
      expect((await auditor.get('/proofs/consistency?from=9')).json()).toMatchObject({ code: 'proof.out_of_range' })
      expect((await clerk({ method: 'POST', url: '/api/v1/proofs/checkpoints', payload: {} })).statusCode).toBe(403)
      expect(existsSync(settings.signingKeyFile)).toBe(true)
    })
  })
}
