/*
 * The serialization advisor, as pure rules: serial numbers pay off for valuable goods with liability
 * attached (warranties, returns that must be checked, theft); for cheap, homogeneous goods without it
 * they only cost scanning time (the design brief's guidance). Each SKU gets a score and its reasons.
 */

export const HIGH_VALUE_MINOR = 10_000 // 100.00: worth telling one unit from another
export const MID_VALUE_MINOR = 3_000
export const CHEAP_MINOR = 2_000 // under 20.00: a cable, a case
export const RETURN_RATE_HIGH = 0.05
export const SHRINK_RATE_HIGH = 0.01
export const CLAIM_RATE_HIGH = 0.02
export const SERIALISE_SCORE = 3

export interface SkuTrackRecord {
  code: string
  name: string
  tracking: 'serial' | 'lot' | 'quantity'
  priceMinor: number
  warrantyMonths: number
  /** Units (or quantity) received, sold, returned, lost and claimed under warranty, all time. */
  received: number
  sold: number
  returned: number
  lost: number
  claims: number
}

export interface Advice {
  code: string
  name: string
  tracking: SkuTrackRecord['tracking']
  advice: 'serialise' | 'stop_serialising' | 'keep'
  score: number
  returnRate: number
  shrinkRate: number
  claimRate: number
  reasons: string[]
}

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 1000 : 0)
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`
const money = (minor: number) => (minor / 100).toFixed(2)

/** The score and reasons of one SKU: value, warranty liability, return, claim and shrinkage rates. */
export function adviseSku(s: SkuTrackRecord): Advice {
  const returnRate = rate(s.returned, s.sold)
  const shrinkRate = rate(s.lost, s.received)
  const claimRate = rate(s.claims, s.sold)
  const reasons: string[] = []
  let score = 0
  if (s.priceMinor >= HIGH_VALUE_MINOR) {
    score += 2
    reasons.push(`high unit value (${money(s.priceMinor)})`)
  } else if (s.priceMinor >= MID_VALUE_MINOR) {
    score += 1
    reasons.push(`moderate unit value (${money(s.priceMinor)})`)
  } else reasons.push(`low unit value (${money(s.priceMinor)})`)
  if (s.warrantyMonths > 0) {
    score += 1
    reasons.push(`${s.warrantyMonths}-month warranty: claims must name the unit`)
  }
  for (const [r, limit, what] of [
    [returnRate, RETURN_RATE_HIGH, 'returns'],
    [claimRate, CLAIM_RATE_HIGH, 'warranty claims'],
    [shrinkRate, SHRINK_RATE_HIGH, 'shrinkage'],
  ] as const)
    if (r >= limit) {
      score += r >= 2 * limit ? 2 : 1
      reasons.push(`${what} ${pct(r)} (threshold ${pct(limit)})`)
    }
  const troubleFree = returnRate < RETURN_RATE_HIGH && claimRate < CLAIM_RATE_HIGH && shrinkRate < SHRINK_RATE_HIGH
  let advice: Advice['advice'] = 'keep'
  if (s.tracking !== 'serial' && score >= SERIALISE_SCORE) advice = 'serialise'
  if (s.tracking === 'serial' && s.priceMinor < CHEAP_MINOR && s.warrantyMonths === 0 && troubleFree) {
    advice = 'stop_serialising'
    reasons.push('cheap, no warranty and trouble-free: serials cost scanning time without a liability to track')
  }
  return { code: s.code, name: s.name, tracking: s.tracking, advice, score, returnRate, shrinkRate, claimRate, reasons }
}

/**
 * Advice for every SKU, ranked: quantity-tracked SKUs worth serialising first (highest score first), then
 * serial-tracked SKUs that need not be, then the rest by score.
 */
export function adviseSkus(records: readonly SkuTrackRecord[]): Advice[] {
  const order = { serialise: 0, stop_serialising: 1, keep: 2 }
  return records
    .map(adviseSku)
    .sort(
      (a, b) =>
        order[a.advice] - order[b.advice] ||
        (a.advice === 'stop_serialising' ? a.score - b.score : b.score - a.score) ||
        a.code.localeCompare(b.code),
    )
}
