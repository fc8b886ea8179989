import Fastify from 'fastify'
import { validatorCompiler } from 'fastify-type-provider-zod'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { responseSerializer } from './response-serializer.js'

async function appReturning(body: unknown) {
  const app = Fastify()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(responseSerializer)
  const Unit = z.object({ serial: z.string(), status: z.enum(['in_stock', 'sold']), soldAt: z.string().nullable() })
  app.get('/unit', { schema: { response: { 200: z.array(Unit) } } }, async () => body)
  await app.ready()
  return app
}

describe('response serializer', () => {
  it('writes what the schema names, and nothing else', async () => {
    const app = await appReturning([{ serial: 'A1', status: 'sold', soldAt: null, passwordHash: 'x' }])
    const res = await app.inject('/unit')
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('[{"serial":"A1","status":"sold","soldAt":null}]')
  })

  it('refuses a response that does not match its schema', async () => {
    const app = await appReturning([{ serial: 'A1', status: 'lost', soldAt: null }])
    const res = await app.inject('/unit')
    expect(res.statusCode).toBe(500)
    expect(res.json().code).toBe('FST_ERR_RESPONSE_SERIALIZATION')
  })
})
