/*
 * Refusals as a clerk reads them: a character no one can see on the label named for what it looks like
 * (a Cyrillic 'А' that looks like a Latin 'A'), a control character named by the key or scanner setting
 * that sent it, and a SKU's serial format (a regular expression) as a sentence with an example serial.
 * Pure: the server's messages and the web's scan feedback both word them here; error codes stay as they are.
 */

/** Letters of other scripts that look like Latin ones on a label, by code point. */
const LOOK_ALIKES: Record<number, { script: string; latin: string }> = {}
const addLookAlikes = (script: string, pairs: string) => {
  for (let i = 0; i + 1 < pairs.length; i += 2) LOOK_ALIKES[pairs.codePointAt(i)!] = { script, latin: pairs[i + 1]! }
}
addLookAlikes('Cyrillic', 'АAВBЕEЅSІIЈJКKМMНHОOРPСCТTХXУYаaеeѕsіiјjоoрpсcуyхxԁdһhԛqԝw')
addLookAlikes('Greek', 'ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXοoνvκkιiρp')
addLookAlikes('Armenian', 'ՕOօoսuհh')

/** Invisible or typographic characters, and what people call them. */
const NAMED: Record<number, string> = {
  0x20: 'a space',
  0xa0: 'a non-breaking space',
  0xad: 'an invisible soft hyphen',
  0x200b: 'an invisible zero-width space',
  0x200c: 'an invisible zero-width non-joiner',
  0x200d: 'an invisible zero-width joiner',
  0x2060: 'an invisible word joiner',
  0xfeff: 'an invisible byte-order mark (from a file saved as "UTF-8 with BOM")',
  0x2010: "a typographic hyphen '‐' instead of '-'",
  0x2011: "a non-breaking hyphen '‑' instead of '-'",
  0x2012: "a figure dash '‒' instead of '-'",
  0x2013: "an en dash '–' instead of '-' (a word processor or spreadsheet replaced the hyphen)",
  0x2014: "an em dash '—' instead of '-' (a word processor or spreadsheet replaced the hyphen)",
  0x2212: "a minus sign '−' instead of '-'",
  0x2018: "a curly quote '‘' instead of '''",
  0x2019: "a curly quote '’' instead of '''",
  0x201c: "a curly quote '“' instead of '\"'",
  0x201d: "a curly quote '”' instead of '\"'",
  0xfffd: "a '�' replacement character (the text was not saved as UTF-8)",
}

/** Control characters (0x00–0x1F, 0x7F): the key or scanner setting that sends each. */
const CONTROLS: Record<number, string> = {
  0x09: 'a Tab (the Tab key, or a scanner whose suffix is set to Tab)',
  0x0a: 'a line break (Enter inside the code: a scanner suffix or a pasted list)',
  0x0d: 'a carriage return (Enter inside the code: a scanner suffix or a pasted list)',
  0x1b: 'an Escape (the Esc key, or a scanner prefix)',
  0x1d: 'a GS1 group separator (FNC1): scan the whole GS1 barcode, or turn off "transmit FNC1" in the scanner',
  0x1e: 'a record separator (RS) from a 2D barcode in ISO 15434 format',
  0x04: 'an end-of-transmission (EOT), which some scanners send as a suffix: remove it from the scanner suffix',
  0x02: 'a start-of-text (STX), which some scanners send as a prefix: remove it from the scanner prefix',
  0x03: 'an end-of-text (ETX), which some scanners send as a suffix: remove it from the scanner suffix',
  0x7f: 'a Delete character (the Del key, or a scanner setting)',
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * One character as a person reads it: `a Cyrillic 'А' that looks like a Latin 'A'`, `a Tab (the Tab key…)`,
 * `a non-breaking space`, or, for anything else, the character and its code point.
 */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0)!
  const look = LOOK_ALIKES[cp]
  if (look) return `a ${look.script} '${ch}' that looks like a Latin '${look.latin}'`
  const control = CONTROLS[cp]
  if (control) return control
  if (cp < 0x20) {
    const key = `Ctrl+${String.fromCharCode(cp + 64)}`
    return `a control character (${key}, sent by that key or by a scanner set to send control codes)`
  }
  const named = NAMED[cp]
  if (named) return named
  if (cp >= 0xff01 && cp <= 0xff5e) {
    const ascii = String.fromCharCode(cp - 0xfee0)
    return `a full-width '${ch}' instead of '${ascii}' (an East Asian input mode is on)`
  }
  if (/\p{L}/u.test(ch)) return `the letter '${ch}' (${hex(cp)}), which is not plain ASCII`
  return `the character '${ch}' (${hex(cp)}), which is not plain ASCII`
}

