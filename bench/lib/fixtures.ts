import type { AppContext } from '../../src/core/context.js'
import { createSku } from '../../src/modules/catalog/index.js'
import { MAX_RANGE_SIZE } from '../../src/modules/catalog/serial-range.rules.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'

/** Reference data every benchmark names by code. */
export const SKU = 'PHX-128'
export const SITE = 'WH1'
export const SUPPLIER = 'SUP-BENCH'
export const CUSTOMER = 'CUS-BENCH'
export const ACTOR = 'bench'

/** Serial prefix of the ledger's units, received as the range `PHX-{0000001..N}`. */
export const LEDGER_PREFIX = 'PHX-'

/** A load worker's plan selling the ledger's units over HTTP: client k sells `perClient` serials from `firstIndex`. */
export const ledgerSellPlan = (width: number, firstIndex: number, perClient: number) => ({
  kind: 'sell' as const,
  path: '/api/v1/sales',
  prefix: LEDGER_PREFIX,
  width,
  customer: CUSTOMER,
  firstIndex,
  perClient,
})

/** Digits of the zero-padded serial number of a ledger of `units` units (at least 7). */
export const serialWidth = (units: number): number => Math.max(7, String(units).length)

/** The i-th serial (1-based) of a prefix, zero-padded as the range expands it. */
export const serialOf = (prefix: string, i: number, width: number): string =>
  `${prefix}${String(i).padStart(width, '0')}`

/** The serials PHX-1…N as range lines of at most MAX_RANGE_SIZE each (`--units 10m` has two). */
export const ledgerRanges = (units: number): string[] => {
  const w = serialWidth(units)
  const ranges: string[] = []
  for (let from = 1; from <= units; from += MAX_RANGE_SIZE) {
    const to = Math.min(units, from + MAX_RANGE_SIZE - 1)
    ranges.push(`${LEDGER_PREFIX}{${String(from).padStart(w, '0')}..${String(to).padStart(w, '0')}}`)
  }
  return ranges
}

/** Creates the SKU, the site, a supplier and a customer through the real services. */
export async function seedReferenceData(ctx: AppContext): Promise<void> {
  await createSku(ctx, {
    code: SKU,
    name: 'Phone X 128GB',
    tracking: 'serial',
    cost: 400,
    price: 799,
    warrantyMonths: 24,
  })
  await createLocation(ctx, { code: SITE, name: 'Main warehouse', level: 'site', kind: 'warehouse' })
  await createParty(ctx, { code: SUPPLIER, name: 'Acme Phones', role: 'supplier' })
  await createParty(ctx, { code: CUSTOMER, name: 'Jane Doe', role: 'customer' })
}
