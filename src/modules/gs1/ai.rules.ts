/*
 * GS1 application identifier (AI) data, by the rules of GS1's Barcode Syntax Dictionary (the generated
 * `ai-table.gen.rules.ts`): finding the AI at the start of data, checking a value against the AI's components
 * (character set, length, linters such as check digits and dates), reading element strings (`^` = FNC1)
 * and bracketed `(01)…(21)…` text, and writing element strings back. Pure; tested against GS1's Syntax
 * Engine vectors in `ai.vectors.test.ts`.
 */
import type { AiComponent, AiDefinition } from './ai-dictionary.rules.js'
import { AI_TABLE } from './ai-table.gen.rules.js'

/** One AI and its value, in the order the data carried them. */
export interface AiElement {
  ai: string
  value: string
}
export type AiParse = { ok: true; elements: AiElement[] } | { ok: false; message: string }

const BY_AI = new Map(AI_TABLE.map((d) => [d.ai, d]))

/** The dictionary's definition of an AI, or undefined for an AI GS1 does not define. */
export const aiDefinition = (ai: string): AiDefinition | undefined => BY_AI.get(ai)

/** The AI at the start of `data` (AIs are prefix-free: 2, 3 or 4 digits), or undefined. */
export function aiAt(data: string): AiDefinition | undefined {
  for (const len of [2, 3, 4]) {
    const def = BY_AI.get(data.slice(0, len))
    if (def && /^\d+$/.test(def.ai)) return def
  }
  return undefined
}

/** The length of a predefined-length AI's value (the sum of its fixed components). */
export const fixedLengthOf = (def: AiDefinition): number => def.components.reduce((n, c) => n + c.max, 0)

const CSETS: Record<AiComponent['cset'], RegExp> = {
  N: /^[0-9]*$/,
  X: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/,
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9_-]*$/,
}
const CSET_NAMES = { N: 'digits', X: 'GS1 character set 82', Y: 'GS1 character set 39', Z: 'base64url' }

/** GS1's modulo-10 check: the last digit checks the ones before it (GTIN, SSCC, GLN, GRAI…). */
export function hasGs1CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false
  const body = [...digits.slice(0, -1)].map(Number).reverse()
  const sum = body.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0)
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1))
}

/** The GS1 check digit to append to `digits`. */
export function gs1CheckDigit(digits: string): string {
  for (let d = 0; d <= 9; d++) if (hasGs1CheckDigit(digits + d)) return String(d)
  throw new Error(`not digits: ${digits}`)
}

const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103,
]

/** The GMN's pair of check characters (GS1 General Specifications 7.9.5): the last two check the rest. */
export function hasAlphaCheckPair(value: string): boolean {
  if (value.length < 3) return false
  const body = value.slice(0, -2)
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    const v = CSET82.indexOf(body[body.length - 1 - i]!)
    if (v < 0) return false
    sum += v * PRIMES[i]!
  }
  sum %= 1021
  return value.slice(-2) === CSET32[sum >> 5]! + CSET32[sum & 31]!
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()
const twoDigits = (s: string, max: number) => /^\d\d$/.test(s) && Number(s) <= max
function isDate(year: number, mm: string, dd: string, dayZero: boolean): boolean {
  const m = Number(mm)
  const d = Number(dd)
  if (m < 1 || m > 12) return false
  return (dayZero && d === 0) || (d >= 1 && d <= daysIn(year, m))
}

