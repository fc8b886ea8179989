import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { fromMinor, toMinor } from '../../core/money.js'
import type { Database, Executor } from '../../db/database.js'
import { mapDbError } from '../../db/errors.js'
import { type ChangeSubject, recordChanges } from './catalog-history.repository.js'
import { type CatalogEntity, changedFields } from './catalog-history.rules.js'
import { UpdateSkuRequest } from './catalog.schemas.js'
import { withSubject } from './catalog.service.js'
import { normalizeSerial } from './serial.rules.js'
import { getSkuByCode } from './sku.repository.js'
import { assertSerialExample, assertSerialPattern, normalizeGtin, type Sku, type SkuLifecycle } from './sku.rules.js'

/** What an edit records as history and writes: the SKU's editable fields, money in major units. */
const editable = (s: Sku) => ({
  name: s.name,
  gtin: s.gtin,
  cost: fromMinor(s.costMinor),
  price: fromMinor(s.priceMinor),
  warrantyMonths: s.warrantyMonths,
  returnWindowDays: s.returnWindowDays,
  serialPattern: s.serialPattern,
  serialExample: s.serialExample ?? null,
  skuGroup: s.skuGroup ?? null,
  belowCostAllowed: s.belowCostAllowed ?? false,
  archived: s.archivedAt !== null && s.archivedAt !== undefined,
  lifecycle: s.lifecycle ?? null,
})

/**
 * Edits a SKU: only the given fields change, each change is recorded (actor, time, old and new value),
 * and a new serial rule is refused when an existing unit of the SKU would break it.
 */
export async function updateSku(ctx: AppContext, actor: string, code: string, input: UpdateSkuRequest): Promise<Sku> {
  const req = UpdateSkuRequest.parse(input)
  const db = ctx.db.kysely
  return db.transaction().execute(async (trx) => {
    const sku = await getSkuByCode(trx, code)
    const before = editable(sku)
    const gtin = req.gtin === undefined ? undefined : req.gtin === null ? null : normalizeGtin(req.gtin)
    // Settings with nothing in them are the defaults: stored (and recorded) as none.
    const lifecycle = req.lifecycle === undefined ? undefined : nonEmptySettings(req.lifecycle)
    const after = { ...before, ...definedOf({ ...req, gtin, lifecycle }) }
    if (req.serialPattern !== undefined || req.serialExample !== undefined) {
      assertSerialPattern(after.serialPattern)
      assertSerialExample(after.serialPattern, after.serialExample)
      if (after.serialPattern !== before.serialPattern) await refuseBrokenSerials(trx, sku, after.serialPattern)
    }
    const changes = changedFields(before, after)
    if (changes.length === 0) return sku
    const now = ctx.clock.now().toISOString()
    try {
      await trx
        .updateTable('sku')
        .set({
          name: after.name,
          gtin: after.gtin,
          cost_minor: toMinor(after.cost ?? 0),
          price_minor: toMinor(after.price ?? 0),
          warranty_months: after.warrantyMonths,
          return_window_days: after.returnWindowDays,
          serial_pattern: after.serialPattern,
          serial_example: after.serialExample,
          sku_group: after.skuGroup,
          below_cost_allowed: after.belowCostAllowed ? 1 : 0,
          archived_at: after.archived ? (sku.archivedAt ?? now) : null,
          lifecycle_settings: after.lifecycle === null ? null : JSON.stringify(after.lifecycle),
        })
        .where('id', '=', sku.id)
        .execute()
    } catch (e) {
      throw withSubject(mapDbError(e), `SKU ${sku.code}`)
    }
    await recordChanges(trx, { entity: 'sku', id: sku.id, code: sku.code, actor, at: now }, changes)
    return getSkuByCode(trx, sku.code)
  })
}

/** A SKU's life-cycle settings without empty parts; null when nothing is left (the defaults). */
function nonEmptySettings(s: SkuLifecycle | null): SkuLifecycle | null {
  if (s === null) return null
  const stage = s.stage && Object.keys(s.stage).length > 0 ? s.stage : undefined
  const out = { ...(stage && { stage }), ...(s.ageingBuckets && { ageingBuckets: s.ageingBuckets }) }
  return Object.keys(out).length > 0 ? out : null
}

