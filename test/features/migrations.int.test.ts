import { type Kysely, type KyselyPlugin, Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { connect, type Db, migrateDownAll, migrateToLatest, pendingMigrations } from '../../src/db/connect.js'
import { LEASE_SECONDS, tryTakeLease } from '../../src/db/migrate.js'
import { migrationProvider } from '../../src/db/migrations/index.js'
import { DIALECTS, emptyDatabase } from '../dialects.js'

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

/** Thrown by CrashAfter: the process "died" before this statement ran. */
class Crash extends Error {}

/** Lets `limit` statements through and fails the next, as a process killed between two statements would. */
class CrashAfter implements KyselyPlugin {
  private n = 0
  constructor(private readonly limit: number) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    if (++this.n > this.limit) throw new Crash(`crashed before statement ${this.n}`)
    return args.node
  }
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result
}

/** Every table, column, index, constraint and sequence, as the database describes them. */
async function schemaOf(db: Db): Promise<unknown> {
  if (db.dialect === 'sqlite')
    return (
      await sql`select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%'
      order by name`.execute(db.kysely)
    ).rows
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db.kysely)).rows
  return {
    columns: await q(sql`select table_name, column_name, ordinal_position, data_type, is_nullable, column_default
      from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`),
    indexes: await q(sql`select indexname, indexdef from pg_indexes where schemaname = current_schema()
      order by indexname`),
    constraints: await q(sql`select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where connamespace = current_schema()::regnamespace order by 1, 2`),
    sequences: await q(sql`select sequence_name from information_schema.sequences
      where sequence_schema = current_schema() order by 1`),
  }
}

const migrationsInOrder = async () =>
  Object.entries(await migrationProvider.getMigrations()).sort(([a], [b]) => a.localeCompare(b))

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: migrations that a crash interrupted run again (no transactional DDL needed)`, () => {
    it('each migration killed after each of its statements, then run again, leaves the same schema', async () => {
      const empty = await emptyDatabase(dialect.name)
      const db = connect(empty.url)
      const reference = await dialect.create()
      try {
        // Statement by statement, as a database whose DDL commits at once would keep them: the first k
        // statements of the migration stay applied, the migration is not recorded, the next run starts
        // it from the top. Every k, until a run gets through.
        let interruptions = 0
        for (const [name, migration] of await migrationsInOrder()) {
          for (let k = 0; ; k++) {
            try {
              await migration.up(db.kysely.withPlugin(new CrashAfter(k)) as Kysely<any>)
              break
            } catch (e) {
              if (!(e instanceof Crash))
                throw new Error(`${name} failed when run again after ${k} statements`, { cause: e })
              interruptions++
            }
          }
        }
        expect(interruptions).toBeGreaterThan(100)
        // Nothing was recorded, so the runner applies every migration again, on the complete schema, in the
        // mode a database without transactional DDL gets: each of them must leave it as it is.
        const names = (await migrationsInOrder()).map(([name]) => name)
        expect(await migrateToLatest(db, { transactionalDdl: false })).toEqual(names)
        expect(await schemaOf(db)).toEqual(await schemaOf(reference))
        expect(await db.kysely.selectFrom('ledger_head').selectAll().execute()).toEqual([
          { id: 1, seq: 0, hash: '0'.repeat(64) },
        ])
      } finally {
        await db.close()
        await empty.drop()
        await reference.drop()
      }
    }, 240_000)
  })
}

const postgres = DIALECTS.find((d) => d.name === 'postgres')

describe.skipIf(!postgres)('postgres: the migration lease', () => {
  it('two runners racing on a new database: one applies every migration, the other waits and finds none', async () => {
    const empty = await emptyDatabase('postgres')
    const [a, b] = [connect(empty.url), connect(empty.url)]
    const reference = await postgres!.create()
    try {
      // Without transactional DDL nothing but the lease keeps the two apart.
      const results = await Promise.all([
        migrateToLatest(a, { transactionalDdl: false, owner: 'runner-a' }),
        migrateToLatest(b, { transactionalDdl: false, owner: 'runner-b' }),
      ])
      const names = (await migrationsInOrder()).map(([name]) => name)
      expect(results.map((r) => r.length).sort()).toEqual([0, names.length])
      expect(await schemaOf(a)).toEqual(await schemaOf(reference))
      // The lease was given back.
      expect(
        await a.kysely
          .selectFrom('migration_lock' as never)
          .selectAll()
          .execute(),
      ).toEqual([])
    } finally {
      await a.close()
      await b.close()
      await empty.drop()
      await reference.drop()
    }
  }, 120_000)

  it("waits for a live holder's lease and takes over a crashed holder's once it has expired", async () => {
    const db = await postgres!.create()
    try {
      await migrateDownAll(db)
      // A runner that took the lease for 2 s and died (it never renews it).
      const started = Date.now()
      expect(await tryTakeLease(db, 'crashed-runner', 2)).toBe(true)
      expect(await tryTakeLease(db, 'someone-else')).toBe(false)
      let doneAt: number | undefined
      const run = migrateToLatest(db, { owner: 'next-runner' }).then((applied) => {
        doneAt = Date.now()
        return applied
      })
      await new Promise((r) => setTimeout(r, 1000))
      // Still the crashed runner's: nothing ran yet.
      expect(doneAt).toBeUndefined()
      expect((await pendingMigrations(db)).length).toBeGreaterThan(0)
      expect(await run).toContain('2026_11_27_0500_create_ledger')
      expect(doneAt! - started).toBeGreaterThanOrEqual(1900)
      expect(doneAt! - started).toBeLessThan(LEASE_SECONDS * 1000)
      expect(await pendingMigrations(db)).toEqual([])
      expect(
        await db.kysely
          .selectFrom('migration_lock' as never)
          .selectAll()
          .execute(),
      ).toEqual([])
    } finally {
      await db.drop()
    }
  }, 120_000)
})
