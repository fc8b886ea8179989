import type { Migration, MigrationProvider } from 'kysely'
import * as createLedger from './2026_11_27_0500_create_ledger.js'
import * as createAccounts from './2026_11_27_0600_create_accounts.js'

/** Every migration in order; explicit so it bundles and reviews easily. */
const migrations: Record<string, Migration> = {
  '2026_11_27_0500_create_ledger': createLedger,
  '2026_11_27_0600_create_accounts': createAccounts,
}

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }
