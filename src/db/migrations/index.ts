import type { Migration, MigrationProvider } from 'kysely'
import * as createLedger from './2026_11_27_0500_create_ledger.js'
import * as createAccounts from './2026_11_27_0600_create_accounts.js'
import * as skuSerialsUnique from './2026_12_01_1300_sku_serials_unique.js'

/** Every migration in order; explicit so it bundles and reviews easily. */
const migrations: Record<string, Migration> = {
  '2026_11_27_0500_create_ledger': createLedger,
  '2026_11_27_0600_create_accounts': createAccounts,
  '2026_12_01_1300_sku_serials_unique': skuSerialsUnique,
}

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }
