import type { z } from 'zod'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import { type CompiledQuery, type Kysely, sql } from 'kysely'
import type { Database, Executor } from '../../db/database.js'
import { recordAdminEvent } from './admin-events.repository.js'
import { CreateTokenRequest, type TokenView } from './accounts.schemas.js'
import { newSecret } from './passwords.js'
import {
  isScopeAboveRole,
  MAX_SCOPE_OF_ROLE,
  permissionsOf,
  type Principal,
  type Role,
  type TokenScope,
} from './roles.rules.js'
import { principalOf, sha256 } from './sessions.service.js'
import { getUserRow } from './users.service.js'
import {
  cachedPrincipal,
  forgetVersioned,
  rememberedPrincipal,
  rememberVersioned,
  type VersionedPrincipal,
  versionedPrincipal,
} from './principal-cache.js'

/** Token secrets carry a recognisable prefix so a leaked one is easy to find in logs and repositories. */
const TOKEN_PREFIX = 'slt_'

/** Issues an API token for integrations: shown once, stored as a hash, scoped and expiring. */
export async function createToken(
  ctx: AppContext,
  actor: Principal,
  input: z.input<typeof CreateTokenRequest>,
): Promise<TokenView & { token: string }> {
  const req = CreateTokenRequest.parse(input)
  const now = ctx.clock.now()
  const owner = await getUserRow(ctx.db.kysely, req.username ?? actor.username)
  const role = owner.role as Role
  if (isScopeAboveRole(req.scope, role))
    throw new AppError(
      'token.scope_above_role',
      `scope: ${owner.username} is ${role === 'admin' || role === 'auditor' ? 'an' : 'a'} ${role}; ` +
        `a token of theirs may have scope ${MAX_SCOPE_OF_ROLE[role]} at most, not ${req.scope}`,
      { issues: [{ field: 'scope', value: req.scope, message: `above the ${role} role` }] },
    )
  const secret = `${TOKEN_PREFIX}${newSecret()}`
  const view: TokenView = {
    id: newId(),
    name: req.name,
    username: owner.username,
    scope: req.scope,
    effectiveScope: req.scope,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + req.expiresInDays * 86_400_000).toISOString(),
    revokedAt: null,
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_token')
      .values({
        id: view.id,
        token_hash: sha256(secret),
        name: view.name,
        user_id: owner.id,
        scope: view.scope,
        created_at: view.createdAt,
        expires_at: view.expiresAt,
        revoked_at: null,
      })
      .execute()
    await recordAdminEvent(trx, {
      actor: actor.actor,
      action: 'token.issued',
      subject: view.id,
      details: { name: view.name, owner: owner.username, scope: view.scope, expiresAt: view.expiresAt },
      at: now,
    })
  })
  return { ...view, token: secret }
}

/** Revokes a token; the very next request with it is refused (tokens are checked on every request). */
export async function revokeToken(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_token')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new AppError('token.not_found', `no active token ${id}`)
    await recordAdminEvent(trx, { actor: actor.actor, action: 'token.revoked', subject: id, at: now })
  })
}

export async function listTokens(db: Executor): Promise<TokenView[]> {
  const rows = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select([
      'api_token.id',
      'api_token.name',
      'app_user.username',
      'app_user.role',
      'api_token.scope',
      'api_token.created_at',
      'api_token.expires_at',
      'api_token.revoked_at',
    ])
    .orderBy('api_token.created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    username: r.username,
    scope: r.scope as TokenScope,
    effectiveScope: isScopeAboveRole(r.scope as TokenScope, r.role as Role)
      ? MAX_SCOPE_OF_ROLE[r.role as Role]
      : (r.scope as TokenScope),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }))
}

/** The principal of a bearer token, or undefined when unknown, revoked, expired or its user is disabled. */
export async function resolveToken(ctx: AppContext, secret: string): Promise<Principal | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined
  if (ctx.db.dialect === 'postgres') {
    const loaded = await loadToken(ctx, secret)
    const now = ctx.clock.now().toISOString()
    if (!loaded || loaded.expiresAt <= now) {
      forgetVersioned(ctx.db, secret)
      return undefined
    }
    rememberVersioned(ctx.db, secret, loaded)
    return loaded.principal
  }
  return cachedPrincipal(ctx, `token:${secret}`, () => loadToken(ctx, secret))
}

/** `resolveToken`'s answer when it would not read (see `rememberedPrincipal`); always undefined on PostgreSQL. */
export function rememberedToken(ctx: AppContext, secret: string): Principal | null | undefined {
  if (!secret.startsWith(TOKEN_PREFIX)) return null
  return ctx.db.dialect === 'postgres' ? undefined : rememberedPrincipal(ctx, `token:${secret}`)
}

/**
 * The principal of a bearer token for a stock command. On PostgreSQL's sequenced path a principal this
 * instance remembers is answered without a read, with the `auth_version` it was read at: the command
 * checks in its first statement that the version has not moved since (a `StalePrincipalError` when it
 * has, and the caller reads the token again). Everywhere else, `resolveToken`.
 */
export async function resolveTokenForCommand(
  ctx: AppContext,
  secret: string,
): Promise<{ principal: Principal; authVersion?: number } | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined
  if (ctx.db.writePath === 'sequenced') {
    const hit = versionedPrincipal(ctx.db, secret, ctx.clock.now().toISOString())
    if (hit) return { principal: hit.principal, authVersion: hit.authVersion }
  }
  const principal = await resolveToken(ctx, secret)
  return principal && { principal }
}

/** Reads a token and its user; on PostgreSQL with the `auth_version` of the same snapshot. */
async function loadToken(ctx: AppContext, secret: string): Promise<VersionedPrincipal | undefined> {
  const db = ctx.db.kysely
  // Checked on every API request: compiled once, re-run on the read connection with the hash as its only parameter.
  const compiled =
    tokenQueries.get(db) ??
    tokenQueries
      .set(db, (ctx.db.dialect === 'postgres' ? withAuthVersion(tokenQuery(db, '')) : tokenQuery(db, '')).compile())
      .get(db)!
  const [row] = await ctx.db.read<TokenRow & { auth_version?: number | string }>({
    ...compiled,
    parameters: [sha256(secret)],
  })
  if (!row || row.revoked_at || row.is_active !== 1) return undefined
  const principal = principalOf(row, 'token', {
    permissions: permissionsOf(row.role as Role, row.scope as TokenScope),
    actor: `${row.username} (token ${row.token_name})`,
    mustChangePassword: false,
  })
  return { principal, expiresAt: row.expires_at, authVersion: Number(row.auth_version ?? 0) }
}

const tokenQuery = (db: Kysely<Database>, hash: string) =>
  db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .selectAll('app_user')
    .select(['api_token.name as token_name', 'api_token.scope', 'api_token.expires_at', 'api_token.revoked_at'])
    .where('api_token.token_hash', '=', hash)
const withAuthVersion = (q: ReturnType<typeof tokenQuery>) =>
  q.select(sql<string>`(select n from auth_version where id = 1)`.as('auth_version'))
type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenQuery>['executeTakeFirstOrThrow']>>
const tokenQueries = new WeakMap<Kysely<Database>, CompiledQuery<unknown>>()
