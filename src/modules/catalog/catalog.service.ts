import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import { fromMinor, toMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { mapDbError } from '../../db/errors.js'
import { assertCodeFree } from '../../db/lookups.js'
import { CreateSkuRequest, type SkuResponse } from './catalog.schemas.js'
import { describeSerialFormat } from './plain-language.rules.js'
import { insertSku } from './sku.repository.js'
import { assertSerialExample, assertSerialPattern, normalizeGtin, type Sku } from './sku.rules.js'

/** Creates a SKU after checking its GTIN check digit and serial rule; codes and GTINs are unique. */
export async function createSku(ctx: AppContext, input: CreateSkuRequest, db: Executor = ctx.db.kysely): Promise<Sku> {
  const req = CreateSkuRequest.parse(input)
  assertSerialPattern(req.serialPattern ?? null)
  for (const rule of req.identifiers) assertSerialPattern(rule.pattern ?? null)
  assertSerialExample(req.serialPattern ?? null, req.serialExample ?? null)
  if (req.tracking !== 'serial' && (req.serialPattern || req.identifiers.length > 0 || req.serialsUniqueAcrossSkus))
    throw new AppError(
      'sku.wrong_tracking',
      `SKU ${req.code}: serial rules, identifiers and unique serials need tracking "serial"`,
    )
  const sku: Sku = {
    id: newId(),
    code: req.code,
    name: req.name,
    gtin: req.gtin ? normalizeGtin(req.gtin) : null,
    tracking: req.tracking,
    costMinor: toMinor(req.cost),
    priceMinor: toMinor(req.price),
    warrantyMonths: req.warrantyMonths,
    returnWindowDays: req.returnWindowDays,
    serialPattern: req.serialPattern ?? null,
    serialExample: req.serialExample ?? null,
    serialCase: req.serialCase,
    allowNegative: req.allowNegative,
    identifiers: req.identifiers,
    serialsUniqueAcrossSkus: req.serialsUniqueAcrossSkus,
    skuGroup: req.skuGroup ?? null,
    belowCostAllowed: req.belowCostAllowed,
    archivedAt: null,
  }
  await assertCodeFree(db, 'sku', sku.code, 'sku.duplicate', 'SKU')
  try {
    await insertSku(db, sku, ctx.clock.now().toISOString())
  } catch (e) {
    throw withSubject(mapDbError(e), `SKU ${sku.code}`)
  }
  return sku
}

/** Adds which record collided to a mapped duplicate error ("already exists" alone helps nobody). */
export function withSubject(e: unknown, subject: string): unknown {
  if (e instanceof AppError && e.code.endsWith('.duplicate'))
    return new AppError(e.code, `${subject} ${e.message}`, e.details)
  return e
}

export function skuView(s: Sku): SkuResponse {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    gtin: s.gtin,
    tracking: s.tracking,
    cost: fromMinor(s.costMinor)!,
    price: fromMinor(s.priceMinor)!,
    warrantyMonths: s.warrantyMonths,
    returnWindowDays: s.returnWindowDays,
    serialPattern: s.serialPattern,
    serialExample: s.serialExample ?? null,
    serialFormat: s.serialPattern ? describeSerialFormat(s.serialPattern, s.serialExample) : null,
    serialCase: s.serialCase,
    allowNegative: s.allowNegative,
    identifiers: s.identifiers,
    serialsUniqueAcrossSkus: s.serialsUniqueAcrossSkus,
    skuGroup: s.skuGroup ?? null,
    belowCostAllowed: s.belowCostAllowed ?? false,
    archivedAt: s.archivedAt ?? null,
    lifecycle: s.lifecycle ?? null,
  }
}
