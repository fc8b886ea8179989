import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { listAdminEvents } from './admin-events.repository.js'
import * as schemas from './accounts.schemas.js'
import type { Principal } from './roles.rules.js'
import { changePassword, login, logout, SESSION_HOURS } from './sessions.service.js'
import { createToken, listTokens, revokeToken } from './tokens.service.js'
import { createUser, listUsers, updateUser } from './users.service.js'

import { CSRF_COOKIE, principalOf, SESSION_COOKIE } from '../../http/auth.js'
import type { HttpContext, ModuleRoutes } from '../../http/context.js'
import { LimitQuery, route } from '../../http/route-schemas.js'

const meOf = (p: Principal): schemas.Me => ({
  user: { username: p.username, role: p.role, locations: p.locations, mustChangePassword: p.mustChangePassword },
  csrfToken: p.csrfToken,
})

/** Cookies are Secure except on plain-HTTP localhost, which browsers treat as a secure context anyway. */
function setSessionCookies(req: FastifyRequest, reply: FastifyReply, sessionId: string, csrfToken: string): void {
  const secure =
    req.protocol === 'https' || !['localhost', '127.0.0.1', '[::1]'].includes(req.hostname.replace(/:\d+$/, ''))
  const base = { path: '/', sameSite: 'strict' as const, secure, maxAge: SESSION_HOURS * 3600 }
  reply.setCookie(SESSION_COOKIE, sessionId, { ...base, httpOnly: true })
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false })
}

/** Sign-in, sign-out and one's own password; a tight rate limit guards the public sign-in route. */
function authRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['auth']
    app.post(
      '/auth/login',
      {
        config: { policy: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Sign in (sets the session and CSRF cookies)',
          body: schemas.LoginRequest,
          response: { 200: schemas.Me },
        },
      },
      async (req, reply) => {
        const { sessionId, principal } = await login(ctx, req.body)
        setSessionCookies(req, reply, sessionId, principal.csrfToken!)
        return meOf(principal)
      },
    )
    app.post(
      '/auth/logout',
      { config: { policy: 'authenticated' }, schema: { tags, summary: 'Sign out' } },
      async (req, reply) => {
        const session = req.cookies[SESSION_COOKIE]
        if (session) await logout(ctx.db.kysely, session)
        reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' })
        return reply.code(204).send()
      },
    )
    app.get(
      '/auth/me',
      { config: { policy: 'authenticated' }, schema: { tags, summary: 'Who am I', response: { 200: schemas.Me } } },
      async (req) => meOf(principalOf(req)),
    )
    app.post(
      '/auth/password',
      route('authenticated', { tags, summary: 'Change my password', body: schemas.ChangePasswordRequest }),
      async (req, reply) => {
        await changePassword(ctx, principalOf(req), req.body, req.cookies[SESSION_COOKIE])
        return reply.code(204).send()
      },
    )
  }
}

/** Users, API tokens, the admin log and ledger verification. */
function adminRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely
    const tags = ['admin']
    const admin = { policy: 'users.manage' as const }
    const UserParam = z.object({ username: z.string().min(1).max(64) })
    app.get(
      '/users',
      { config: admin, schema: { tags, summary: 'List users', response: { 200: z.array(schemas.UserView) } } },
      async () => listUsers(db),
    )
    app.post(
      '/users',
      {
        config: admin,
        schema: {
          tags,
          summary: 'Create a user with a one-time password (changed at first sign-in)',
          body: schemas.CreateUserRequest,
          response: { 201: schemas.UserView },
        },
      },
      // The admin chose the password, so it is a one-time password: the user sets their own at first sign-in.
      async (req, reply) =>
        reply.code(201).send(await createUser(ctx, principalOf(req).actor, req.body, { mustChangePassword: true })),
    )
    app.patch(
      '/users/:username',
      {
        config: admin,
        schema: {
          tags,
          summary: "Change a user's role, locations, active flag or password",
          params: UserParam,
          body: schemas.UpdateUserRequest,
          response: { 200: schemas.UserView },
        },
      },
      async (req) => updateUser(ctx, principalOf(req).actor, req.params.username, req.body),
    )
    app.get(
      '/tokens',
      {
        config: admin,
        schema: {
          tags,
          summary: 'List API tokens (never their secrets)',
          response: { 200: z.array(schemas.TokenView) },
        },
      },
      async () => listTokens(db),
    )
    app.post(
      '/tokens',
      {
        config: admin,
        schema: {
          tags,
          summary: 'Issue an API token (the secret is shown once)',
          body: schemas.CreateTokenRequest,
          response: { 201: schemas.CreatedToken },
        },
      },
      async (req, reply) => reply.code(201).send(await createToken(ctx, principalOf(req), req.body)),
    )
    app.delete(
      '/tokens/:id',
      { config: admin, schema: { tags, summary: 'Revoke an API token', params: z.object({ id: z.string().max(64) }) } },
      async (req, reply) => {
        await revokeToken(ctx, principalOf(req), req.params.id)
        return reply.code(204).send()
      },
    )
    app.get(
      '/admin-events',
      route('ledger.audit', {
        tags,
        summary: 'Administrative actions, newest first',
        querystring: LimitQuery,
        response: { 200: z.array(schemas.AdminEvent) },
      }),
      async (req) => listAdminEvents(db, req.query.limit),
    )
  }
}

/** Sign-in and accounts: the session routes and the admin's users, tokens and log. */
export const accountRoutes: ModuleRoutes = (ctx) => async (app) => {
  await app.register(authRoutes(ctx))
  await app.register(adminRoutes(ctx))
}