/** The first character of `text` that fails `isAllowed`, described, with its 1-based position. */
export function describeFirstBad(text: string, isAllowed: (ch: string) => boolean): string | undefined {
  const chars = [...text]
  const at = chars.findIndex((c) => !isAllowed(c))
  if (at < 0) return undefined
  return `${describeCharacter(chars[at]!)} at position ${at + 1}`
}

// --- Serial formats ---------------------------------------------------------------------------------

type Atom = { kind: 'literal'; text: string } | { kind: 'class'; what: ClassWhat; sample: string }
interface ClassWhat {
  one: string
  many: string
}
interface Piece {
  atom: Atom
  min: number
  max: number
}

const DIGIT: ClassWhat = { one: 'digit', many: 'digits' }
const UPPER: ClassWhat = { one: 'capital letter', many: 'capital letters' }
const LOWER: ClassWhat = { one: 'lower-case letter', many: 'lower-case letters' }
const LETTER: ClassWhat = { one: 'letter', many: 'letters' }
const UPPER_OR_DIGIT: ClassWhat = { one: 'capital letter or digit', many: 'capital letters or digits' }
const ALNUM: ClassWhat = { one: 'letter or digit', many: 'letters or digits' }
const HEX: ClassWhat = { one: 'hexadecimal digit (0-9, A-F)', many: 'hexadecimal digits (0-9, A-F)' }
const ANY: ClassWhat = { one: 'character', many: 'characters' }

