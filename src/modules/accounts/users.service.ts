import type { z } from 'zod'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { AppUserTable, Executor } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import { getLocationByCode } from '../locations/index.js'
import { recordAdminEvent } from './admin-events.repository.js'
import { CreateUserRequest, UpdateUserRequest, type UserView } from './accounts.schemas.js'
import { generatePassword, hashPassword } from './passwords.js'
import type { Role } from './roles.rules.js'

export const toUserView = (u: AppUserTable): UserView => ({
  username: u.username,
  role: u.role as Role,
  locations: JSON.parse(u.locations) as string[],
  isActive: u.is_active === 1,
  mustChangePassword: u.must_change_password === 1,
  lockedUntil: u.locked_until,
})

export async function getUserRow(db: Executor, username: string): Promise<AppUserTable> {
  const u = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst()
  if (!u) throw new AppError('user.not_found', `no user ${username}`)
  return u
}

async function assertLocationsExist(db: Executor, codes: readonly string[]): Promise<void> {
  for (const c of codes) await getLocationByCode(db, c)
}

/** Creates a user; admin only. The creation is recorded as an admin event. */
export async function createUser(
  ctx: AppContext,
  actor: string,
  input: z.input<typeof CreateUserRequest>,
  options: { mustChangePassword?: boolean } = {},
): Promise<UserView> {
  const req = CreateUserRequest.parse(input)
  await assertLocationsExist(ctx.db.kysely, req.locations)
  const now = ctx.clock.now()
  const row: AppUserTable = {
    id: newId(),
    username: req.username,
    password_hash: await hashPassword(req.password),
    role: req.role,
    locations: JSON.stringify(req.locations),
    is_active: 1,
    must_change_password: options.mustChangePassword ? 1 : 0,
    failed_logins: 0,
    locked_until: null,
    created_at: now.toISOString(),
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    try {
      await trx.insertInto('app_user').values(row).execute()
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('user.duplicate', `user ${req.username} already exists`)
      throw e
    }
    await recordAdminEvent(trx, {
      actor,
      action: 'user.created',
      subject: req.username,
      details: { role: req.role, locations: req.locations },
      at: now,
    })
  })
  return toUserView(row)
}

/** Changes a user's role, location scope, active flag or password; each change is recorded. */
export async function updateUser(
  ctx: AppContext,
  actor: string,
  username: string,
  input: z.input<typeof UpdateUserRequest>,
): Promise<UserView> {
  const req = UpdateUserRequest.parse(input)
  if (req.locations) await assertLocationsExist(ctx.db.kysely, req.locations)
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await getUserRow(trx, username)
    const set: Partial<AppUserTable> = {}
    if (req.role) set.role = req.role
    if (req.locations) set.locations = JSON.stringify(req.locations)
    if (req.isActive !== undefined) set.is_active = req.isActive ? 1 : 0
    if (req.password)
      Object.assign(set, {
        password_hash: await hashPassword(req.password),
        must_change_password: 1,
        failed_logins: 0,
        locked_until: null,
      })
    if (Object.keys(set).length === 0) return toUserView(before)
    await trx.updateTable('app_user').set(set).where('id', '=', before.id).execute()
    // A changed role, scope or password, or a deactivation, ends the user's open sessions at once.
    await trx.deleteFrom('session').where('user_id', '=', before.id).execute()
    const details = {
      role: req.role,
      locations: req.locations,
      isActive: req.isActive,
      passwordReset: req.password ? true : undefined,
    }
    await recordAdminEvent(trx, {
      actor,
      action: req.role && req.role !== before.role ? 'user.role_changed' : 'user.updated',
      subject: username,
      details,
      at: now,
    })
    return toUserView({ ...before, ...set })
  })
}

export async function listUsers(db: Executor): Promise<UserView[]> {
  return (await db.selectFrom('app_user').selectAll().orderBy('username').execute()).map(toUserView)
}

/**
 * First start: when no user exists, creates `admin` with a one-time password that must be changed at the
 * first sign-in. Returns the password to print, or undefined when users already exist.
 */
export async function ensureFirstAdmin(ctx: AppContext, username = 'admin'): Promise<string | undefined> {
  const any = await ctx.db.kysely.selectFrom('app_user').select('id').limit(1).executeTakeFirst()
  if (any) return undefined
  const password = generatePassword()
  try {
    await createUser(ctx, 'system', { username, password, role: 'admin' }, { mustChangePassword: true })
  } catch (e) {
    // Two instances starting at once: the other one created the first admin and printed its password.
    if (e instanceof AppError && e.code === 'user.duplicate') return undefined
    throw e
  }
  return password
}
