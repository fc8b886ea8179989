import type { AppContext } from '../../core/context.js'
import type { Db } from '../../db/connect.js'
import type { Principal } from './roles.rules.js'

/** A principal as loaded, with the moment it stops being valid (token or session expiry). */
export interface LoadedPrincipal {
  principal: Principal
  expiresAt: string
}

interface Entry extends LoadedPrincipal {
  dataVersion: number
}

const caches = new WeakMap<Db, Map<string, Entry>>()
/** Most credentials remembered per database; past it the cache starts over (it only saves time). */
const MAX_ENTRIES = 1000

/**
 * Resolves a credential (an API token, a session id) to its principal, re-using the last answer while
 * the database has not changed since. Every request is authenticated, and hashing the secret plus
 * reading token and user cost a third of a scan lookup; SQLite's data_version says for almost nothing
 * whether any commit happened since, so a revoked token, a disabled user or a changed role is still
 * refused on the very next request, from any process. Where there is no such counter (PostgreSQL, an
 * in-memory database) every request loads. Unknown credentials are never remembered.
 */
export async function cachedPrincipal(
  ctx: AppContext,
  credential: string,
  load: () => Promise<LoadedPrincipal | undefined>,
): Promise<Principal | undefined> {
  // Read before loading: a commit between the two leaves an older version on the entry, so the next
  // request loads again rather than trusting a possibly stale answer.
  const dataVersion = ctx.db.dataVersion?.()
  const now = ctx.clock.now().toISOString()
  const remembered = entryAnswer(caches.get(ctx.db)?.get(credential), dataVersion, now)
  if (remembered !== undefined) return remembered ?? undefined
  const cache =
    dataVersion === undefined ? undefined : (caches.get(ctx.db) ?? caches.set(ctx.db, new Map()).get(ctx.db)!)
  const loaded = await load()
  if (!loaded || loaded.expiresAt <= now) {
    cache?.delete(credential)
    return undefined
  }
  if (cache && dataVersion !== undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear()
    cache.set(credential, { ...loaded, dataVersion })
  }
  return loaded.principal
}

/**
 * What `cachedPrincipal` would answer without loading, when it would not load: the principal, null for
 * one that has expired, undefined when the credential must be loaded (not remembered, or something was
 * committed since). Lets every request whose credential is remembered be checked without a promise.
 */
export function rememberedPrincipal(ctx: AppContext, credential: string): Principal | null | undefined {
  const hit = caches.get(ctx.db)?.get(credential)
  return hit && entryAnswer(hit, ctx.db.dataVersion?.(), ctx.clock.now().toISOString())
}

/** A remembered entry's answer at this data version and time (see `rememberedPrincipal`). */
function entryAnswer(
  hit: Entry | undefined,
  dataVersion: number | undefined,
  now: string,
): Principal | null | undefined {
  if (!hit || hit.dataVersion !== dataVersion) return undefined
  return hit.expiresAt > now ? hit.principal : null
}

/** PostgreSQL: a principal remembered with the `auth_version` it was read at. */
export interface VersionedPrincipal extends LoadedPrincipal {
  authVersion: number
}

const versioned = new WeakMap<Db, Map<string, VersionedPrincipal>>()

/**
 * PostgreSQL has no `data_version`, so an instance cannot tell for nothing whether another changed an
 * account. What it remembers is kept with the `auth_version` it was read at (read in the same statement
 * as the token, so of the same snapshot; the migration's triggers move it with every write of `app_user`
 * and `api_token`). Only a sequenced command trusts an entry without a read: its first statement reads
 * the counter, and a counter that moved sends the request back to read the token again
 * (`StalePrincipalError`), so a revoked token is refused by every instance on its next command.
 */
export function rememberVersioned(db: Db, credential: string, loaded: VersionedPrincipal): void {
  const cache = versioned.get(db) ?? versioned.set(db, new Map()).get(db)!
  const old = cache.get(credential)
  // Of two loads that overlap, the one read at the later version stays.
  if (old && old.authVersion > loaded.authVersion) return
  if (cache.size >= MAX_ENTRIES) cache.clear()
  cache.set(credential, loaded)
}

/** The remembered principal of a credential, while not expired, with the version it is valid for. */
export function versionedPrincipal(db: Db, credential: string, now: string): VersionedPrincipal | undefined {
  const hit = versioned.get(db)?.get(credential)
  return hit && hit.expiresAt > now ? hit : undefined
}

/** Forgets a credential (it was refused, or its version moved). */
export function forgetVersioned(db: Db, credential: string): void {
  versioned.get(db)?.delete(credential)
}
