import { AppError, IssueList } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { getSkusByIds, normalizeSerial, type Sku, serialRuleOf } from '../catalog/index.js'
import { findUnitsBySerials, type LoadedUnit } from './unit.repository.js'

/** How a command names a unit: its serial, plus the SKU when the serial alone is ambiguous. */
export interface UnitRef {
  serial: string
  sku?: string
}

/**
 * Finds the units a command names, in one batched query. A serial matches after the owning SKU's
 * normalisation (so `phx-1` finds `PHX-1` of an upper-case SKU). Every unknown, ambiguous or repeated
 * reference is reported together; nothing is guessed.
 */
export async function resolveUnits(db: Executor, refs: readonly UnitRef[], field = 'units'): Promise<LoadedUnit[]> {
  return (await resolveUnitsAndSkus(db, refs, field)).units
}

/** `resolveUnits`, also handing back the SKUs of the units found (loaded for their serial rules anyway). */
export async function resolveUnitsAndSkus(
  db: Executor,
  refs: readonly UnitRef[],
  field = 'units',
): Promise<{ units: LoadedUnit[]; skus: Map<string, Sku> }> {
  const candidates = new Set<string>()
  for (const r of refs) {
    const t = r.serial.trim()
    candidates.add(t).add(t.toUpperCase()).add(t.toLowerCase())
  }
  const rows = await findUnitsBySerials(db, [...candidates])
  const skus = await getSkusByIds(
    db,
    rows.map((r) => r.skuId),
  )
  const rules = new Map([...skus].map(([id, sku]) => [id, serialRuleOf(sku)]))
  const bySerial = new Map<string, LoadedUnit[]>()
  for (const r of rows) bySerial.set(r.serial, [...(bySerial.get(r.serial) ?? []), r])
  const notFound = new IssueList()
  const ambiguous = new IssueList()
  const seen = new Map<string, number>()
  const out: LoadedUnit[] = []
  refs.forEach((ref, i) => {
    const t = ref.serial.trim()
    const matches = [t, t.toUpperCase(), t.toLowerCase()]
      .flatMap((s) => bySerial.get(s) ?? [])
      .filter((u, k, all) => all.indexOf(u) === k)
      .filter((u) => (!ref.sku || u.skuCode === ref.sku) && normalizedFor(ref.serial, rules.get(u.skuId)!) === u.serial)
    const f = `${field}[${i}]`
    if (matches.length === 0)
      notFound.add({
        row: i + 1,
        field: f,
        value: ref.serial,
        message: `no unit with serial ${ref.serial}${ref.sku ? ` of ${ref.sku}` : ''}`,
      })
    else if (matches.length > 1)
      ambiguous.add({
        row: i + 1,
        field: f,
        value: ref.serial,
        message: `serial ${ref.serial} exists for ${matches.map((m) => m.skuCode).join(' and ')}; name the SKU`,
      })
    else if (seen.has(matches[0]!.id))
      ambiguous.add({
        row: i + 1,
        field: f,
        value: ref.serial,
        message: `${ref.serial} is listed twice (also at ${field}[${seen.get(matches[0]!.id)}])`,
      })
    else {
      seen.set(matches[0]!.id, i)
      out.push(matches[0]!)
    }
  })
  ambiguous.throwIfAny('unit.ambiguous', 'units not identified')
  notFound.throwIfAny('unit.not_found', 'units not found')
  return { units: out, skus }
}

function normalizedFor(raw: string, rule: ReturnType<typeof serialRuleOf>): string | undefined {
  const check = normalizeSerial(raw, rule)
  return check.ok ? check.serial : undefined
}

/** Throws unless every unit sits inside `ancestorPath` (a location subtree). */
export function assertUnitsWithin(units: readonly LoadedUnit[], ancestor: { code: string; path: string }): void {
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (!u.locationPath?.startsWith(ancestor.path))
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is not at ${ancestor.code}`,
      })
  })
  issues.throwIfAny('unit.wrong_location', 'units are elsewhere')
}

export function assertNonEmpty(units: readonly unknown[], quantities: readonly unknown[]): void {
  if (units.length === 0 && quantities.length === 0)
    throw new AppError('request.invalid', 'name at least one unit or quantity')
}
