import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import { backupSqlite, restoreSqlite } from '../../src/db/backup.js'
import { connect, migrateToLatest } from '../../src/db/connect.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { DIALECTS } from '../dialects.js'
import { useTempDir } from '../factories.js'
import { operationArb, runOperation, seedWorld } from '../harness.js'

const dir = useTempDir('backup')

const unitSnapshot = (db: ReturnType<typeof connect>) =>
  db.kysely.selectFrom('unit').select(['id', 'status', 'location_id', 'version']).orderBy('id').execute()

async function ledgerWithActivity(db: ReturnType<typeof connect>) {
  const w = await seedWorld({ db, clock: systemClock })
  for (const op of fc.sample(operationArb, { numRuns: 30, seed: 7 })) await runOperation(w, op)
}

describe('sqlite: backup and restore', () => {
  it('takes an online backup that restores to a database verify accepts', async () => {
    const source = connect(`sqlite:${join(dir, 'live.db')}`)
    await migrateToLatest(source)
    await ledgerWithActivity(source)
    const backup = await backupSqlite(source, join(dir, 'backup.db'))
    expect(backup.pages).toBeGreaterThan(0)
    await expect(backupSqlite(source, join(dir, 'backup.db'))).rejects.toThrow(/exists/)

    const restoredFile = restoreSqlite(backup.file, join(dir, 'restored.db'))
    const restored = connect(`sqlite:${restoredFile}`)
    expect(await verifyLedger(restored)).toVerify()
    expect(await unitSnapshot(restored)).toEqual(await unitSnapshot(source))
    expect(() => restoreSqlite(backup.file, restoredFile)).toThrow(/--force/)
    await restored.close()
    await source.close()
  })
})

if (DIALECTS.some((d) => d.name === 'postgres')) {
  describe('postgres: pg_dump and pg_restore (as the README documents)', () => {
    it('restores a dump into a new database that verify accepts', async () => {
      const pgDialect = DIALECTS.find((d) => d.name === 'postgres')!
      const [source, target] = [await pgDialect.create(), await pgDialect.create()]
      try {
        await ledgerWithActivity(source)
        const dump = join(dir, 'pg.dump')
        execFileSync('pg_dump', ['-Fc', '-f', dump, source.url])
        await target.kysely.schema.dropSchema('public').cascade().execute()
        await target.kysely.schema.createSchema('public').execute()
        execFileSync('pg_restore', ['--no-owner', '-d', target.url, dump])
        expect(await verifyLedger(target)).toVerify()
        expect(await unitSnapshot(target)).toEqual(await unitSnapshot(source))
      } finally {
        await source.drop()
        await target.drop()
      }
    })
  })
}
