import { describe, expect, it } from 'vitest'
import { migrateDownAll, migrateToLatest, pendingMigrations } from '../../src/db/connect.js'
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
