import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import type { CompiledQuery, Kysely } from 'kysely'
import type { AppUserTable, Database, Executor } from '../../db/database.js'
import { recordAdminEvent } from './admin-events.repository.js'
import { cachedPrincipal, rememberedPrincipal } from './principal-cache.js'
import { ChangePasswordRequest, LoginRequest } from './accounts.schemas.js'
import { decoyHash, hashPassword, newSecret, verifyPassword } from './passwords.js'
import { permissionsOf, type Principal, type Role } from './roles.rules.js'

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15
export const SESSION_HOURS = 12

export const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex')

function principalOf(u: AppUserTable, kind: 'session' | 'token', extra: Partial<Principal> = {}): Principal {
  return {
    kind,
    userId: u.id,
    username: u.username,
    role: u.role as Role,
    locations: JSON.parse(u.locations) as string[],
    permissions: permissionsOf(u.role as Role),
    actor: u.username,
    mustChangePassword: u.must_change_password === 1,
    ...extra,
  }
}

/**
 * Checks a username and password. Five failures in a row lock the account for 15 minutes; an unknown
 * user costs the same hashing time as a known one, so the answer does not reveal which names exist.
 */
export async function login(
  ctx: AppContext,
  input: z.input<typeof LoginRequest>,
): Promise<{ sessionId: string; principal: Principal }> {
  const req = LoginRequest.parse(input)
  const now = ctx.clock.now()
  const db = ctx.db.kysely
  const user = await db.selectFrom('app_user').selectAll().where('username', '=', req.username).executeTakeFirst()
  const isValid = await verifyPassword(user?.password_hash ?? (await decoyHash()), req.password)
  if (!user || !user.is_active) throw new AppError('auth.invalid_credentials', 'wrong user name or password')
  if (user.locked_until && user.locked_until > now.toISOString())
    throw new AppError('auth.locked', `too many failed sign-ins; try again after ${user.locked_until}`, {
      lockedUntil: user.locked_until,
    })
  if (!isValid) {
    const failures = user.failed_logins + 1
    const lockedUntil =
      failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null
    await db
      .updateTable('app_user')
      .set({ failed_logins: lockedUntil ? 0 : failures, locked_until: lockedUntil })
      .where('id', '=', user.id)
      .execute()
    if (lockedUntil)
      await recordAdminEvent(db, {
        actor: 'system',
        action: 'user.locked',
        subject: user.username,
        details: { until: lockedUntil },
        at: now,
      })
    throw new AppError('auth.invalid_credentials', 'wrong user name or password')
  }
  const sessionId = newSecret()
  const csrfToken = newSecret()
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute()
  await db
    .insertInto('session')
    .values({
      id_hash: sha256(sessionId),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    })
    .execute()
  return { sessionId, principal: principalOf(user, 'session', { csrfToken }) }
}

/** The principal of a live session cookie, or undefined when it is unknown, expired or the user is disabled. */
export async function resolveSession(ctx: AppContext, sessionId: string): Promise<Principal | undefined> {
  return cachedPrincipal(ctx, `session:${sessionId}`, async () => {
    const db = ctx.db.kysely
    // Checked on every request of the web UI: compiled once, re-run on the read connection.
    const compiled = sessionQueries.get(db) ?? sessionQueries.set(db, sessionQuery(db, '').compile()).get(db)!
    const [row] = await ctx.db.read<SessionRow>({ ...compiled, parameters: [sha256(sessionId)] })
    if (!row || row.is_active !== 1) return undefined
    return { principal: principalOf(row, 'session', { csrfToken: row.csrf_token }), expiresAt: row.expires_at }
  })
}

/** `resolveSession`'s answer when it would not read (see `rememberedPrincipal`). */
export const rememberedSession = (ctx: AppContext, sessionId: string): Principal | null | undefined =>
  rememberedPrincipal(ctx, `session:${sessionId}`)

const sessionQuery = (db: Kysely<Database>, idHash: string) =>
  db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .selectAll('app_user')
    .select(['session.csrf_token', 'session.expires_at'])
    .where('session.id_hash', '=', idHash)
type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>>
const sessionQueries = new WeakMap<Kysely<Database>, CompiledQuery<SessionRow>>()

export async function logout(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', sha256(sessionId)).execute()
}

/** Changes one's own password after checking the current one; ends every other session. */
export async function changePassword(
  ctx: AppContext,
  principal: Principal,
  input: z.input<typeof ChangePasswordRequest>,
  keepSessionId?: string,
): Promise<void> {
  const req = ChangePasswordRequest.parse(input)
  const user = await ctx.db.kysely
    .selectFrom('app_user')
    .selectAll()
    .where('id', '=', principal.userId)
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(user.password_hash, req.currentPassword)))
    throw new AppError('auth.invalid_credentials', 'the current password is wrong')
  if (req.newPassword === req.currentPassword)
    throw new AppError('request.invalid', 'newPassword: choose a password different from the current one')
  const hash = await hashPassword(req.newPassword)
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ password_hash: hash, must_change_password: 0 })
      .where('id', '=', user.id)
      .execute()
    let others = trx.deleteFrom('session').where('user_id', '=', user.id)
    if (keepSessionId) others = others.where('id_hash', '!=', sha256(keepSessionId))
    await others.execute()
    await recordAdminEvent(trx, {
      actor: principal.actor,
      action: 'user.password_changed',
      subject: user.username,
      at: ctx.clock.now(),
    })
  })
}

export { principalOf }
