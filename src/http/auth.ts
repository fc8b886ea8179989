import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../core/context.js'
import { AppError } from '../core/errors.js'
import { isAllowed, type Policy, type Principal, resolveSession, resolveToken } from '../modules/accounts/index.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say (the app refuses to start otherwise). */
    policy?: Policy
  }
  interface FastifyRequest {
    principal?: Principal
  }
}

export const SESSION_COOKIE = 'sl_session'
export const CSRF_COOKIE = 'sl_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** One row of the route table: what the access-matrix test iterates. */
export interface RouteEntry {
  method: string
  url: string
  policy: Policy
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Registers authentication and authorisation: every route declares a policy (checked when it is
 * registered, so a new route without one fails at start-up and in every test), and every request is
 * checked against it before its body is parsed.
 */
export function installAuth(app: FastifyInstance, ctx: AppContext): RouteEntry[] {
  const routes: RouteEntry[] = []
  app.addHook('onRoute', (route) => {
    const isApi = route.url.startsWith('/api/')
    // Interactive docs (registered by a plugin) and the web app's static files are public.
    if (!route.config?.policy && (!isApi || route.url.startsWith('/api/docs')))
      route.config = { ...route.config, policy: 'public' }
    const policy = route.config?.policy
    if (!policy) throw new Error(`route ${String(route.method)} ${route.url} has no access policy (config.policy)`)
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, policy })
  })
  app.addHook('onRequest', async (req) => {
    const policy = req.routeOptions.config?.policy
    if (!policy || policy === 'public') return
    const principal = await authenticate(ctx, req)
    if (!principal) throw new AppError('auth.required', 'sign in, or send an API token as "Authorization: Bearer …"')
    if (
      principal.kind === 'session' &&
      !SAFE_METHODS.has(req.method) &&
      !matches(req.headers[CSRF_HEADER], principal.csrfToken)
    )
      throw new AppError('auth.csrf', `missing or wrong ${CSRF_HEADER} header`)
    if (principal.mustChangePassword && policy !== 'authenticated')
      throw new AppError('auth.password_change_required', 'set a new password first (POST /api/v1/auth/password)')
    if (!isAllowed(principal, policy))
      throw new AppError(
        'auth.forbidden',
        `${principal.username} (${principal.role}) may not do this (needs ${policy})`,
      )
    req.principal = principal
  })
  return routes
}

async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal | undefined> {
  const header = req.headers.authorization
  if (header) return header.startsWith('Bearer ') ? resolveToken(ctx, header.slice(7).trim()) : undefined
  const session = req.cookies?.[SESSION_COOKIE]
  return session ? resolveSession(ctx, session) : undefined
}

function matches(given: string | string[] | undefined, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected || given.length !== expected.length) return false
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected))
}

/** The principal of an authorised request (the onRequest hook guarantees one on non-public routes). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('auth.required', 'not signed in')
  return req.principal
}

/** Refuses unless the request's principal holds an extra permission (e.g. overriding a price). */
export function assertMay(req: FastifyRequest, policy: Policy, what: string): void {
  const p = principalOf(req)
  if (!isAllowed(p, policy)) throw new AppError('auth.forbidden', `${p.username} (${p.role}) may not ${what}`)
}
