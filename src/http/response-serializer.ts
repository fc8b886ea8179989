import { ResponseSerializationError } from 'fastify-type-provider-zod'
import type { ZodType } from 'zod'

/**
 * Writes a response as fastify-type-provider-zod's serializer does (checked against the route's zod
 * schema, unknown keys dropped, then JSON), but through zod's parse instead of its encode. The two differ
 * only for codecs and transforms, which no response schema here has (encode refuses a transform; parse
 * would run it); every response of the integration suite was checked to come out byte for byte the same.
 * Measured on the scan lookup over HTTP: encode cost ~11 µs of CPU a response, parse ~5 µs.
 */
export const responseSerializer = ({ schema, method, url }: { schema: unknown; method: string; url: string }) => {
  // A zod schema, or (as the type provider also accepts) one under `properties`.
  const given = schema as ZodType & { properties?: ZodType }
  const zod = typeof given.safeParse === 'function' ? given : given.properties
  if (typeof zod?.safeParse !== 'function')
    throw new Error(`the response schema of ${method} ${url} is not a zod schema`)
  return (data: unknown): string => {
    const result = zod.safeParse(data)
    if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error })
    return JSON.stringify(result.data)
  }
}
