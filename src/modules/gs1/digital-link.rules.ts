/*
 * GS1 Digital Link URIs (`https://id.gs1.org/01/09506000134352/21/ABC?17=271231`): reading one into AI
 * elements and writing elements as one, by the Digital Link rules the Syntax Dictionary carries (primary
 * keys, their ordered qualifiers, data attributes). Pure; tested against GS1's Syntax Engine vectors.
 */
import type { AiDefinition } from './ai-dictionary.rules.js'
import { type AiElement, type AiParse, aiDefinition, checkAiValue, fixedLengthOf } from './ai.rules.js'

/** The canonical stem GS1 resolves. */
export const GS1_DL_STEM = 'https://id.gs1.org'

export interface DigitalLinkOptions {
  /** Accept a GTIN-8/12/13 as the path's AI (01) and pad it to 14 digits (the Syntax Engine's option). */
  permitZeroSuppressedGtin?: boolean
}

const UNRESERVED = /[A-Za-z0-9\-._~]/

/** Percent-encodes a path segment (or a query value, where a space becomes `+`). */
export function uriEscape(value: string, asQuery = false): string {
  let out = ''
  for (const ch of value) {
    if (UNRESERVED.test(ch)) out += ch
    else if (asQuery && ch === ' ') out += '+'
    else for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Decodes `%XX` (a byte each, bad escapes kept as they are); in a query `+` is a space. */
export function uriUnescape(value: string, asQuery = false): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3)
    if (value[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out += String.fromCharCode(parseInt(hex, 16))
      i += 2
    } else out += asQuery && value[i] === '+' ? ' ' : value[i]
  }
  return out
}

const isPrimaryKey = (def: AiDefinition | undefined): def is AiDefinition & { dlQualifiers: string[][] } =>
  def?.dlQualifiers !== undefined

/** The qualifier sequences (of the key's alternatives) that `qualifiers`, in this order, fit. */
function fittingSequences(key: AiDefinition, qualifiers: readonly string[]): (readonly string[])[] {
  const sequences = key.dlQualifiers!.length === 0 ? [[]] : key.dlQualifiers!
  return sequences.filter((seq) => {
    let at = 0
    for (const q of qualifiers) {
      at = seq.indexOf(q, at)
      if (at < 0) return false
      at++
    }
    return true
  })
}

const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/

