/**
 * Decimal places of the currency's minor unit. Money is stored as integer minor units (cents), so an
 * amount with more decimals than this cannot be stored as given and is refused, never rounded.
 */
export const MINOR_UNIT_DIGITS = 2

/** Money is stored as integer minor units (cents); this turns a decimal amount from input into them. */
export function toMinor(amount: number): number {
  return Math.round(amount * 10 ** MINOR_UNIT_DIGITS)
}

export function fromMinor(minor: number | null): number | null {
  return minor === null ? null : minor / 10 ** MINOR_UNIT_DIGITS
}

/** How many decimals a number has as written in its shortest form: 19.999 → 3, 20 → 0, 1.5e-7 → 8. */
export function decimalsOf(amount: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(amount)).split('e')
  const fraction = mantissa.split('.')[1]?.length ?? 0
  return Math.max(0, fraction - Number(exponent))
}

/** Why an amount cannot be stored exactly in minor units, or undefined when it can. */
export function excessDecimals(amount: number): string | undefined {
  const decimals = decimalsOf(amount)
  if (decimals <= MINOR_UNIT_DIGITS) return undefined
  return `${amount} has ${decimals} decimals; the currency has ${MINOR_UNIT_DIGITS} (it would be stored as ${
    toMinor(amount) / 10 ** MINOR_UNIT_DIGITS
  })`
}
