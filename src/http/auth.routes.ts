import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import * as accounts from '../modules/accounts/index.js'
import { connect, type Db } from '../db/connect.js'
import { verifyLedger } from '../modules/ledger/verify.js'

/**
 * A SQLite file has one connection per process, and verify reads for as long as the ledger is big, so
 * it gets a connection of its own and the server keeps answering meanwhile.
 */
async function verifyOnOwnConnection(db: Db) {
  if (db.dialect !== 'sqlite' || db.url.endsWith(':memory:')) return verifyLedger(db)
  const own = connect(db.url)
  try {
    return await verifyLedger(own)
  } finally {
    await own.close()
  }
}
import { CSRF_COOKIE, principalOf, SESSION_COOKIE } from './auth.js'
import type { HttpContext } from './context.js'

const meOf = (p: accounts.Principal): accounts.Me => ({
  user: { username: p.username, role: p.role, locations: p.locations, mustChangePassword: p.mustChangePassword },
  csrfToken: p.csrfToken,
})

/** Cookies are Secure except on plain-HTTP localhost, which browsers treat as a secure context anyway. */
function setSessionCookies(req: FastifyRequest, reply: FastifyReply, sessionId: string, csrfToken: string): void {
  const secure =
    req.protocol === 'https' || !['localhost', '127.0.0.1', '[::1]'].includes(req.hostname.replace(/:\d+$/, ''))
  const base = { path: '/', sameSite: 'strict' as const, secure, maxAge: accounts.SESSION_HOURS * 3600 }
  reply.setCookie(SESSION_COOKIE, sessionId, { ...base, httpOnly: true })
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false })
}

/** Sign-in, sign-out and one's own password; a tight rate limit guards the public sign-in route. */
export function authRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['auth']
    app.post(
      '/auth/login',
      {
        config: { policy: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Sign in (sets the session and CSRF cookies)',
          body: accounts.LoginRequest,
          response: { 200: accounts.Me },
        },
      },
      async (req, reply) => {
        const { sessionId, principal } = await accounts.login(ctx, req.body)
        setSessionCookies(req, reply, sessionId, principal.csrfToken!)
        return meOf(principal)
      },
    )
    app.post(
      '/auth/logout',
      { config: { policy: 'authenticated' }, schema: { tags, summary: 'Sign out' } },
      async (req, reply) => {
        const session = req.cookies[SESSION_COOKIE]
        if (session) await accounts.logout(ctx.db.kysely, session)
        reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' })
        return reply.code(204).send()
      },
    )
    app.get(
      '/auth/me',
      { config: { policy: 'authenticated' }, schema: { tags, summary: 'Who am I', response: { 200: accounts.Me } } },
      async (req) => meOf(principalOf(req)),
    )
    app.post(
      '/auth/password',
      {
        config: { policy: 'authenticated' },
        schema: { tags, summary: 'Change my password', body: accounts.ChangePasswordRequest },
      },
      async (req, reply) => {
        await accounts.changePassword(ctx, principalOf(req), req.body, req.cookies[SESSION_COOKIE])
        return reply.code(204).send()
      },
    )
  }
}

/** Users, API tokens, the admin log and ledger verification. */
export function adminRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely
    const tags = ['admin']
    const admin = { policy: 'users.manage' as const }
    const UserParam = z.object({ username: z.string().min(1).max(64) })
    app.get(
      '/users',
      { config: admin, schema: { tags, summary: 'List users', response: { 200: z.array(accounts.UserView) } } },
      async () => accounts.listUsers(db),
    )
    app.post(
      '/users',
      {
        config: admin,
        schema: {
          tags,
          summary: 'Create a user',
          body: accounts.CreateUserRequest,
          response: { 201: accounts.UserView },
        },
      },
      async (req, reply) => reply.code(201).send(await accounts.createUser(ctx, principalOf(req).actor, req.body)),
    )
    app.patch(
      '/users/:username',
      {
        config: admin,
        schema: {
          tags,
          summary: "Change a user's role, locations, active flag or password",
          params: UserParam,
          body: accounts.UpdateUserRequest,
          response: { 200: accounts.UserView },
        },
      },
      async (req) => accounts.updateUser(ctx, principalOf(req).actor, req.params.username, req.body),
    )
    app.get(
      '/tokens',
      {
        config: admin,
        schema: {
          tags,
          summary: 'List API tokens (never their secrets)',
          response: { 200: z.array(accounts.TokenView) },
        },
      },
      async () => accounts.listTokens(db),
    )
    app.post(
      '/tokens',
      {
        config: admin,
        schema: {
          tags,
          summary: 'Issue an API token (the secret is shown once)',
          body: accounts.CreateTokenRequest,
          response: { 201: accounts.CreatedToken },
        },
      },
      async (req, reply) => reply.code(201).send(await accounts.createToken(ctx, principalOf(req), req.body)),
    )
    app.delete(
      '/tokens/:id',
      { config: admin, schema: { tags, summary: 'Revoke an API token', params: z.object({ id: z.string().max(64) }) } },
      async (req, reply) => {
        await accounts.revokeToken(ctx, principalOf(req), req.params.id)
        return reply.code(204).send()
      },
    )
    app.get(
      '/admin-events',
      {
        config: { policy: 'ledger.audit' },
        schema: {
          tags,
          summary: 'Administrative actions, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
        },
      },
      async (req) => accounts.listAdminEvents(db, req.query.limit),
    )
    app.get(
      '/ledger/verify',
      {
        config: { policy: 'ledger.audit' },
        schema: { tags: ['ledger'], summary: 'Re-compute the hash chain and compare projections with a replay' },
      },
      async () => verifyOnOwnConnection(ctx.db),
    )
  }
}
