/*
 * The header fields of an operation (supplier, customer, location, SKU) set the way a clerk has them at
 * hand: the code, the name (or a unique part of it), the location label's barcode, the box's product
 * barcode (GTIN). Each entry is resolved to a code at once, on the field, or refused saying why. Pure:
 * test/web/header-fields.test.ts says what it does.
 */
import { gtin14, isValidGtin, parseScan } from '../../src/modules/gs1/index.js'
import type { Location, Party, Sku } from './types.js'

export type Resolution = { ok: true; code: string; label: string } | { ok: false; message: string }

interface Named {
  code: string
  name: string
}

const norm = (s: string) => s.trim().toLowerCase()

/** By code (any case), then exact name, then the one name or code that contains the text. */
function byCodeOrName<T extends Named>(text: string, rows: readonly T[], what: string): T | Resolution {
  const t = norm(text)
  const exact = rows.find((r) => norm(r.code) === t) ?? rows.find((r) => norm(r.name) === t)
  if (exact) return exact
  const partial = rows.filter((r) => norm(r.name).includes(t) || norm(r.code).includes(t))
  if (partial.length === 1) return partial[0]!
  if (partial.length > 1) {
    const some = partial.slice(0, 4).map((r) => `${r.name} (${r.code})`)
    return {
      ok: false,
      message:
        `“${text.trim()}” matches ${partial.length} ${what}s: ` +
        `${some.join(', ')}${partial.length > 4 ? '…' : ''}; type more of it`,
    }
  }
  return { ok: false, message: `no ${what} has the code or name “${text.trim()}”` }
}

const isResolution = (x: unknown): x is Resolution => typeof x === 'object' && x !== null && 'ok' in x

const found = (r: Named, label = r.name): Resolution => ({ ok: true, code: r.code, label })

/** A supplier or customer from its code or name; a party of the other role is refused by name. */
export function resolveParty(text: string, parties: readonly Party[], role: Party['role']): Resolution {
  if (!text.trim()) return { ok: false, message: `choose a ${role}` }
  // Parties of this role first, so a name shared with a party of the other role still resolves.
  const own = byCodeOrName(
    text,
    parties.filter((p) => p.role === role),
    role,
  )
  if (!isResolution(own)) return found(own)
  const r = byCodeOrName(text, parties, role)
  if (isResolution(r)) return own
  if (r.role !== role) return { ok: false, message: `${r.name} (${r.code}) is a ${r.role}, not a ${role}` }
  return found(r)
}

/** A location from its code, its label's barcode (as scanned) or its name. */
export function resolveLocation(text: string, locations: readonly Location[]): Resolution {
  const t = text.trim()
  if (!t) return { ok: false, message: 'choose a location' }
  const byBarcode = locations.find((l) => l.barcode !== null && (l.barcode === t || norm(l.barcode) === norm(t)))
  if (byBarcode) return found(byBarcode, `${byBarcode.name} (label ${byBarcode.barcode})`)
  const r = byCodeOrName(t, locations, 'location')
  return isResolution(r) ? r : found(r, `${r.name} (${r.level})`)
}

/** The GTIN-14 a scanned product barcode carries (EAN-13, UPC-A, GTIN-14, or GS1 with AI 01 only). */
function gtinOf(text: string): string | undefined {
  const t = text.trim()
  if (/^\d{8}$|^\d{12,14}$/.test(t)) return isValidGtin(t) ? gtin14(t) : undefined
  // AI 01 and a GTIN-14, with no parentheses (a GS1-128 carton label read raw).
  if (/^01\d{14}$/.test(t)) return isValidGtin(t.slice(2)) ? t.slice(2) : undefined
  const scan = parseScan(t)
  return scan.kind === 'gs1' && scan.gtin && !scan.serial ? scan.gtin : undefined
}

/**
 * A SKU from its code, name or the box's product barcode (GTIN); with `tracking`, a SKU tracked otherwise
 * is refused by name (the receive header's SKU is the serial-tracked one the scans are for).
 */
export function resolveSku(text: string, skus: readonly Sku[], tracking?: Sku['tracking']): Resolution {
  const t = text.trim()
  if (!t) return { ok: false, message: 'choose a SKU' }
  const gtin = gtinOf(t)
  let sku: Sku | undefined
  if (gtin) {
    sku = skus.find((s) => s.gtin !== null && gtin14(s.gtin) === gtin)
    if (!sku) return { ok: false, message: `product barcode ${t} (GTIN ${gtin}) is not the GTIN of any SKU` }
  } else if (/^\d{8,14}$/.test(t) && !skus.some((s) => norm(s.code) === norm(t)))
    return { ok: false, message: `${t} is not a valid product barcode (wrong check digit) nor a SKU code` }
  else {
    const r = byCodeOrName(t, skus, 'SKU')
    if (isResolution(r)) return r
    sku = r
  }
  if (tracking && sku.tracking !== tracking)
    return { ok: false, message: `${sku.name} (${sku.code}) is ${sku.tracking}-tracked, not ${tracking}-tracked` }
  return found(sku, `${sku.name}${gtin ? ` (GTIN ${gtin})` : ''}`)
}
