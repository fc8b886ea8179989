/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface AppUserTable {
  id: string
  username: string
  password_hash: string
  role: string
  /** JSON array of location codes the user may act in; empty means everywhere. */
  locations: string
  is_active: number
  must_change_password: number
  failed_logins: number
  locked_until: string | null
  created_at: string
}

export interface SessionTable {
  id_hash: string
  user_id: string
  csrf_token: string
  created_at: string
  expires_at: string
}

export interface ApiTokenTable {
  id: string
  token_hash: string
  name: string
  user_id: string
  scope: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

export interface AdminEventTable {
  id: string
  at: string
  actor: string
  action: string
  subject: string
  details: string
}

/** Users, sessions, API tokens and the admin log. */
export interface AccountTables {
  app_user: AppUserTable
  session: SessionTable
  api_token: ApiTokenTable
  admin_event: AdminEventTable
}