/** A bracket class's contents (`A-Z0-9`) as words and a sample character; undefined when it is not a plain set. */
function classOf(body: string): Atom | undefined {
  if (body.startsWith('^')) return undefined
  const ranges = body.replace(/\\d/g, '0-9')
  const has = (r: string) => ranges.includes(r)
  const rest = ranges.replace(/A-Z|a-z|0-9|A-F|a-f/g, '')
  const extra = rest === '' ? '' : ` or '${[...rest].join("', '")}'`
  const known = (what: ClassWhat, sample: string): Atom => ({
    kind: 'class',
    what: { one: what.one + extra, many: what.many + extra },
    sample,
  })
  if (rest === '' || (/^[-_.:/]+$/.test(rest) && rest.length < ranges.length)) {
    if (has('0-9') && (has('A-F') || has('a-f')) && !has('A-Z') && !has('a-z')) return known(HEX, 'A')
    if (has('A-Z') && has('a-z')) return known(has('0-9') ? ALNUM : LETTER, 'A')
    if (has('A-Z')) return known(has('0-9') ? UPPER_OR_DIGIT : UPPER, 'A')
    if (has('a-z')) return known(has('0-9') ? ALNUM : LOWER, 'a')
    if (has('0-9')) return known(DIGIT, '1')
  }
  // A short list of literal characters: "one of X, Y or Z".
  if (/^[A-Za-z0-9_-]+$/.test(body) && !/.-./.test(body)) {
    const list = [...body]
    const words = list.length === 1 ? `'${list[0]}'` : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`
    return { kind: 'class', what: { one: `one of ${words}`, many: `characters from ${words}` }, sample: list[0]! }
  }
  return undefined
}

/** Reads the simple regular expressions SKUs use (literals, \d \w, [A-Z0-9] sets, {n,m} + * ?); undefined beyond. */
function parsePattern(pattern: string): Piece[] | undefined {
  const pieces: Piece[] = []
  let i = 0
  const src = pattern.replace(/^\^/, '').replace(/\$$/, '')
  while (i < src.length) {
    const c = src[i]!
    let atom: Atom | undefined
    if (c === '\\') {
      const e = src[i + 1]
      if (e === undefined) return undefined
      if (e === 'd') atom = { kind: 'class', what: DIGIT, sample: '1' }
      else if (e === 'w') atom = { kind: 'class', what: ALNUM, sample: 'A' }
      else if (/[A-Za-z0-9]/.test(e)) return undefined
      else atom = { kind: 'literal', text: e }
      i += 2
    } else if (c === '[') {
      const end = src.indexOf(']', i + 1)
      if (end < 0) return undefined
      atom = classOf(src.slice(i + 1, end))
      if (!atom) return undefined
      i = end + 1
    } else if (c === '.') {
      atom = { kind: 'class', what: ANY, sample: 'X' }
      i += 1
    } else if ('()|{}+*?^$'.includes(c)) return undefined
    else {
      atom = { kind: 'literal', text: c }
      i += 1
    }
    let min = 1
    let max = 1
    const q = /^(?:\{(\d+)(?:(,)(\d*))?\}|([+*?]))/.exec(src.slice(i))
    if (q) {
      if (q[4] === '+') [min, max] = [1, Infinity]
      else if (q[4] === '*') [min, max] = [0, Infinity]
      else if (q[4] === '?') [min, max] = [0, 1]
      else {
        min = Number(q[1])
        max = q[2] ? (q[3] ? Number(q[3]) : Infinity) : min
      }
      i += q[0].length
    }
    const last = pieces.at(-1)
    // Consecutive single literals read as one quoted text ("PHX-").
    if (
      atom.kind === 'literal' &&
      min === 1 &&
      max === 1 &&
      last?.atom.kind === 'literal' &&
      last.min === 1 &&
      last.max === 1
    )
      last.atom = { kind: 'literal', text: last.atom.text + atom.text }
    else pieces.push({ atom, min, max })
  }
  return pieces
}

const count = (p: Piece, what: ClassWhat): string => {
  if (p.min === p.max) return p.min === 1 ? `1 ${what.one}` : `${p.min} ${what.many}`
  if (p.max === Infinity)
    return p.min <= 1
      ? `${p.min === 0 ? 'any number of' : 'one or more'} ${what.many}`
      : `at least ${p.min} ${what.many}`
  if (p.min === 0 && p.max === 1) return `an optional ${what.one}`
  return `${p.min} to ${p.max} ${what.many}`
}

function describePiece(p: Piece): string {
  if (p.atom.kind === 'literal') {
    const text = `“${p.atom.text}”`
    if (p.min === 1 && p.max === 1) return text
    if (p.min === 0 && p.max === 1) return `an optional ${text}`
    return `${text} ${count(p, { one: 'time', many: 'times' })}`
  }
  return count(p, p.atom.what)
}

/** A serial that matches a simple pattern (`PHX-\d{4}` → `PHX-1111`); undefined when the pattern is not simple. */
export function exampleSerial(pattern: string): string | undefined {
  const pieces = parsePattern(pattern)
  if (!pieces) return undefined
  return pieces
    .map((p) => {
      const n = Math.max(p.min, p.max === Infinity ? Math.max(1, p.min) : p.min)
      if (n === 0) return ''
      if (p.atom.kind === 'literal') return p.atom.text.repeat(n)
      // Digits read like a counter (0001), letters repeat (AAA).
      return p.atom.sample === '1' ? `${'0'.repeat(n - 1)}1` : p.atom.sample.repeat(n)
    })
    .join('')
}

/**
 * A SKU's serial format in words, with an example: `“PHX-” then 4 digits, for example PHX-0001`. The SKU's
 * own example is used when it declares one; a pattern too complex to word is shown as it is.
 */
export function describeSerialFormat(pattern: string, example?: string | null): string {
  const pieces = parsePattern(pattern)
  const sample = example ?? exampleSerial(pattern)
  const words = pieces && pieces.length > 0 ? pieces.map(describePiece).join(' then ') : `the pattern ${pattern}`
  return sample ? `${words}, for example ${sample}` : words
}
