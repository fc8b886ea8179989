/** Money is stored as integer minor units (cents); this turns a decimal amount from input into them. */
export function toMinor(amount: number): number {
  return Math.round(amount * 100)
}

export function fromMinor(minor: number | null): number | null {
  return minor === null ? null : minor / 100
}
