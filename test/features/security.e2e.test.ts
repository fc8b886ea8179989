import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/core/clock.js'
import { buildApp } from '../../src/http/app.js'
import {
  ensureFirstAdmin,
  LOCKOUT_MINUTES,
  MAX_FAILED_LOGINS,
  type Policy,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
} from '../../src/modules/accounts/index.js'
import { DIALECTS, type TestDb } from '../dialects.js'
import { type ApiClient, appWithUsers, type Requester, rest, TEST_PASSWORD } from '../http.js'

/** A clock the test moves by hand (lockouts last 15 minutes). */
const manualClock = () => {
  let t = Date.parse('2026-06-01T09:00:00Z')
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) } satisfies Clock & {
    advance(ms: number): number
  }
}

const expectedStatus = (policy: Policy, who: Role | 'anonymous' | 'revoked'): 'allow' | 401 | 403 => {
  if (policy === 'public') return 'allow'
  if (who === 'anonymous' || who === 'revoked') return 401
  if (policy === 'authenticated') return 'allow'
  return ROLE_PERMISSIONS[who].includes(policy) ? 'allow' : 403
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: accounts, roles and security`, () => {
    let db: TestDb
    let app: FastifyInstance
    let clients: Record<Role, ApiClient>
    let revoked: ReturnType<Awaited<ReturnType<typeof appWithUsers>>['api']>
    let built: Awaited<ReturnType<typeof appWithUsers>>
    const clock = manualClock()
    beforeAll(async () => {
      // A file, so that SQLite's requests are checked the way a server checks them: by a credential remembered
      // since the last commit (no database read), not read again each time as on an in-memory database.
      db = await dialect.create({ file: true })
      built = await appWithUsers(db, clock)
      app = built.app
      clients = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await built.as(r)]))) as Record<
        Role,
        ApiClient
      >
      const gone = await built.as('admin')
      expect((await clients.admin({ method: 'DELETE', url: `/api/v1/tokens/${gone.tokenId}` })).statusCode).toBe(204)
      revoked = built.api(gone.token)
    })
    afterAll(async () => {
      await app.close()
      await db.drop()
    })

    it('allows and denies every route for every role, anonymous and a revoked token, as its policy says', async () => {
      const routes = app.routeTable.filter((r) => r.url.startsWith('/api/v1/'))
      expect(routes.length).toBeGreaterThan(30)
      const mismatches: string[] = []
      for (const route of routes) {
        const url = route.url.replace(/:[a-z]+/g, 'x')
        const request = {
          method: route.method as 'GET',
          url,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        }
        const callers: [Role | 'anonymous' | 'revoked', Requester][] = [
          ...ROLES.map((r) => [r, clients[r]] as [Role, Requester]),
          ['anonymous', (o) => app.inject(o)],
          ['revoked', revoked],
        ]
        for (const [who, call] of callers) {
          // Logging out would end nothing for tokens, but keep the matrix side-effect free.
          if (url === '/api/v1/auth/logout') continue
          const res = await call(request)
          const want = expectedStatus(route.policy, who)
          const ok = want === 'allow' ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === want
          if (!ok) mismatches.push(`${route.method} ${route.url} as ${who}: got ${res.statusCode}, want ${want}`)
        }
      }
      expect(mismatches).toEqual([])
    })

    it('refuses to start with a route that has no access policy', async () => {
      const bare = await buildApp({ db, clock })
      expect(() => bare.get('/api/v1/unguarded', async () => 'oops')).toThrow()
      await bare.close()
    })

    it('locks an account after repeated failures and unlocks it after the lockout', async () => {
      const { post } = rest((o) => app.inject(o))
      await built.as('clerk', { username: 'lockme' })
      for (let i = 0; i < MAX_FAILED_LOGINS; i++)
        expect((await post('/auth/login', { username: 'lockme', password: 'wrong-password!' })).json().code).toBe(
          'auth.invalid_credentials',
        )
      const locked = await post('/auth/login', { username: 'lockme', password: TEST_PASSWORD })
      expect(locked.statusCode).toBe(423)
      expect(locked.json().code).toBe('auth.locked')
      clock.advance(LOCKOUT_MINUTES * 60_000 + 1000)
      expect((await post('/auth/login', { username: 'lockme', password: TEST_PASSWORD })).statusCode).toBe(200)
      const unknown = await post('/auth/login', { username: 'nobody-here', password: TEST_PASSWORD })
      expect(unknown.json()).toMatchObject({ status: 401, detail: 'wrong user name or password' })
    })

    it('revokes a token at once', async () => {
      const client = await built.as('auditor')
      expect((await client({ method: 'GET', url: '/api/v1/skus' })).statusCode).toBe(200)
      expect((await clients.admin({ method: 'DELETE', url: `/api/v1/tokens/${client.tokenId}` })).statusCode).toBe(204)
      expect((await client({ method: 'GET', url: '/api/v1/skus' })).statusCode).toBe(401)
    })

    it('uses HttpOnly SameSite session cookies and refuses a write without the CSRF token', async () => {
      await built.as('manager', { username: 'mgr-cookie' })
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'mgr-cookie', password: TEST_PASSWORD },
      })
      const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c]))
      expect(cookies.sl_session).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
      expect(cookies.sl_csrf?.httpOnly).toBeFalsy()
      const cookie = `sl_session=${cookies.sl_session!.value}; sl_csrf=${cookies.sl_csrf!.value}`
      const sku = { code: 'CSRF-1', name: 'x', tracking: 'serial' }
      const forged = await app.inject({ method: 'POST', url: '/api/v1/skus', payload: sku, headers: { cookie } })
      expect(forged.json()).toMatchObject({ status: 403, code: 'auth.csrf' })
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/skus',
        payload: sku,
        headers: { cookie, 'x-csrf-token': 'x'.repeat(43) },
      })
      expect(wrong.statusCode).toBe(403)
      const good = await app.inject({
        method: 'POST',
        url: '/api/v1/skus',
        payload: sku,
        headers: { cookie, 'x-csrf-token': cookies.sl_csrf!.value },
      })
      expect(good.statusCode).toBe(201)
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json().user,
      ).toMatchObject({ username: 'mgr-cookie', role: 'manager' })
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'x-csrf-token': cookies.sl_csrf!.value },
      })
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401)
    })

    it("refuses a clerk of one store on another store's stock, and price changes by clerks", async () => {
      const admin = rest(clients.admin)
      for (const code of ['STORE-A', 'STORE-B'])
        expect((await admin.post('/locations', { code, name: code, kind: 'store' })).statusCode).toBe(201)
      await admin.post('/skus', { code: 'SCOPED', name: 'Phone', tracking: 'serial', price: 100 })
      await admin.post('/parties', { code: 'SUP-S', name: 'Sup', role: 'supplier' })
      for (const [loc, serial] of [
        ['STORE-A', 'A-1'],
        ['STORE-B', 'B-1'],
      ])
        await admin.post('/receipts', {
          supplier: 'SUP-S',
          location: loc,
          lines: [{ sku: 'SCOPED', serials: [serial] }],
        })
      const clerk = rest(await built.as('clerk', { locations: ['STORE-A'] }))
      const other = await clerk.post('/sales', { orderRef: 'S-1', units: ['B-1'] })
      expect(other.json()).toMatchObject({ status: 403, code: 'auth.out_of_scope' })
      expect((await clerk.post('/moves', { to: 'STORE-B', units: ['A-1'] })).json().code).toBe('auth.out_of_scope')
      expect(
        (await clerk.post('/sales', { orderRef: 'S-2', units: [{ serial: 'A-1', price: 1 }] })).json(),
      ).toMatchObject({ status: 403, code: 'auth.forbidden' })
      expect((await clerk.post('/sales', { orderRef: 'S-3', units: ['A-1'] })).statusCode).toBe(201)
    })

    it('creates the first admin with a one-time password that must be changed', async () => {
      const fresh = await dialect.create()
      try {
        const firstApp = await buildApp({ db: fresh, clock })
        const password = await ensureFirstAdmin({ db: fresh, clock })
        expect(password).toMatch(/^[A-Za-z0-9]{20}$/)
        expect(await ensureFirstAdmin({ db: fresh, clock })).toBeUndefined()
        const login = await firstApp.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'admin', password },
        })
        expect(login.json().user).toMatchObject({ role: 'admin', mustChangePassword: true })
        const csrf = login.json().csrfToken
        const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
        expect((await firstApp.inject({ method: 'GET', url: '/api/v1/skus', headers: { cookie } })).json().code).toBe(
          'auth.password_change_required',
        )
        const change = await firstApp.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          payload: { currentPassword: password, newPassword: 'a-much-better-secret' },
          headers: { cookie, 'x-csrf-token': csrf },
        })
        expect(change.statusCode).toBe(204)
        expect((await firstApp.inject({ method: 'GET', url: '/api/v1/skus', headers: { cookie } })).statusCode).toBe(
          200,
        )
        await firstApp.close()
      } finally {
        await fresh.drop()
      }
    })

    it('records admin actions and every ledger event with its real actor', async () => {
      const admin = rest(clients.admin)
      const user = await admin.post('/users', { username: 'promote-me', password: TEST_PASSWORD, role: 'clerk' })
      expect(user.statusCode).toBe(201)
      expect(
        (await clients.admin({ method: 'PATCH', url: '/api/v1/users/promote-me', payload: { role: 'manager' } })).json()
          .role,
      ).toBe('manager')
      const log = (await admin.get('/admin-events?limit=200')).json() as { action: string; subject: string }[]
      const actions = new Set(log.map((e) => e.action))
      for (const a of ['user.created', 'user.role_changed', 'token.issued', 'token.revoked', 'user.locked'])
        expect(actions).toContain(a)
      const actors = await db.kysely.selectFrom('event').select('actor').distinct().execute()
      expect(actors.map((a) => a.actor).every((a) => / \(token tests\)$/.test(a))).toBe(true)
    })

    it('sends security headers and keeps personal data out of public responses', async () => {
      await rest(clients.admin).post('/parties', {
        code: 'PRIV',
        name: 'Private Person',
        role: 'customer',
        email: 'private.person@example.com',
      })
      for (const url of ['/api/v1/health', '/api/openapi.json', '/api/v1/parties', '/api/v1/units/lookup?code=A-1']) {
        const res = await app.inject({ method: 'GET', url })
        expect(res.body).not.toContain('private.person@example.com')
        expect(res.body).not.toContain('Private Person')
        expect(res.headers['x-content-type-options']).toBe('nosniff')
      }
      const health = await app.inject({ method: 'GET', url: '/api/v1/health' })
      expect(health.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(health.headers['x-frame-options']).toBe('DENY')
      expect(health.headers['cache-control']).toBe('no-store')
      // HTML (the docs here; the web UI likewise) gets helmet's full set, scripts from our origin only.
      const docs = await app.inject({ method: 'GET', url: '/api/docs/' })
      expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(docs.headers['content-security-policy']).toContain("script-src 'self'")
      const crash = await app.inject({ method: 'GET', url: '/api/v1/units/lookup?code=' })
      expect(crash.body).not.toMatch(/at .*\.ts:\d+/)
    })
  })
}
