import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../core/context.js'
import { AppError } from '../core/errors.js'
import {
  isAllowed,
  type Policy,
  type Principal,
  rememberedSession,
  rememberedToken,
  resolveSession,
  resolveToken,
  resolveTokenForCommand,
} from '../modules/accounts/index.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say (the app refuses to start otherwise). */
    policy?: Policy
    /**
     * A stock command's route: on PostgreSQL's sequenced path an API token this instance remembers is
     * not read again here; the command checks in its first statement that no account or token changed
     * since it was read (`req.authVersion`), and the route reads it again when one did.
     */
    command?: boolean
  }
  interface FastifyRequest {
    principal?: Principal
    /** The `auth_version` the request's remembered principal was read at (see `command` above). */
    authVersion?: number
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
  app.addHook('onRequest', (req, _reply, done) => {
    const policy = req.routeOptions.config?.policy
    if (!policy || policy === 'public') return done()
    // Most requests come with a credential remembered since the last commit: checked without a promise.
    const remembered = rememberedCredential(ctx, req)
    if (remembered !== undefined) {
      const refusal = refusalOf(req, remembered ?? undefined, policy)
      if (!refusal) req.principal = remembered!
      return done(refusal)
    }
    checkAccess(ctx, req, policy).then(() => done(), done)
  })
  return routes
}

/** The access check of a request whose credential is not remembered: reads it, sets `req.principal` or throws. */
async function checkAccess(ctx: AppContext, req: FastifyRequest, policy: Policy): Promise<void> {
  const token = req.routeOptions.config?.command ? await commandToken(ctx, req) : undefined
  if (token?.authVersion !== undefined) {
    // A remembered principal: one that these checks refuse is read again first, it may be out of date.
    if (refusalOf(req, token.principal, policy) === undefined) {
      req.principal = token.principal
      req.authVersion = token.authVersion
      return
    }
  } else if (token) {
    // Read just now.
    const refusal = refusalOf(req, token.principal, policy)
    if (refusal) throw refusal
    req.principal = token.principal
    return
  }
  await authenticateAfresh(ctx, req)
}

/**
 * Reads the request's credential (no remembered principal) and checks it against the route's policy:
 * the access check of every request, and what a stock command's route does again when the remembered
 * principal it ran for turned out stale. Sets `req.principal`, or throws the refusal.
 */
export async function authenticateAfresh(ctx: AppContext, req: FastifyRequest): Promise<void> {
  const policy = req.routeOptions.config?.policy ?? 'authenticated'
  const principal = await authenticate(ctx, req)
  const refusal = refusalOf(req, principal, policy)
  if (refusal) throw refusal
  req.principal = principal
  req.authVersion = undefined
}

function refusalOf(req: FastifyRequest, principal: Principal | undefined, policy: Policy): AppError | undefined {
  if (!principal) return new AppError('auth.required', 'sign in, or send an API token as "Authorization: Bearer …"')
  if (
    principal.kind === 'session' &&
    !SAFE_METHODS.has(req.method) &&
    !matches(req.headers[CSRF_HEADER], principal.csrfToken)
  )
    return new AppError('auth.csrf', `missing or wrong ${CSRF_HEADER} header`)
  if (principal.mustChangePassword && policy !== 'authenticated')
    return new AppError('auth.password_change_required', 'set a new password first (POST /api/v1/auth/password)')
  if (!isAllowed(principal, policy))
    return new AppError('auth.forbidden', `${principal.username} (${principal.role}) may not do this (needs ${policy})`)
  return undefined
}

/**
 * A stock command's API token: the principal this instance remembers, with the `auth_version` it is valid
 * for (PostgreSQL, sequenced), or else read now (no version; none for an unknown token). Undefined when
 * the request sends no API token.
 */
async function commandToken(
  ctx: AppContext,
  req: FastifyRequest,
): Promise<{ principal?: Principal; authVersion?: number } | undefined> {
  const header = req.headers.authorization
  if (!header?.startsWith('Bearer ')) return undefined
  return (await resolveTokenForCommand(ctx, header.slice(7).trim())) ?? {}
}

/** The request credential's principal when it is remembered (null: refused); undefined when it must be read. */
function rememberedCredential(ctx: AppContext, req: FastifyRequest): Principal | null | undefined {
  const header = req.headers.authorization
  if (header) return header.startsWith('Bearer ') ? rememberedToken(ctx, header.slice(7).trim()) : null
  const session = req.cookies?.[SESSION_COOKIE]
  return session ? rememberedSession(ctx, session) : null
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
