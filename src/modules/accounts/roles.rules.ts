export const ROLES = ['admin', 'manager', 'clerk', 'auditor'] as const
export type Role = (typeof ROLES)[number]

export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** What a route may require. `public` needs nobody; `authenticated` needs any signed-in principal. */
export const PERMISSIONS = [
  'stock.read',
  'stock.operate',
  'stock.adjust',
  'price.override',
  'catalog.write',
  'ledger.audit',
  'users.manage',
  'webhooks.manage',
] as const
export type Permission = (typeof PERMISSIONS)[number]
export type Policy = Permission | 'public' | 'authenticated'

/**
 * The role table. A clerk receives, moves, sells and returns (no adjustments, no price overrides, no
 * catalog changes); an auditor reads everything and verifies the ledger but writes nothing.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['stock.read', 'stock.operate', 'stock.adjust', 'price.override', 'catalog.write', 'ledger.audit'],
  clerk: ['stock.read', 'stock.operate'],
  auditor: ['stock.read', 'ledger.audit'],
}

/** An API token never does more than its scope, nor more than the user who owns it. */
export const SCOPE_PERMISSIONS: Record<TokenScope, readonly Permission[]> = {
  read: ['stock.read', 'ledger.audit'],
  write: ['stock.read', 'ledger.audit', 'stock.operate', 'stock.adjust', 'price.override', 'catalog.write'],
  admin: PERMISSIONS,
}

/** The widest token scope a role may hold: a token never claims more than its owner can do. */
export const MAX_SCOPE_OF_ROLE: Record<Role, TokenScope> = {
  admin: 'admin',
  manager: 'write',
  clerk: 'write',
  auditor: 'read',
}

/** Whether a token of `scope` would claim more than a user of `role` may do. */
export const isScopeAboveRole = (scope: TokenScope, role: Role): boolean =>
  TOKEN_SCOPES.indexOf(scope) > TOKEN_SCOPES.indexOf(MAX_SCOPE_OF_ROLE[role])

export function permissionsOf(role: Role, scope?: TokenScope): Set<Permission> {
  const fromRole = ROLE_PERMISSIONS[role]
  return new Set(scope ? fromRole.filter((p) => SCOPE_PERMISSIONS[scope].includes(p)) : fromRole)
}

/** Who is making a request, as resolved from a session cookie or an API token. */
export interface Principal {
  kind: 'session' | 'token'
  userId: string
  username: string
  role: Role
  /** Location codes the principal may act in; empty means everywhere. */
  locations: string[]
  permissions: Set<Permission>
  /** Recorded on every event: the user, or the token and its owner. */
  actor: string
  csrfToken?: string
  mustChangePassword: boolean
}

export function isAllowed(principal: Principal, policy: Policy): boolean {
  if (policy === 'public' || policy === 'authenticated') return true
  return principal.permissions.has(policy)
}
