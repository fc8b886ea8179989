import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { registerInitCommand } from '../../src/cli/init.command.js'
import { registerProofCommands, runExportPack, runVerifyPack } from '../../src/cli/proofs.command.js'
import { registerVerifyCommand, runVerifyWithCheckpoints } from '../../src/cli/verify.command.js'
import { steppingClock } from '../../src/core/clock.js'
import type { AppContext } from '../../src/core/context.js'
import { eventHash } from '../../src/modules/ledger/event.rules.js'
import { toStoredEvent } from '../../src/modules/ledger/ledger.repository.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import {
  type Checkpoint,
  ensureSigningKey,
  type EvidencePack,
  findLatestCheckpoint,
  fromHex,
  keyIdOf,
  makeCheckpoint,
  merkleRoot,
  type ProofSettings,
  proveConsistency,
  proveInclusion,
  publicKeyPem,
  readSigningKey,
  signTreeHead,
  startCheckpointer,
  toHex,
  verifyConsistency,
  verifyInclusion,
  writeToWitness,
} from '../../src/modules/proofs/index.js'
import { readLeafHashes } from '../../src/modules/proofs/tree.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { useTempDir } from '../factories.js'
import { runOperation, seedWorld } from '../harness.js'

const root = useTempDir('proofs')
let dirs = 0

