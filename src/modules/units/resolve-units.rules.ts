/*
 * Which units a command names: pure matching of its references against the rows found for them, so
 * the rules are unit-tested without a database. A serial matches after the owning SKU's normalisation
 * (`phx-1` finds `PHX-1` of an upper-case SKU); every unknown, ambiguous or repeated reference is
 * reported together, and nothing is guessed.
 */
import { IssueList } from '../../core/errors.js'
import { normalizeSerial, type SerialRule } from '../catalog/serial.rules.js'
import type { UnitFact } from './unit-status.rules.js'

/** How a command names a unit: its serial, plus the SKU when the serial alone is ambiguous. */
export interface UnitRef {
  serial: string
  sku?: string
  /** GTIN-14 from a scanned GS1 barcode: the unit's SKU must carry it (when the SKU has a GTIN). */
  gtin?: string
}

/** The serials to look up for the references: each as typed, upper- and lower-cased. */
export function serialCandidates(refs: readonly UnitRef[]): string[] {
  const candidates = new Set<string>()
  for (const r of refs) {
    const t = r.serial.trim()
    candidates.add(t).add(t.toUpperCase()).add(t.toLowerCase())
  }
  return [...candidates]
}

/** Matches each reference to exactly one of `rows` (the units found for its candidates), or refuses. */
export function identifyUnits(
  refs: readonly UnitRef[],
  rows: readonly UnitFact[],
  rules: ReadonlyMap<string, SerialRule>,
  field = 'units',
  gtins: ReadonlyMap<string, string | null> = new Map(),
): UnitFact[] {
  const bySerial = new Map<string, UnitFact[]>()
  for (const r of rows) bySerial.set(r.serial, [...(bySerial.get(r.serial) ?? []), r])
  const notFound = new IssueList()
  const ambiguous = new IssueList()
  const seen = new Map<string, number>()
  const out: UnitFact[] = []
  refs.forEach((ref, i) => {
    const t = ref.serial.trim()
    const candidates = [t, t.toUpperCase(), t.toLowerCase()]
      .flatMap((s) => bySerial.get(s) ?? [])
      .filter((u, k, all) => all.indexOf(u) === k)
      .filter(
        (u) =>
          (!ref.sku || sameCode(u.skuCode, ref.sku)) &&
          (!ref.gtin || !gtins.get(u.skuId) || gtins.get(u.skuId) === ref.gtin) &&
          normalizedFor(ref.serial, rules.get(u.skuId)!) === u.serial,
      )
    // A scanned GTIN picks the SKU that carries it over SKUs that have no GTIN to compare.
    const exact = ref.gtin ? candidates.filter((u) => gtins.get(u.skuId) === ref.gtin) : []
    const matches = exact.length > 0 ? exact : candidates
    const f = `${field}[${i}]`
    const issue = { row: i + 1, field: f, value: ref.serial }
    if (matches.length === 0)
      notFound.add({
        ...issue,
        message:
          `no unit with serial ${ref.serial}${ref.sku ? ` of ${ref.sku}` : ''}` +
          (ref.gtin ? ` of GTIN ${ref.gtin}` : ''),
      })
    else if (matches.length > 1) {
      const skus = matches.map((m) => m.skuCode).join(' and ')
      ambiguous.add({ ...issue, message: `serial ${ref.serial} exists for ${skus}; name the SKU` })
    } else if (seen.has(matches[0]!.id))
      ambiguous.add({
        ...issue,
        message: `${ref.serial} is listed twice (also at ${field}[${seen.get(matches[0]!.id)}])`,
      })
    else {
      seen.set(matches[0]!.id, i)
      out.push(matches[0]!)
    }
  })
  ambiguous.throwIfAny('unit.ambiguous', 'units not identified')
  notFound.throwIfAny('unit.not_found', 'units not found')
  return out
}

/** Codes are unique regardless of case: `phx` names the SKU `PHX`. */
const sameCode = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

function normalizedFor(raw: string, rule: SerialRule): string | undefined {
  const check = normalizeSerial(raw, rule)
  return check.ok ? check.serial : undefined
}
