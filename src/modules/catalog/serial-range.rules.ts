import { AppError } from '../../core/errors.js'

/** The most serials one range may expand to: a million-unit receipt fits, a typo of ten billion does not. */
export const MAX_RANGE_SIZE = 5_000_000

interface ParsedRange {
  prefix: string
  suffix: string
  from: number
  to: number
  width: number
}

/**
 * Parses a serial range such as `PHX-2026-{00001..05000}`: one `{from..to}` group; the width of `from`
 * sets the zero padding.
 */
export function parseSerialRange(pattern: string): ParsedRange {
  const m = /^([^{}]*)\{(\d+)\.\.(\d+)\}([^{}]*)$/.exec(pattern.trim())
  if (!m)
    throw new AppError('request.invalid', `range ${JSON.stringify(pattern)} must look like PREFIX{00001..05000}SUFFIX`)
  const [, prefix, fromText, toText, suffix] = m as unknown as [string, string, string, string, string]
  const from = Number(fromText)
  const to = Number(toText)
  if (to < from) throw new AppError('request.invalid', `range ${pattern}: end ${toText} is before start ${fromText}`)
  if (to - from + 1 > MAX_RANGE_SIZE)
    throw new AppError('request.invalid', `range ${pattern} has more than ${MAX_RANGE_SIZE} serials`)
  return { prefix, suffix, from, to, width: fromText.length }
}

export function serialRangeSize(pattern: string): number {
  const r = parseSerialRange(pattern)
  return r.to - r.from + 1
}

/** Yields the serials of a range lazily, so a million of them never sit in memory at once. */
export function* expandSerialRange(pattern: string): Generator<string> {
  const r = parseSerialRange(pattern)
  for (let n = r.from; n <= r.to; n++) yield `${r.prefix}${String(n).padStart(r.width, '0')}${r.suffix}`
}
