import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import helmet from 'helmet'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { inProcessCommands, type StockCommands } from '../commands/stock-commands.js'
import type { Clock } from '../core/clock.js'
import { AppError } from '../core/errors.js'
import type { Db } from '../db/connect.js'
import { type DisplaySettings, displaySettingsOf } from '../display-settings.js'
import { installAuth, type RouteEntry } from './auth.js'
import type { HttpContext } from './context.js'
import { sendProblem } from './problem.js'
import { responseSerializer } from './response-serializer.js'
import type { ProofSettings } from '../modules/proofs/index.js'
import { MODULE_ROUTES } from '../modules/registry.js'
import { operationRoutes } from './operation-routes.js'
import { webApp } from './web.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access policy, for the access-matrix test and for reviewers. */
    routeTable: RouteEntry[]
  }
}

/** Security headers of JSON API responses: nothing in them may be framed, sniffed, scripted or cached. */
const API_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
}

export interface AppOptions {
  db: Db
  clock: Clock
  logger?: boolean
  /** Where stock commands run (the caller owns and closes it); by default in this thread, on `db`. */
  commands?: StockCommands
  /** The signing key and witness for checkpoints made through the API. */
  proofs?: ProofSettings
  /** How the web shows money; by default from the environment (SERIAL_LEDGER_CURRENCY, the locale). */
  display?: DisplaySettings
}

/** Builds the HTTP API (not listening): routes under /api/v1, OpenAPI at /api/openapi.json, docs at /api/docs. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(responseSerializer)
  app.setErrorHandler((error, req, reply) => sendProblem(error, req, reply))
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'route.not_found',
        detail: `no route ${req.method} ${req.url}`,
      }),
  )
  const base = { db: options.db, clock: options.clock }
  const ctx: HttpContext = {
    ...base,
    commands: options.commands ?? inProcessCommands(base),
    proofs: options.proofs,
    display: options.display ?? displaySettingsOf(process.env),
  }
  // Cookies must be parsed and security headers set before the access check runs (hooks run in order).
  await app.register(cookie)
  // Helmet's full set is for HTML pages (the web UI, the docs). JSON API responses get a short, stricter,
  // precomputed set: computing helmet's per request cost a quarter of a scan lookup's time. One hook that
  // calls helmet's middleware itself, not @fastify/helmet's plugin: its two hooks (one building a closure
  // on every reply) ran on every API request too, for nothing.
  const pageHeaders = helmet({
    // 'wasm-unsafe-eval' lets the camera scanner compile its WebAssembly (zxing-wasm, served from /assets/);
    // it allows no JavaScript eval.
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'", "'wasm-unsafe-eval'"], 'img-src': ["'self'", 'data:'] },
    },
  })
  app.addHook('onRequest', (req, reply, done) => {
    if (!req.url.startsWith('/api/v1/')) return pageHeaders(req.raw, reply.raw, (e) => done(e as Error | undefined))
    reply.headers(API_SECURITY_HEADERS)
    done()
  })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate.limited', `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  })
  app.decorate('routeTable', installAuth(app, ctx))
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Serial Ledger API',
        version: '1.0.0',
        description: 'Serialized inventory: every unit, its history and its provenance.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'sl_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  await app.register(
    async (api) => {
      api.get(
        '/health',
        { config: { policy: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } }, schema: { hide: true } },
        async () => ({ status: 'ok' }),
      )
      await api.register(operationRoutes(ctx))
      for (const routes of MODULE_ROUTES) await api.register(routes(ctx))
    },
    { prefix: '/api/v1' },
  )
  await app.register(webApp())
  app.get(
    '/api/openapi.json',
    { config: { policy: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: { hide: true } },
    async () => app.swagger(),
  )
  await app.ready()
  return app
}