const definedOf = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>

/** Refuses a serial rule that an existing unit of the SKU does not satisfy, naming the first few. */
async function refuseBrokenSerials(db: Executor, sku: Sku, pattern: string | null): Promise<void> {
  if (pattern === null) return
  if (sku.tracking !== 'serial')
    throw new AppError('sku.wrong_tracking', `SKU ${sku.code}: a serial rule needs tracking "serial"`)
  const rule = { serialCase: sku.serialCase, pattern: new RegExp(`^(?:${pattern})$`) }
  const broken: string[] = []
  let count = 0
  for (const r of await db.selectFrom('unit').select('serial').where('sku_id', '=', sku.id).execute()) {
    const check = normalizeSerial(r.serial, rule)
    if (check.ok && check.serial === r.serial) continue
    count++
    if (broken.length < 5) broken.push(r.serial)
  }
  if (count > 0)
    throw new AppError(
      'sku.serial_rule_broken',
      `SKU ${sku.code}: ${count} existing unit(s) do not match serialPattern ${pattern} (${broken.join(', ')})`,
      {
        issues: broken.map((serial) => ({ field: 'serialPattern', value: serial, message: 'existing unit breaks it' })),
      },
    )
}

/** Tables and columns that reference a SKU, location or party: once any does, it is archived, not deleted. */
const REFERENCES: Record<'sku' | 'location' | 'party', [keyof Database, string][]> = {
  sku: [
    ['unit', 'sku_id'],
    ['event_unit', 'sku_id'],
    ['event_quantity', 'sku_id'],
    ['stock', 'sku_id'],
    ['lot', 'sku_id'],
    ['expected_serial', 'sku_id'],
  ],
  location: [
    ['location', 'parent_id'],
    ['unit', 'location_id'],
    ['event', 'location_id'],
    ['event', 'from_location_id'],
    ['event_quantity', 'location_id'],
    ['stock', 'location_id'],
    ['document', 'location_id'],
    ['document', 'to_location_id'],
  ],
  party: [
    ['document', 'party_id'],
    ['unit', 'supplier_id'],
    ['unit', 'customer_id'],
  ],
}

/** Whether any row of the ledger, projections or documents names this record. */
async function isReferenced(db: Executor, table: 'sku' | 'location' | 'party', id: string): Promise<boolean> {
  for (const [t, column] of REFERENCES[table]) {
    const row = await db
      .selectFrom(t)
      .select(column as never)
      .where(column as never, '=', id as never)
      .limit(1)
      .executeTakeFirst()
    if (row) return true
  }
  return false
}

/**
 * Deletes a SKU, location or party nothing references yet; once referenced it is archived instead (kept
 * for history, refused in new operations). Either way the change is recorded.
 */
export async function removeReferenceData(
  ctx: AppContext,
  actor: string,
  table: 'sku' | 'location' | 'party',
  record: { id: string; code: string },
): Promise<{ code: string; outcome: 'deleted' | 'archived' }> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString()
    const subject: ChangeSubject = { entity: table as CatalogEntity, id: record.id, code: record.code, actor, at: now }
    if (await isReferenced(trx, table, record.id)) {
      await archive(trx, subject, table, true)
      return { code: record.code, outcome: 'archived' as const }
    }
    await trx.deleteFrom(table).where('id', '=', record.id).execute()
    await recordChanges(trx, subject, [{ field: 'deleted', old: false, new: true }])
    return { code: record.code, outcome: 'deleted' as const }
  })
}

/** Archives (or restores) a record and records it; nothing happens when it already is. */
export async function archive(
  db: Executor,
  s: ChangeSubject,
  table: 'sku' | 'location' | 'party',
  archived: boolean,
): Promise<void> {
  const row = await db.selectFrom(table).select('archived_at').where('id', '=', s.id).executeTakeFirstOrThrow()
  const was = row.archived_at !== null && row.archived_at !== undefined
  if (was === archived) return
  await db
    .updateTable(table)
    .set({ archived_at: archived ? s.at : null })
    .where('id', '=', s.id)
    .execute()
  await recordChanges(db, s, [{ field: 'archived', old: was, new: archived }])
}
