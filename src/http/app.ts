import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from '../core/clock.js'
import type { Db } from '../db/connect.js'
import type { HttpContext } from './context.js'
import { sendProblem } from './problem.js'
import { operationRoutes, queryRoutes, referenceRoutes } from './routes.js'

export interface AppOptions {
  db: Db
  clock: Clock
  actor: string
  logger?: boolean
}

/** Builds the HTTP API (not listening): routes under /api/v1, OpenAPI at /api/openapi.json, docs at /api/docs. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler((error, req, reply) => sendProblem(error, req, reply))
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not found', status: 404, code: 'route.not_found', detail: `no route ${req.method} ${req.url}` }),
  )
  await app.register(swagger, {
    openapi: {
      info: { title: 'Serial Ledger API', version: '1.0.0', description: 'Serialized inventory: every unit, its history and its provenance.' },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  const ctx: HttpContext = { db: options.db, clock: options.clock, actor: options.actor }
  await app.register(
    async (api) => {
      api.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }))
      await api.register(referenceRoutes(ctx))
      await api.register(operationRoutes(ctx))
      await api.register(queryRoutes(ctx))
    },
    { prefix: '/api/v1' },
  )
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.ready()
  return app
}