/** A key made elsewhere: what an insider without the ledger's key file can sign with. */
const otherKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: signed checkpoints, proofs and what an insider cannot forge`, () => {
    let db: TestDb | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    /**
     * A ledger of 3 receipts, checkpoint; a sale and a move, checkpoint; another receipt, checkpoint: the
     * witness directory holds the three signed checkpoints.
     */
    async function signedLedger() {
      db = await dialect.create()
      const dir = join(root, `l${++dirs}`)
      const settings: ProofSettings = { signingKeyFile: join(dir, 'key.pem'), witness: join(dir, 'witness') }
      expect(ensureSigningKey(settings.signingKeyFile)).toBe(true)
      const ctx: AppContext = { db, clock: steppingClock('2026-03-01T08:00:00Z') }
      const w = await seedWorld(ctx)
      const checkpoints: Checkpoint[] = [(await makeCheckpoint(ctx, settings))!.checkpoint]
      expect(await runOperation(w, { kind: 'sell', picks: [0, 1], loc: 0, qty: 1 })).toBe('ok')
      expect(await runOperation(w, { kind: 'move', picks: [3], loc: 2, qty: 1 })).toBe('ok')
      checkpoints.push((await makeCheckpoint(ctx, settings))!.checkpoint)
      expect(await runOperation(w, { kind: 'receive', picks: [0], loc: 0, qty: 3 })).toBe('ok')
      checkpoints.push((await makeCheckpoint(ctx, settings))!.checkpoint)
      const publicKey = readSigningKey(settings.signingKeyFile).publicKey
      const verify = () => runVerifyWithCheckpoints(db!, [settings.witness], publicKey)
      return { db, ctx, w, dir, settings, publicKey, checkpoints, verify }
    }

    const events = async () =>
      (await db!.kysely.selectFrom('event').selectAll().orderBy('seq').execute()).map(toStoredEvent)

    /** What an insider does after changing an early event: recompute every hash after it and the head. */
    async function rechain(fromSeq: number) {
      let prev = '0'.repeat(64)
      for (const e of await events()) {
        if (e.seq >= fromSeq) {
          const { hash: _old, ...rest } = { ...e, prevHash: prev }
          const hash = eventHash(rest)
          await db!.kysely.updateTable('event').set({ prev_hash: prev, hash }).where('seq', '=', e.seq).execute()
          prev = hash
        } else prev = e.hash
      }
      await db!.kysely.updateTable('ledger_head').set({ hash: prev }).where('id', '=', 1).execute()
    }

    it('signs with a 0600 key file, witnesses each checkpoint, and the ledger verifies against them', async () => {
      const { settings, checkpoints, verify } = await signedLedger()
      expect(statSync(settings.signingKeyFile).mode & 0o777).toBe(0o600)
      expect(checkpoints.map((c) => c.treeSize)).toEqual([3, 5, 6])
      const result = await verify()
      expect(result.ledger).toVerify()
      expect(result.checkpoints).toMatchObject({ ok: true, matched: 6, events: 6, findings: [] })
      expect(result.ok).toBe(true)
      expect(result.text).toContain('checkpoints OK: 6 signed checkpoints')
    })

    it('extends the tree from the last checkpoint to the root of a rebuild; proves by RFC 9162', async () => {
      const { ctx, checkpoints } = await signedLedger()
      const leaves = await readLeafHashes(db!.kysely, 6)
      for (const c of checkpoints) expect(c.rootHash).toBe(toHex(merkleRoot(leaves.slice(0, c.treeSize))))
      const proof = await proveInclusion(ctx.db, 4)
      expect(proof).toMatchObject({ seq: 4, leafIndex: 3, treeSize: 6, checkpoint: checkpoints[2] })
      const ok = verifyInclusion(
        3,
        6,
        fromHex(proof.leafHash),
        proof.path.map(fromHex),
        fromHex(proof.checkpoint.rootHash),
      )
      expect(ok).toBe(true)
      const older = await proveInclusion(ctx.db, 2, 3)
      expect(older.checkpoint).toEqual(checkpoints[0])
      const consistency = await proveConsistency(ctx.db, 3, 6)
      expect(consistency).toMatchObject({ fromRoot: checkpoints[0]!.rootHash, toRoot: checkpoints[2]!.rootHash })
      const [from, to] = [fromHex(checkpoints[0]!.rootHash), fromHex(checkpoints[2]!.rootHash)]
      expect(verifyConsistency(3, 6, from, to, consistency.proof.map(fromHex))).toBe(true)
      await expect(proveInclusion(ctx.db, 7)).rejects.toMatchObject({ code: 'proof.out_of_range' })
      await expect(proveInclusion(ctx.db, 2, 4)).rejects.toMatchObject({ code: 'proof.no_checkpoint' })
    })

    it('detects one field of a middle event changed, naming the event', async () => {
      const { verify } = await signedLedger()
      const target = (await events())[3]!
      await db!.kysely.updateTable('event').set({ actor: 'someone-else' }).where('seq', '=', target.seq).execute()
      const result = await verify()
      expect(result.ok).toBe(false)
      expect(result.ledger.problem).toMatchObject({ seq: 4, reason: expect.stringContaining('content was changed') })
      expect(result.checkpoints.findings.map((f) => [f.kind, f.treeSize])).toContainEqual(['rewritten', 5])
      expect(result.checkpoints.findings.some((f) => f.treeSize === 3)).toBe(false)
    })

    it('detects one line of an event changed', async () => {
      const { verify } = await signedLedger()
      const line = await db!.kysely
        .selectFrom('event_unit')
        .selectAll()
        .where('event_seq', '=', 4)
        .executeTakeFirstOrThrow()
      await db!.kysely
        .updateTable('event_unit')
        .set({ serial: 'SWAPPED-SERIAL' })
        .where('event_seq', '=', 4)
        .where('line_no', '=', line.line_no)
        .execute()
      const result = await verify()
      expect(result.ok).toBe(false)
      expect(result.ledger.problem).toMatchObject({ seq: 4, reason: expect.stringContaining('lines were changed') })
    })

    it('detects a deleted middle event', async () => {
      const { verify } = await signedLedger()
      await sql`delete from event where seq = 4`.execute(db!.kysely)
      const result = await verify()
      expect(result.ok).toBe(false)
      expect(result.ledger.problem?.reason).toContain('events are missing')
      expect(result.checkpoints.findings.find((f) => f.treeSize === 6)).toMatchObject({
        kind: 'rewritten',
        reason: expect.stringContaining('events are missing'),
      })
    })

    it('detects two events swapped', async () => {
      const { verify } = await signedLedger()
      const [a, b] = (await db!.kysely
        .selectFrom('event')
        .selectAll()
        .where('seq', 'in', [4, 5])
        .orderBy('seq')
        .execute())!
      // Their contents trade places; each keeps its seq and its place in the log (which is unique).
      const { seq: _a, log_pos: _aPos, ...aRest } = a!
      const { seq: _b, log_pos: _bPos, ...bRest } = b!
      await db!.kysely.updateTable('event').set({ id: 'moving' }).where('seq', '=', 4).execute()
      await db!.kysely.updateTable('event').set(aRest).where('seq', '=', 5).execute()
      await db!.kysely.updateTable('event').set(bRest).where('seq', '=', 4).execute()
      const result = await verify()
      expect(result.ok).toBe(false)
      expect(result.ledger.problem).toMatchObject({ seq: 4 })
      expect(result.checkpoints.findings.map((f) => f.kind)).toContain('rewritten')
    })

    it('detects a projection row changed behind the ledger', async () => {
      const { verify } = await signedLedger()
      const unit = await db!.kysely
        .selectFrom('unit')
        .select('id')
        .where('status', '=', 'in_stock')
        .executeTakeFirstOrThrow()
      await db!.kysely.updateTable('unit').set({ status: 'scrapped' }).where('id', '=', unit.id).execute()
      const result = await verify()
      expect(result.ok).toBe(false)
      expect(result.ledger.problem).toMatchObject({ table: 'unit', key: unit.id })
    })

    it('detects the tail deleted and the head rewound, though the hash chain then checks out', async () => {
      const { verify } = await signedLedger()
      const fifth = (await events())[4]!
      await sql`delete from event_unit where event_seq = 6`.execute(db!.kysely)
      await sql`delete from event_quantity where event_seq = 6`.execute(db!.kysely)
      await sql`delete from event where seq = 6`.execute(db!.kysely)
      await sql`delete from checkpoint where tree_size = 6`.execute(db!.kysely)
      await db!.kysely.updateTable('ledger_head').set({ seq: 5, hash: fifth.hash }).where('id', '=', 1).execute()
      expect(await verifyLedger(db!, { replay: false })).toVerify()
      const result = await verify()
      expect(result.ok).toBe(false)
      const truncated = result.checkpoints.findings.filter((f) => f.kind === 'truncated')
      expect(truncated).toHaveLength(1)
      expect(truncated[0]).toMatchObject({ treeSize: 6, source: expect.stringContaining('witness') })
      expect(truncated[0]!.reason).toContain('the ledger has 5: events 6…6 were removed')
      expect(result.text).toMatch(/truncated: .*witness.*checkpoint-000000000006/)
    })

    it('detects history rewritten from an early event with every hash recomputed', async () => {
      const { verify, ctx } = await signedLedger()
      const before = await proveInclusion(ctx.db, 2)
      await db!.kysely.updateTable('event').set({ reason: 'backdated' }).where('seq', '=', 2).execute()
      await rechain(2)
      // The proof is computed afresh (no cached leaf survives the rewrite) and no longer leads to the signed root.
      const after = await proveInclusion(ctx.db, 2)
      expect(after.leafHash).not.toBe(before.leafHash)
      const root = fromHex(after.checkpoint.rootHash)
      expect(verifyInclusion(1, 6, fromHex(before.leafHash), before.path.map(fromHex), root)).toBe(true)
      expect(verifyInclusion(1, 6, fromHex(after.leafHash), after.path.map(fromHex), root)).toBe(false)
      // The chain and the replay are fooled: this is what checkpoints are for.
      expect(await verifyLedger(db!)).toVerify()
      const result = await verify()
      expect(result.ok).toBe(false)
      const rewritten = result.checkpoints.findings.filter((f) => f.source !== 'checkpoint table')
      expect(rewritten.map((f) => [f.kind, f.treeSize])).toEqual([
        ['rewritten', 3],
        ['rewritten', 5],
        ['rewritten', 6],
      ])
      expect(rewritten[0]!.reason).toContain('an event among 1…3 was changed')
    })

    it('is not fooled by the checkpoint table rows replaced to match a rewritten history', async () => {
      const { verify, checkpoints } = await signedLedger()
      await db!.kysely.updateTable('event').set({ actor: 'insider' }).where('seq', '=', 1).execute()
      await rechain(1)
      // The insider replaces every row with tree heads of the rewritten log, signed with a key of their own.
      const leaves = await readLeafHashes(db!.kysely, 6)
      const forger = otherKey()
      await sql`delete from checkpoint`.execute(db!.kysely)
      for (const c of checkpoints) {
        const forged = signTreeHead(
          { treeSize: c.treeSize, rootHash: toHex(merkleRoot(leaves.slice(0, c.treeSize))), issuedAt: c.issuedAt },
          forger,
        )
        await db!.kysely
          .insertInto('checkpoint')
          .values({ id: `forged-${c.treeSize}`, ...rowOf(forged) })
          .execute()
      }
      const result = await verify()
      expect(result.ok).toBe(false)
      const rows = result.checkpoints.findings.filter((f) => f.source === 'checkpoint table')
      expect(rows.map((f) => f.kind)).toEqual(['signature', 'signature', 'signature'])
      const files = result.checkpoints.findings.filter((f) => f.source !== 'checkpoint table')
      expect(files.map((f) => f.kind)).toEqual(['rewritten', 'rewritten', 'rewritten'])
    })

    it('refuses a checkpoint file signed with another key, or one whose root was edited', async () => {
      const { dir, publicKey, checkpoints } = await signedLedger()
      const latest = checkpoints[2]!
      const other = join(dir, 'other-key.json')
      writeFileSync(other, JSON.stringify(signTreeHead(latest, otherKey())))
      const edited = join(dir, 'edited.json')
      writeFileSync(edited, JSON.stringify({ ...latest, rootHash: 'f'.repeat(64) }))
      const result = await runVerifyWithCheckpoints(db!, [other, edited], publicKey)
      expect(result.ok).toBe(false)
      expect(result.checkpoints.findings.map((f) => [f.source, f.kind])).toEqual([
        [other, 'signature'],
        [edited, 'signature'],
      ])
      expect(result.checkpoints.findings[0]!.reason).toContain('signed with another key')
    })

    it("exports one unit's evidence pack that the offline verifier accepts, and refuses when edited", async () => {
      const { ctx, settings, dir, w, publicKey } = await signedLedger()
      const keyFile = join(dir, 'public.pem')
      writeFileSync(keyFile, publicKeyPem(publicKey))
      const packFile = join(dir, 'pack.json')
      const sold = w.serials[0]!
      const { pack } = await runExportPack(ctx, settings, { serial: sold.toLowerCase() }, packFile)
      expect(pack.subject.serial).toBe(sold)
      expect(pack.events.map((e) => e.event.type)).toEqual(['received', 'sold'])
      const ok = runVerifyPack(packFile, keyFile)
      expect(ok.report).toMatchObject({ ok: true, problems: [] })
      expect(ok.text).toContain(`2 events of ${sold}`)

      const tampered = (edit: (p: EvidencePack) => void) => {
        const copy = JSON.parse(readFileSync(packFile, 'utf8')) as EvidencePack
        edit(copy)
        const file = join(dir, `tampered-${++dirs}.json`)
        writeFileSync(file, JSON.stringify(copy))
        return runVerifyPack(file, keyFile).report
      }
      const edited = tampered((p) => {
        p.events[0]!.event.occurredAt = '2025-01-01T00:00:00.000Z'
      })
      expect(edited.ok).toBe(false)
      expect(edited.problems.join('\n')).toMatch(/event \d+ \(received\): its content was changed/)
      const rehashed = tampered((p) => {
        const e = p.events[0]!.event
        e.occurredAt = '2025-01-01T00:00:00.000Z'
        const { hash: _h, ...rest } = e
        e.hash = eventHash(rest as never)
      })
      expect(rehashed.problems.join('\n')).toMatch(/inclusion proof does not lead to the checkpoint's root/)
      const line = tampered((p) => {
        p.events[0]!.lines!.units[0]!.costMinor = 1
      })
      expect(line.problems.join('\n')).toMatch(/lines were changed/)
      const resigned = tampered((p) => {
        p.checkpoint = signTreeHead(p.checkpoint, otherKey())
      })
      expect(resigned.problems.join('\n')).toMatch(/signed with another key/)
      expect(resigned.problems.join('\n')).toMatch(/signature does not verify/)
      const wrongKey = join(dir, 'wrong.pem')
      writeFileSync(wrongKey, publicKeyPem(otherKey().publicKey))
      expect(runVerifyPack(packFile, wrongKey).report.ok).toBe(false)
      expect(tampered((p) => void (p.events[0]!.path = [])).ok).toBe(false)
    })

    it('checkpoints periodically only when the ledger grew, and reports a failure without stopping', async () => {
      const { ctx, settings, w } = await signedLedger()
      const failures: unknown[] = []
      const checkpointer = startCheckpointer(ctx, settings, 3600, (e) => failures.push(e))
      try {
        await checkpointer.tick()
        expect(await countCheckpoints()).toBe(3)
        expect(await runOperation(w, { kind: 'sell', picks: [2], loc: 0, qty: 1 })).toBe('ok')
        await checkpointer.tick()
        expect(await countCheckpoints()).toBe(4)
        expect((await findLatestCheckpoint(db!.kysely))?.treeSize).toBe(7)
        expect(failures).toEqual([])
        const broken = startCheckpointer(ctx, { ...settings, signingKeyFile: '/nonexistent/key.pem' }, 3600, (e) =>
          failures.push(e),
        )
        expect(await runOperation(w, { kind: 'sell', picks: [4], loc: 0, qty: 1 })).toBe('ok')
        await broken.tick()
        await broken.stop()
        expect(failures).toMatchObject([{ code: 'proof.key_missing' }])
      } finally {
        await checkpointer.stop()
      }
    })

    const countCheckpoints = async () =>
      Number(
        (
          await db!.kysely
            .selectFrom('checkpoint')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )

    it('makes a checkpoint first when the unit has events the latest checkpoint does not cover', async () => {
      const { ctx, settings, dir, w } = await signedLedger()
      expect(await runOperation(w, { kind: 'sell', picks: [2], loc: 0, qty: 1 })).toBe('ok')
      const { pack } = await runExportPack(ctx, settings, { serial: w.serials[2]! }, join(dir, 'fresh.json'))
      expect(pack.checkpoint.treeSize).toBe(7)
      expect(pack.events.at(-1)!.event.seq).toBe(7)
      await expect(runExportPack(ctx, undefined, { serial: 'NO-SUCH' }, join(dir, 'x.json'))).rejects.toMatchObject({
        code: 'unit.not_found',
      })
    })
  })
}

const rowOf = (c: Checkpoint) => ({
  tree_size: c.treeSize,
  root_hash: c.rootHash,
  issued_at: c.issuedAt,
  key_id: c.keyId,
  signature: c.signature,
  compact_range: '[]',
})

describe('a witness URL', () => {
  it('receives each checkpoint as a POST of its JSON, and a refusal is an error', async () => {
    const received: string[] = []
    let status = 201
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        received.push(`${req.method} ${req.headers['content-type']} ${body}`)
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`
    try {
      const c = signTreeHead(
        { treeSize: 1, rootHash: 'ab'.repeat(32), issuedAt: '2026-12-01T13:00:00.000Z' },
        otherKey(),
      )
      expect(await writeToWitness(url, c)).toBe(url)
      expect(received).toHaveLength(1)
      expect(received[0]).toMatch(/^POST application\/json \{/)
      expect(JSON.parse(received[0]!.slice(received[0]!.indexOf('{')))).toEqual(c)
      status = 503
      await expect(writeToWitness(url, c)).rejects.toThrow(/answered 503/)
    } finally {
      server.close()
    }
  })
})

