import { Migrator } from 'kysely'
import { describe, expect, it } from 'vitest'
import { migrateDownAll, migrateToLatest, pendingMigrations } from '../../src/db/connect.js'
import { migrationProvider } from '../../src/db/migrations/index.js'
import { DIALECTS } from '../dialects.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: migrations`, () => {
    it('run up, down and up again', async () => {
      const db = await dialect.create()
      try {
        expect(await pendingMigrations(db)).toEqual([])
        await migrateDownAll(db)
        expect((await pendingMigrations(db)).length).toBeGreaterThan(0)
        expect(await migrateToLatest(db)).toContain('2026_11_27_0500_create_ledger')
        expect(await db.kysely.selectFrom('ledger_head').selectAll().execute()).toEqual([
          { id: 1, seq: 0, hash: '0'.repeat(64) },
        ])
      } finally {
        await db.drop()
      }
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: codes unique regardless of case (migration)`, () => {
    const CASE_MIGRATION = '2026_12_01_1310_codes_unique_ignoring_case'
    const site = (id: string, code: string) => ({
      id,
      code,
      name: code,
      level: 'site',
      kind: 'store',
      parent_id: null,
      path: `/${code}/`,
      created_at: '2026-11-30T10:00:00.000Z',
    })
    const party = (id: string, code: string) => ({
      id,
      code,
      name: code,
      role: 'supplier',
      email: null,
      phone: null,
      created_at: '2026-11-30T10:00:00.000Z',
    })

    it(
      'fails naming codes that already differ only in case, changes nothing, ' + 'and runs once they are fixed',
      async () => {
        const db = await dialect.create()
        try {
          const migrator = new Migrator({ db: db.kysely, provider: migrationProvider })
          const down = await migrator.migrateTo('2026_11_27_0600_create_accounts')
          expect(down.error).toBeUndefined()
          await db.kysely
            .insertInto('location')
            .values([site('l1', 'STORE-A'), site('l2', 'Store-A'), site('l3', 'WH')])
            .execute()
          await db.kysely
            .insertInto('party')
            .values([party('p1', 'ACME'), party('p2', 'acme'), party('p3', 'Acme')])
            .execute()
          await expect(migrateToLatest(db)).rejects.toThrow(
            'this database holds codes that differ only in case: location codes STORE-A, Store-A; ' +
              'party codes ACME, Acme, acme. Rename all but one of each group',
          )
          expect(await pendingMigrations(db)).toContain(CASE_MIGRATION)
          // Nothing changed: another Store-A still goes in.
          await db.kysely.insertInto('location').values(site('l4', 'store-a')).execute()
          await db.kysely.deleteFrom('location').where('id', 'in', ['l2', 'l4']).execute()
          await db.kysely.deleteFrom('party').where('id', 'in', ['p2', 'p3']).execute()
          expect(await migrateToLatest(db)).toContain(CASE_MIGRATION)
          await expect(db.kysely.insertInto('location').values(site('l5', 'Store-a')).execute()).rejects.toThrow()
          await expect(db.kysely.insertInto('party').values(party('p5', 'acme')).execute()).rejects.toThrow()
        } finally {
          await db.drop()
        }
      },
    )
  })
}
