/* Bulk inputs for a receipt: a pasted list, a serial range (a CSV file: receipt-csv.ts). */
import { expandSerialRange, parseSerialRange } from '../../src/modules/catalog/serial-range.rules.js'

/** Most serials the browser expands from a range or holds from a file; larger receipts use the CLI import. */
export const MAX_BULK = 100_000

/** One entry per non-empty line (commas, semicolons and tabs also separate), in order. */
export function splitList(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

export function expandRange(pattern: string): { ok: true; serials: string[] } | { ok: false; message: string } {
  try {
    const r = parseSerialRange(pattern)
    const size = r.to - r.from + 1
    if (size > MAX_BULK)
      return {
        ok: false,
        message: `${pattern} has ${size} serials; the browser takes at most ${MAX_BULK} (use the CLI import for more)`,
      }
    return { ok: true, serials: [...expandSerialRange(pattern)] }
  } catch (e) {
    return { ok: false, message: (e as Error).message }
  }
}
