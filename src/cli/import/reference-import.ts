import { sql } from 'kysely'
import type { z } from 'zod'
import type { AppContext } from '../../core/context.js'
import { AppError, IssueList } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { mapDbError } from '../../db/errors.js'
import { createSku, CreateSkuRequest } from '../../modules/catalog/index.js'
import { createLocation, CreateLocationRequest } from '../../modules/locations/index.js'
import { createParty, CreatePartyRequest } from '../../modules/parties/index.js'
import { addZodIssues, type ColumnMap, requestOf } from './cells.js'
import { assertReadableFile, readCsvFile } from './csv-table.js'

/** One kind of reference data a CSV can create: its columns, schema and service. */
interface ReferenceKind {
  columns: ColumnMap[]
  required: string[]
  schema: z.ZodType
  create(ctx: AppContext, input: never, db: Executor): Promise<unknown>
  /** Which column a refusal by the service is about. */
  fieldOf(e: AppError): string
}

const col = (column: string, key: string, type: ColumnMap['type'] = 'text'): ColumnMap => ({ column, key, type })

export const REFERENCE_KINDS = {
  skus: {
    columns: [
      col('code', 'code'),
      col('name', 'name'),
      col('tracking', 'tracking'),
      col('gtin', 'gtin'),
      col('cost', 'cost', 'number'),
      col('price', 'price', 'number'),
      col('warranty_months', 'warrantyMonths', 'int'),
      col('return_window_days', 'returnWindowDays', 'int'),
      col('serial_pattern', 'serialPattern'),
      col('serial_case', 'serialCase'),
      col('allow_negative', 'allowNegative', 'boolean'),
      col('identifiers', 'identifiers', 'identifiers'),
      col('serials_unique', 'serialsUniqueAcrossSkus', 'boolean'),
    ],
    required: ['code', 'name', 'tracking'],
    schema: CreateSkuRequest,
    create: createSku,
    fieldOf: (e) =>
      e.code === 'gtin.invalid' || (e.code === 'sku.duplicate' && e.message.includes('gtin'))
        ? 'gtin'
        : e.code === 'sku.wrong_tracking'
          ? 'tracking'
          : e.code === 'request.invalid'
            ? 'serial_pattern'
            : 'code',
  },
  locations: {
    columns: [
      col('code', 'code'),
      col('name', 'name'),
      col('level', 'level'),
      col('kind', 'kind'),
      col('parent', 'parent'),
    ],
    required: ['code', 'name'],
    schema: CreateLocationRequest,
    create: createLocation,
    fieldOf: (e) => (e.code === 'location.duplicate' ? 'code' : e.code === 'request.invalid' ? 'kind' : 'parent'),
  },
  parties: {
    columns: [
      col('code', 'code'),
      col('name', 'name'),
      col('role', 'role'),
      col('email', 'email'),
      col('phone', 'phone'),
    ],
    required: ['code', 'name', 'role'],
    schema: CreatePartyRequest,
    create: createParty,
    fieldOf: () => 'code',
  },
} satisfies Record<string, ReferenceKind>

export type ReferenceKindName = keyof typeof REFERENCE_KINDS

export interface ReferenceImportSummary {
  kind: ReferenceKindName
  created: number
  seconds: number
}

/**
 * Creates every row of a skus/locations/parties CSV through the catalog services in one transaction:
 * all rows or none. Every bad row is reported (row number and column), not just the first.
 */
export async function importReference(
  ctx: AppContext,
  kindName: ReferenceKindName,
  path: string,
): Promise<ReferenceImportSummary> {
  const kind: ReferenceKind = REFERENCE_KINDS[kindName]
  await assertReadableFile(path)
  const started = performance.now()
  const spec = {
    required: kind.required,
    optional: kind.columns.map((c) => c.column).filter((c) => !kind.required.includes(c)),
  }
  const created = await ctx.db.kysely.transaction().execute(async (trx) => {
    const issues = new IssueList()
    let count = 0
    for await (const { row, cells } of readCsvFile(path, spec, issues)) {
      const input = requestOf(row, cells, kind.columns, issues)
      if (!input) continue
      const parsed = kind.schema.safeParse(input)
      if (!parsed.success) {
        addZodIssues(row, parsed.error, kind.columns, issues, input)
        continue
      }
      // Valid rows are written even after a bad one, so later rows are checked against them (a parent
      // location, a duplicate code); the transaction is rolled back at the end if anything was refused.
      if (await createRow(ctx, kind, trx, input, row, issues)) count++
    }
    issues.throwIfAny('import.invalid', `${path}: nothing was imported`)
    return count
  })
  return { kind: kindName, created, seconds: (performance.now() - started) / 1000 }
}

/**
 * Creates one row inside a savepoint, so a refused row (a duplicate code on PostgreSQL) leaves the transaction usable.
 */
async function createRow(
  ctx: AppContext,
  kind: ReferenceKind,
  trx: Executor,
  input: Record<string, unknown>,
  row: number,
  issues: IssueList,
): Promise<boolean> {
  await sql`savepoint import_row`.execute(trx)
  try {
    await kind.create(ctx, input as never, trx)
    await sql`release savepoint import_row`.execute(trx)
    return true
  } catch (e) {
    await sql`rollback to savepoint import_row`.execute(trx)
    await sql`release savepoint import_row`.execute(trx)
    const err = mapDbError(e)
    if (!(err instanceof AppError)) throw err
    const field = kind.fieldOf(err)
    const message =
      err.code === 'location.not_found'
        ? `no location ${JSON.stringify(input.parent)} in the database or in an earlier row; ` +
          `parents must come before their children`
        : err.message
    issues.add({ row, field, message })
    return false
  }
}