function splitUri(uri: string): { host: string; path: string; query: string } | string {
  const m = /^(https?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i.exec(uri)
  if (!m || !/^(http|https|HTTP|HTTPS)$/.test(m[1]!)) return 'a Digital Link starts with http:// or https://'
  if (!URI_CHARS.test(uri)) return 'the URI has characters a URI cannot carry'
  const host = m[2]!
  if (!/^([A-Za-z0-9\-.]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) return `"${host}" is no host name`
  return { host, path: m[3]!, query: m[4] ?? '' }
}

/** Reads the path: the first primary key whose remaining segments are its qualifiers, in order. */
function readPath(
  segments: string[],
  opts: DigitalLinkOptions,
): { elements: AiElement[]; key: AiDefinition; qualifiers: string[] } | string {
  for (let i = 0; i < segments.length; i++) {
    const key = aiDefinition(segments[i]!)
    if (!isPrimaryKey(key) || (segments.length - i) % 2 !== 0) continue
    const pairs: AiElement[] = []
    for (let k = i; k < segments.length; k += 2) pairs.push({ ai: segments[k]!, value: uriUnescape(segments[k + 1]!) })
    const qualifiers = pairs.slice(1).map((p) => p.ai)
    if (fittingSequences(key, qualifiers).length === 0) continue
    if (key.ai === '01' && opts.permitZeroSuppressedGtin && /^(\d{8}|\d{12}|\d{13})$/.test(pairs[0]!.value))
      pairs[0]!.value = pairs[0]!.value.padStart(14, '0')
    return { elements: pairs, key, qualifiers }
  }
  return 'no GS1 primary key (such as /01/{GTIN}) with valid qualifiers in the path'
}

/** Reads a GS1 Digital Link URI into its AI elements: the path's key and qualifiers, then the query's. */
export function parseDigitalLinkUri(uri: string, opts: DigitalLinkOptions = {}): AiParse {
  const parts = splitUri(uri)
  if (typeof parts === 'string') return { ok: false, message: parts }
  const segments = parts.path.split('/').slice(1)
  if (segments.some((s) => s === '')) return { ok: false, message: 'the path has an empty segment' }
  const path = readPath(segments, opts)
  if (typeof path === 'string') return { ok: false, message: path }
  const elements = [...path.elements]
  const pathQualifiers = new Set(fittingSequences(path.key, path.qualifiers).flat())
  for (const param of parts.query.split('&')) {
    const eq = param.indexOf('=')
    const name = param.slice(0, eq)
    if (eq < 0 || !/^\d+$/.test(name)) continue // singletons and non-AI parameters are not GS1 data
    const def = aiDefinition(name)
    if (!def) return { ok: false, message: `unknown GS1 application identifier (${name}) in the query` }
    if (pathQualifiers.has(name)) return { ok: false, message: `AI (${name}) is a key qualifier: it goes in the path` }
    if (elements.some((e) => e.ai === name)) return { ok: false, message: `AI (${name}) appears twice` }
    let value = uriUnescape(param.slice(eq + 1), true)
    if (name === '01' && /^(\d{8}|\d{12}|\d{13})$/.test(value)) value = value.padStart(14, '0')
    elements.push({ ai: name, value })
  }
  for (const e of elements) {
    const bad = checkAiValue(aiDefinition(e.ai)!, e.value)
    if (bad) return { ok: false, message: bad }
  }
  return { ok: true, elements }
}

/** True when text looks like a Digital Link attempt (an http(s) URI), so a failure to read it is an error. */
export const looksLikeDigitalLink = (text: string): boolean => /^(http|https|HTTP|HTTPS):\/\//.test(text)

/**
 * Writes elements as a Digital Link: the first primary key, its qualifiers in their order, then the
 * other elements as query attributes (predefined-length ones first). Undefined with a reason when the
 * elements carry no key, mix qualifier sequences or hold an AI that cannot be a Digital Link attribute.
 */
export function generateDigitalLinkUri(
  elements: readonly AiElement[],
  stem: string = GS1_DL_STEM,
): { ok: true; uri: string } | { ok: false; message: string } {
  const unique: AiElement[] = []
  for (const e of elements) {
    const seen = unique.find((u) => u.ai === e.ai)
    if (seen && seen.value !== e.value)
      return { ok: false, message: `AI (${e.ai}) appears twice with different values` }
    if (!seen) unique.push(e)
  }
  const key = unique.find((e) => isPrimaryKey(aiDefinition(e.ai)))
  if (!key) return { ok: false, message: 'no GS1 primary key (such as AI 01 or 00) to build the path from' }
  const keyDef = aiDefinition(key.ai)!
  const all = new Set(keyDef.dlQualifiers!.flat())
  const present = unique.filter((e) => all.has(e.ai)).map((e) => e.ai)
  const seq = (keyDef.dlQualifiers!.length === 0 ? [[]] : keyDef.dlQualifiers!).find((s) =>
    present.every((q) => s.includes(q)),
  )
  if (!seq) return { ok: false, message: `the qualifiers (${present.join(')(')}) mix alternatives of (${key.ai})` }
  const qualifiers = seq.flatMap((q) => unique.filter((e) => e.ai === q))
  const rest = unique.filter((e) => e !== key && !qualifiers.includes(e))
  const notAttribute = rest.find((e) => !aiDefinition(e.ai)?.dlAttribute)
  if (notAttribute) return { ok: false, message: `AI (${notAttribute.ai}) cannot be a Digital Link attribute` }
  const isFixed = (e: AiElement) => aiDefinition(e.ai)!.fixedLength && fixedLengthOf(aiDefinition(e.ai)!) > 0
  const ordered = [...rest.filter(isFixed), ...rest.filter((e) => !isFixed(e))]
  const path = [key, ...qualifiers].map((e) => `/${e.ai}/${uriEscape(e.value)}`).join('')
  const query = ordered.map((e) => `${e.ai}=${uriEscape(e.value, true)}`).join('&')
  return { ok: true, uri: stem.replace(/\/+$/, '') + path + (query ? `?${query}` : '') }
}
