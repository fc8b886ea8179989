/*
 * GS1's EPCIS 2.0 JSON Schema, compiled once with ajv (formats `uri` and `date-time` enforced), and its
 * errors worded as "event 3: epcList[2]: must match format uri".
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import schema from './schema/EPCIS-JSON-Schema.json' with { type: 'json' }

let validator: ValidateFunction | undefined

/** GS1's schema without its `uniqueItems` (ajv checks those pairwise: minutes for 100,000 EPCs). */
function withoutUniqueItems(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutUniqueItems)
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'uniqueItems')
      .map(([k, v]) => [k, withoutUniqueItems(v)]),
  )
}

/**
 * The compiled validator (the schema compiles only with `strict: false`, GS1's README says). Formats are
 * checked in ajv-formats' fast mode, and repeated EPCs are found by capture itself in linear time.
 */
export function epcisValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: false })
    ;(addFormatsModule as unknown as (a: Ajv, o: { mode: 'fast' }) => Ajv)(ajv, { mode: 'fast' })
    validator = ajv.compile(withoutUniqueItems(schema) as object)
  }
  return validator
}

/** An ajv error as a path a person reads: `eventList[3].epcList[2]`. */
export function errorPath(e: ErrorObject): string {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '')
}

/** The schema's verdict on a document: undefined when valid, else its first errors worded. */
export function schemaProblems(doc: unknown): { path: string; message: string }[] | undefined {
  const validate = epcisValidator()
  if (validate(doc)) return undefined
  return (validate.errors ?? []).slice(0, 10).map((e) => {
    const allowed = e.params && 'allowedValues' in e.params ? (e.params.allowedValues as string[]) : undefined
    return { path: errorPath(e), message: `${e.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}` }
  })
}
