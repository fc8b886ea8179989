/*
 * GS1's EPCIS 2.0 JSON Schema, compiled once with ajv (formats `uri` and `date-time` enforced), and its
 * errors worded as "event 3: epcList[2]: must match format uri".
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import schema from './schema/EPCIS-JSON-Schema.json' with { type: 'json' }

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
let validator: ValidateFunction | undefined

/** The compiled validator (the schema compiles only with `strict: false`, GS1's README says). */
export function epcisValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: false })
    addFormats(ajv)
    validator = ajv.compile(schema)
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