/** Content checks by linter name; a linter not listed here is not checked (see ai.vectors.test.ts). */
const LINTERS: Record<string, (v: string) => string | undefined> = {
  csum: (v) => (hasGs1CheckDigit(v) ? undefined : 'has a wrong check digit'),
  csumalpha: (v) => (hasAlphaCheckPair(v) ? undefined : 'has wrong check characters'),
  yymmd0: (v) => (isDate(2000 + Number(v.slice(0, 2)), v.slice(2, 4), v.slice(4, 6), true) ? undefined : 'is no date'),
  yymmdd: (v) => (isDate(2000 + Number(v.slice(0, 2)), v.slice(2, 4), v.slice(4, 6), false) ? undefined : 'is no date'),
  yyyymmdd: (v) => (isDate(Number(v.slice(0, 4)), v.slice(4, 6), v.slice(6, 8), false) ? undefined : 'is no date'),
  hhmi: (v) => (twoDigits(v.slice(0, 2), 23) && twoDigits(v.slice(2, 4), 59) ? undefined : 'is no time (HHMM)'),
  hh: (v) => (twoDigits(v, 23) ? undefined : 'is no hour'),
  mi: (v) => (twoDigits(v, 59) ? undefined : 'is no minute'),
  ss: (v) => (twoDigits(v, 59) ? undefined : 'is no second'),
  nonzero: (v) => (/^0+$/.test(v) ? 'must not be zero' : undefined),
  zero: (v) => (v === '0' ? undefined : 'must be 0'),
  yesno: (v) => (v === '0' || v === '1' ? undefined : 'must be 0 or 1'),
  winding: (v) => (/^[019]$/.test(v) ? undefined : 'must be 0, 1 or 9'),
  hyphen: (v) => (v === '-' ? undefined : 'must be a hyphen'),
  iso5218: (v) => (/^[0129]$/.test(v) ? undefined : 'is no ISO/IEC 5218 sex code'),
  nozeroprefix: (v) => (v.length > 1 && v.startsWith('0') ? 'must not start with 0' : undefined),
  hasnondigit: (v) => (/\D/.test(v) ? undefined : 'must contain a non-digit'),
  pcenc: (v) => (/%(?![0-9A-Fa-f]{2})/.test(v) ? 'has a bad percent-encoding' : undefined),
  pieceoftotal: (v) => {
    const [piece, total] = [Number(v.slice(0, 2)), Number(v.slice(2, 4))]
    return piece >= 1 && total >= 1 && piece <= total ? undefined : 'is no piece NN of total NN'
  },
}
/** The linters this module checks (the others, such as ISO country codes and GCP positions, are not). */
export const CHECKED_LINTERS: readonly string[] = Object.keys(LINTERS)

/** What people call the keys, for messages ("GTIN 0950… has a wrong check digit"). */
const KEY_NAMES: Record<string, string> = { '00': 'SSCC', '01': 'GTIN', '02': 'GTIN', '414': 'GLN', '8004': 'GIAI' }

/** Why `value` is no valid value of `def`'s AI, or undefined when it is. */
export function checkAiValue(def: AiDefinition, value: string): string | undefined {
  const name = `AI (${def.ai})`
  if (value === '') return `${name} is empty`
  let rest = value
  for (const [i, c] of def.components.entries()) {
    if (rest === '' && c.optional) break
    const last = i === def.components.length - 1
    const take = c.min === c.max ? c.max : last ? Math.min(c.max, rest.length) : c.max
    const part = rest.slice(0, take)
    if (part.length < c.min) {
      const need = c.min === c.max ? `${c.max}` : `${c.min} to ${c.max}`
      return def.components.length === 1
        ? `${name} needs ${need} characters, got ${part.length}`
        : `${name} is too short (part ${i + 1} needs ${need} characters)`
    }
    if (!CSETS[c.cset].test(part)) return `${name} must be ${CSET_NAMES[c.cset]}: "${part}"`
    for (const l of c.linters) {
      const bad = LINTERS[l]?.(part)
      if (bad) return `${KEY_NAMES[def.ai] ?? name} ${part} ${bad}`
    }
    rest = rest.slice(take)
  }
  if (rest !== '') return `${name} is longer than ${fixedLengthOf(def)} characters`
  return undefined
}

/** Adds an element, refusing an AI repeated with another value (the same value twice is one element). */
function addElement(out: AiElement[], ai: string, value: string): string | undefined {
  const seen = out.find((e) => e.ai === ai)
  if (seen === undefined) out.push({ ai, value })
  else if (seen.value !== value) return `AI (${ai}) appears twice with different values`
  return undefined
}

/**
 * Reads AI data (no leading FNC1): AIs back to back, a variable-length value ended by `separator` or
 * the end; a separator after a predefined-length value or at the very end is allowed.
 */
