import { sql } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { steppingClock } from '../src/core/clock.js'
import type { AppContext, WriteScope } from '../src/core/context.js'
import { createSku, type CreateSkuRequest } from '../src/modules/catalog/index.js'
import { runCommand } from '../src/modules/operations/index.js'
import { createLocation } from '../src/modules/locations/index.js'
import { createParty } from '../src/modules/parties/index.js'
import { type AnyOperation, execute, type InputOf } from '../src/modules/operations/index.js'
import { receive, type ReceiveRequest } from '../src/modules/receiving/index.js'
import type { Db } from '../src/db/connect.js'
import type { Database, Executor } from '../src/db/database.js'
import type { Dialect, TestDb } from './dialects.js'

export const ACTOR = 'test-clerk'

/** A scratch folder for one test file (`sl-<name>-…` under the system's temp folder), removed after its tests. */
export function useTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sl-${name}-`))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A fresh migrated database per describe block, with a fixed stepping clock and seed helpers. */
export function useTestDb(dialect: Dialect, options: { file?: boolean } = {}) {
  const t = {} as { db: TestDb; ctx: AppContext; given: ReturnType<typeof givens> }
  beforeAll(async () => {
    t.db = await dialect.create(options)
    t.ctx = { db: t.db, clock: steppingClock('2026-01-01T08:00:00Z') }
    t.given = givens(t.ctx)
  })
  afterAll(async () => {
    await t.db?.drop()
  })
  return t
}

/** Seed helpers that go through the real services. */
let n = 0
/** A code no other seed in this test process has used. */
const uniq = (p: string) => `${p}-${++n}`

export function givens(ctx: AppContext) {
  return {
    uniq,
    sku: (over: Partial<CreateSkuRequest> = {}) =>
      createSku(ctx, {
        code: uniq('SKU'),
        name: 'Phone X 128GB',
        tracking: 'serial',
        cost: 400,
        price: 799,
        warrantyMonths: 24,
        ...over,
      }),
    site: (over: { code?: string; kind?: 'warehouse' | 'store' | 'transit' } = {}) =>
      createLocation(ctx, { code: over.code ?? uniq('SITE'), name: 'Site', level: 'site', kind: over.kind ?? 'store' }),
    child: (parent: string, level: 'zone' | 'bin') =>
      createLocation(ctx, { code: uniq(level.toUpperCase()), name: level, level, parent }),
    supplier: () => createParty(ctx, { code: uniq('SUP'), name: 'Acme Phones', role: 'supplier' }),
    customer: () => createParty(ctx, { code: uniq('CUS'), name: 'Jane Doe', role: 'customer' }),
    /** A store and a supplier, with the receipt header that names them. */
    place: async () => {
      const [site, supplier] = [await givens(ctx).site(), await givens(ctx).supplier()]
      return { site, supplier, header: { supplier: supplier.code, location: site.code } }
    },
    /** `count` new serials (`prefix-…`) of a new serial SKU, received at a new site (a store) from a new supplier. */
    received: async (count: number, prefix: string, at: { kind?: 'warehouse' | 'store' | 'transit' } = {}) => {
      const g = givens(ctx)
      const [sku, site, supplier] = [await g.sku(), await g.site(at), await g.supplier()]
      const serials = Array.from({ length: count }, () => uniq(prefix))
      await g.receipt({ supplier: supplier.code, location: site.code, lines: [{ sku: sku.code, serials }] })
      return { sku, site, supplier, serials }
    },
    receipt: (req: ReceiveRequest, key?: string) =>
      execute(ctx, receive, { actor: ACTOR, idempotencyKey: key, request: req }, req).then((r) => r.result),
    /** Runs one stock operation as its own command, validating the input as the API would. */
    op: <O extends AnyOperation>(operation: O, input: InputOf<O>) =>
      execute(ctx, operation, { actor: ACTOR }, input).then((r) => r.result),
    run: <R>(fn: (scope: WriteScope) => Promise<R>) => runCommand(ctx, { actor: ACTOR }, fn).then((r) => r.result),
  }
}

/** Rows in a table now: "nothing written" checks compare it before and after. */
/**
 * The seq the next event written on `db` will get (nothing else writing): the one after the ledger head
 * on SQLite and the locked path; on the sequenced path the next value of `event_seq_seq`, which gaps
 * (retried or rolled-back commands) leave ahead of the head.
 */
export async function nextEventSeq(db: Db): Promise<number> {
  if (db.writePath !== 'sequenced') {
    const head = await db.kysely.selectFrom('ledger_head').select('seq').executeTakeFirstOrThrow()
    return Number(head.seq) + 1
  }
  const s = await sql<{ last_value: number; is_called: boolean }>`
    select last_value, is_called from event_seq_seq`.execute(db.kysely)
  const { last_value, is_called } = s.rows[0]!
  return Number(last_value) + (is_called ? 1 : 0)
}

export async function rowCount(db: Executor, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Runs `fn` and returns the AppError-like it throws, failing if it does not throw. */
export async function caught(
  fn: () => Promise<unknown>,
): Promise<{ code: string; message: string; issues?: { row?: number; field: string; message: string }[] }> {
  try {
    await fn()
  } catch (e) {
    const err = e as { code: string; message: string; details?: Record<string, unknown> }
    return { code: err.code, message: err.message, ...err.details } as never
  }
  throw new Error('expected an error')
}
