import { AppError } from '../../core/errors.js'

export const TRACKING_MODES = ['serial', 'lot', 'quantity'] as const
export type Tracking = (typeof TRACKING_MODES)[number]
export const SERIAL_CASES = ['upper', 'lower', 'preserve'] as const
export type SerialCase = (typeof SERIAL_CASES)[number]

/** An extra identifier a SKU's units carry (IMEI, MAC); unique ones are unique across all units. */
export interface IdentifierRule {
  name: string
  isUnique: boolean
  pattern?: string
}

export interface Sku {
  id: string
  code: string
  name: string
  gtin: string | null
  tracking: Tracking
  costMinor: number
  priceMinor: number
  warrantyMonths: number
  returnWindowDays: number
  serialPattern: string | null
  /** A serial that matches the pattern, shown with it in refusals. */
  serialExample?: string | null
  serialCase: SerialCase
  allowNegative: boolean
  identifiers: IdentifierRule[]
  /** Whether a serial of this SKU may not also be a serial of a unit of any other SKU. */
  serialsUniqueAcrossSkus: boolean
  /** The SKU group whose markdown policy applies. */
  skuGroup?: string | null
  /** Whether markdowns may take a unit below its cost. */
  belowCostAllowed?: boolean
  /** When it was archived (refused in new receipts), or null. */
  archivedAt?: string | null
  /** The SKU's own life-cycle and ageing settings (null: the defaults). */
  lifecycle?: SkuLifecycle | null
}

/**
 * A SKU's own thresholds for the life-cycle stage method (any it leaves out are the method's defaults)
 * and its own ageing buckets (upper bounds in days, rising).
 */
export interface SkuLifecycle {
  stage?: {
    minWeeks?: number
    minUnits?: number
    trendWeeks?: number
    growthSlope?: number
    declineSlope?: number
    peakShare?: number
    youngWeeks?: number
  }
  ageingBuckets?: number[]
}

/** True when the GTIN (8, 12, 13 or 14 digits) carries a correct GS1 mod-10 check digit. */
export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false
  const digits = [...gtin].map(Number)
  const check = digits.pop()!
  // Weights alternate 3,1,3,… starting from the digit next to the check digit.
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0)
  return (10 - (sum % 10)) % 10 === check
}

/** Validates a GTIN and returns it as GTIN-14 (zero-padded), the form GS1 barcodes carry. */
export function normalizeGtin(gtin: string): string {
  const trimmed = gtin.trim()
  if (!isValidGtin(trimmed))
    throw new AppError('gtin.invalid', `GTIN ${JSON.stringify(gtin)} has a wrong length or check digit`)
  return trimmed.padStart(14, '0')
}

/** Checks that a serial pattern compiles, so a bad rule is refused when the SKU is saved, not at receipt. */
export function assertSerialPattern(pattern: string | null): void {
  if (pattern === null) return
  try {
    new RegExp(pattern)
  } catch (e) {
    throw new AppError('request.invalid', `serialPattern is not a valid regular expression: ${(e as Error).message}`)
  }
}

/** Checks that a declared example serial matches the SKU's own pattern (an example that is refused misleads). */
export function assertSerialExample(pattern: string | null, example: string | null): void {
  if (example === null) return
  if (pattern === null) throw new AppError('request.invalid', 'serialExample needs a serialPattern to illustrate')
  if (!new RegExp(`^(?:${pattern})$`).test(example))
    throw new AppError('request.invalid', `serialExample ${example} does not match serialPattern ${pattern}`)
}