describe('the offline verifier', () => {
  it('imports nothing that opens a database', () => {
    const seen = new Set<string>()
    const bare = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
        const spec = m[1]!
        if (/^import type|^export type/.test(m[0])) continue
        if (spec.startsWith('.')) visit(new URL(spec.replace(/\.js$/, '.ts'), `file://${file}`).pathname)
        else bare.add(spec)
      }
    }
    visit(new URL('../../src/modules/proofs/pack-verify.ts', import.meta.url).pathname)
    const files = [...seen].map((f) => f.slice(f.indexOf('/src/') + 1))
    expect(files.filter((f) => f.startsWith('src/db/') || f.includes('repository') || f.includes('service'))).toEqual(
      [],
    )
    expect([...bare].filter((b) => !b.startsWith('node:') && b !== 'zod')).toEqual([])
    expect(files).toContain('src/modules/proofs/merkle.rules.ts')
  })
})

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the proof commands`, () => {
    it('init makes the key, checkpoint signs, verify --checkpoint holds, a pack verifies offline', async () => {
      const db = await dialect.create({ file: true })
      const dir = join(root, `cli-${dialect.name}`)
      const saved = { ...process.env }
      process.env.SERIAL_LEDGER_SIGNING_KEY = join(dir, 'key.pem')
      process.env.SERIAL_LEDGER_WITNESS = join(dir, 'witness')
      const out: string[] = []
      /** Runs one command line, as `serial-ledger …` would, on this database (a fresh program each time). */
      const run = async (...args: string[]) => {
        const program = new Command().exitOverride()
        for (const register of [registerInitCommand, registerVerifyCommand, registerProofCommands])
          register(program, (line) => out.push(line))
        out.length = 0
        process.exitCode = undefined
        const database = ['keys', 'proof verify'].some((c) => args.join(' ').startsWith(c))
          ? []
          : ['--database-url', db.url]
        await program.parseAsync(['node', 'serial-ledger', ...args, ...database])
        return { text: out.join('\n'), exitCode: process.exitCode }
      }
      try {
        const w = await seedWorld({ db, clock: steppingClock('2026-05-01T08:00:00Z') })
        expect((await run('init')).text).toMatch(
          /created the checkpoint signing key .*key\.pem \(key id [0-9a-f]{16}\)/,
        )
        expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600)
        const cpFile = join(dir, 'cp.json')
        expect((await run('checkpoint', '--out', cpFile)).text).toMatch(/^checkpoint of 3 events, root [0-9a-f]{64}/)
        expect(JSON.parse(readFileSync(cpFile, 'utf8'))).toMatchObject({ treeSize: 3 })
        const pem = (await run('keys', 'export-public')).text
        expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
        const keyFile = join(dir, 'public.pem')
        writeFileSync(keyFile, pem)
        const verified = await run('verify', '--checkpoint', cpFile, join(dir, 'witness'), '--public-key', keyFile)
        expect(verified).toMatchObject({
          exitCode: undefined,
          text: expect.stringContaining('checkpoints OK: 3 signed'),
        })
        const inclusion = JSON.parse((await run('proof', 'inclusion', '--seq', '2')).text)
        const signedRoot = fromHex(inclusion.checkpoint.rootHash)
        const leaf = fromHex(inclusion.leafHash)
        expect(verifyInclusion(1, 3, leaf, inclusion.path.map(fromHex), signedRoot)).toBe(true)
        const consistency = JSON.parse((await run('proof', 'consistency', '--from', '1', '--to', '3')).text)
        const proof = consistency.proof.map(fromHex)
        expect(verifyConsistency(1, 3, fromHex(consistency.fromRoot), signedRoot, proof)).toBe(true)
        await expect(run('proof', 'inclusion', '--seq', 'two')).rejects.toMatchObject({
          code: 'commander.invalidArgument',
          message: expect.stringContaining('must be a whole number'),
        })
        const packFile = join(dir, 'pack.json')
        expect((await run('proof', 'export', '--serial', w.serials[4]!, '--out', packFile)).text).toContain('1 events')
        const offline = await run('proof', 'verify', packFile, '--public-key', keyFile)
        expect(offline).toMatchObject({ exitCode: undefined, text: expect.stringMatching(/^evidence pack OK/) })
        await db.kysely.updateTable('event').set({ actor: 'x' }).where('seq', '=', 3).execute()
        await rechainAll(db)
        const broken = await run('verify', '--checkpoint', join(dir, 'witness'), '--public-key', keyFile)
        expect(broken.exitCode).toBe(1)
        expect(broken.text).toMatch(/checkpoints BROKEN: .*\n {2}rewritten: .*checkpoint-000000000003/)
      } finally {
        process.env = saved
        process.exitCode = undefined
        await db.drop()
      }
    })
  })
}

/** Recomputes every event hash and the head, as an insider covering an edit would. */
async function rechainAll(db: TestDb) {
  let prev = '0'.repeat(64)
  for (const e of (await db.kysely.selectFrom('event').selectAll().orderBy('seq').execute()).map(toStoredEvent)) {
    const { hash: _old, ...rest } = { ...e, prevHash: prev }
    const hash = eventHash(rest)
    await db.kysely.updateTable('event').set({ prev_hash: prev, hash }).where('seq', '=', e.seq).execute()
    prev = hash
  }
  await db.kysely.updateTable('ledger_head').set({ hash: prev }).where('id', '=', 1).execute()
}