export function parseAiData(data: string, separator: string | RegExp = '^'): AiParse {
  const isSep = (ch: string | undefined) =>
    ch !== undefined && (typeof separator === 'string' ? ch === separator : separator.test(ch))
  const elements: AiElement[] = []
  let i = 0
  if (data === '') return { ok: false, message: 'no AI data' }
  while (i < data.length) {
    const def = aiAt(data.slice(i))
    if (!def) return { ok: false, message: `unknown GS1 application identifier at "${data.slice(i, i + 4)}"` }
    i += def.ai.length
    let end = i
    if (def.fixedLength) end = Math.min(data.length, i + fixedLengthOf(def))
    else while (end < data.length && !isSep(data[end])) end++
    const value = data.slice(i, end)
    if (def.fixedLength && [...value].some((ch) => isSep(ch)))
      return { ok: false, message: `AI (${def.ai}) is cut short by a separator` }
    const bad = checkAiValue(def, value) ?? addElement(elements, def.ai, value)
    if (bad) return { ok: false, message: bad }
    i = end
    if (isSep(data[i])) i++
  }
  return { ok: true, elements }
}

/** Reads an element string in the Syntax Engine's notation: `^` (FNC1) first, `^` between elements. */
export function parseElementString(text: string): AiParse {
  if (!text.startsWith('^')) return { ok: false, message: 'an element string starts with FNC1 (^)' }
  return parseAiData(text.slice(1), '^')
}

/** Reads bracketed text `(01)…(21)…`; `\(` is a literal parenthesis in a value. */
export function parseBracketed(text: string): AiParse {
  const elements: AiElement[] = []
  let i = 0
  if (!text.startsWith('(')) return { ok: false, message: 'bracketed AI text starts with "("' }
  while (i < text.length) {
    const m = /^\((\d{2,4})\)/.exec(text.slice(i))
    if (!m) return { ok: false, message: `cannot read an AI at "${text.slice(i, i + 6)}"` }
    const def = BY_AI.get(m[1]!)
    if (!def) return { ok: false, message: `unknown GS1 application identifier (${m[1]})` }
    i += m[0].length
    let value = ''
    while (i < text.length && text[i] !== '(') {
      if (text[i] === '\\' && text[i + 1] === '(') i++
      value += text[i++]
    }
    const bad = checkAiValue(def, value) ?? addElement(elements, def.ai, value)
    if (bad) return { ok: false, message: bad }
  }
  return { ok: true, elements }
}

/** Writes elements as an element string: `^` first, and after each variable-length value but the last. */
export function toElementString(elements: readonly AiElement[], fnc1 = '^'): string {
  return (
    fnc1 +
    elements
      .map((e, i) => {
        const fixed = BY_AI.get(e.ai)?.fixedLength === true
        return e.ai + e.value + (fixed || i === elements.length - 1 ? '' : fnc1)
      })
      .join('')
  )
}

/** Writes elements as bracketed text `(01)…(21)…`, the human-readable line under a barcode. */
export const toBracketed = (elements: readonly AiElement[]): string =>
  elements.map((e) => `(${e.ai})${e.value.replace(/\(/g, '\\(')}`).join('')

/** Does `pattern` (`01`, `310n`, `35nn`) name `ai`? */
const matchesPattern = (pattern: string, ai: string) =>
  pattern.length === ai.length && [...pattern].every((p, i) => p === 'n' || p === ai[i])

/** The first `req=` rule the elements break ("AI (21) needs (01) or …"), or undefined. */
export function checkRequisites(elements: readonly AiElement[]): string | undefined {
  const present = elements.map((e) => e.ai)
  const has = (p: string) => present.some((ai) => matchesPattern(p, ai))
  for (const e of elements)
    for (const req of BY_AI.get(e.ai)?.requires ?? []) {
      const alternatives = req.split(',')
      if (!alternatives.some((alt) => alt.split('+').every(has)))
        return `AI (${e.ai}) needs ${alternatives.map((a) => `(${a.split('+').join(')+(')})`).join(' or ')}`
    }
  return undefined
}

/** The first `ex=` rule the elements break ("AI (01) cannot go with (02)"), or undefined. */
export function checkMutualExclusions(elements: readonly AiElement[]): string | undefined {
  for (const e of elements)
    for (const ex of BY_AI.get(e.ai)?.excludes ?? [])
      for (const other of elements)
        if (other.ai !== e.ai && matchesPattern(ex, other.ai)) return `AI (${e.ai}) cannot go with (${other.ai})`
  return undefined
}

/** AI → value, for readers that want one field (`ais['21']`). */
export const aiRecord = (elements: readonly AiElement[]): Record<string, string> =>
  Object.fromEntries(elements.map((e) => [e.ai, e.value]))
