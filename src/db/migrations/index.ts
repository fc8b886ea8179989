import type { Migration, MigrationProvider } from 'kysely'
import * as createLedger from './2026_11_27_0500_create_ledger.js'
import * as createAccounts from './2026_11_27_0600_create_accounts.js'
import * as createCheckpoints from './2026_12_01_1300_create_checkpoints.js'
import * as createCounts from './2026_12_01_1300_create_counts.js'
import * as createOrdersAndWebhooks from './2026_12_01_1300_create_orders_and_webhooks.js'
import * as locationBarcode from './2026_12_01_1300_location_barcode_serial_example.js'
import * as skuSerialsUnique from './2026_12_01_1300_sku_serials_unique.js'
import * as codesUniqueIgnoringCase from './2026_12_01_1310_codes_unique_ignoring_case.js'
import * as createQuality from './2026_12_01_1400_create_quality.js'
import * as createWarranty from './2026_12_01_1500_create_warranty.js'
import * as lifecyclePricing from './2026_12_01_1600_lifecycle_pricing.js'
import * as webhookLease from './2026_12_01_1800_webhook_lease.js'
import * as openBoxBackInStock from './2026_12_01_1900_open_box_back_in_stock.js'
import * as createContainers from './2026_12_01_2000_create_containers.js'
import * as countScanCoveringIndexes from './2026_12_02_0300_count_scan_covering_indexes.js'
import * as skuLifecycleSettings from './2026_12_02_0300_sku_lifecycle_settings.js'
import * as releasedBackInStock from './2026_12_02_0300_unit_released_back_in_stock.js'
import * as unitSoldAtIndex from './2026_12_02_0600_unit_sold_at_ix.js'
import * as sequencedLog from './2026_12_02_0100_sequenced_log.js'
import * as defectAnalysisIndex from './2026_12_02_0200_defect_analysis_index.js'
import * as containerQuantities from './2026_12_02_0400_container_quantities.js'
import * as unitStock from './2026_12_03_0300_unit_stock.js'
import * as unitListKeysetIndexes from './2026_12_03_0310_unit_list_keyset_indexes.js'
import * as oneUnitStatusIndex from './2026_12_04_0200_one_unit_status_index.js'
import * as authVersion from './2026_12_05_0100_auth_version.js'

/** Every migration in order; explicit so it bundles and reviews easily. */
const migrations: Record<string, Migration> = {
  '2026_11_27_0500_create_ledger': createLedger,
  '2026_11_27_0600_create_accounts': createAccounts,
  '2026_12_01_1300_create_checkpoints': createCheckpoints,
  '2026_12_01_1300_create_counts': createCounts,
  '2026_12_01_1300_create_orders_and_webhooks': createOrdersAndWebhooks,
  '2026_12_01_1300_location_barcode_serial_example': locationBarcode,
  '2026_12_01_1300_sku_serials_unique': skuSerialsUnique,
  '2026_12_01_1310_codes_unique_ignoring_case': codesUniqueIgnoringCase,
  '2026_12_01_1400_create_quality': createQuality,
  '2026_12_01_1500_create_warranty': createWarranty,
  '2026_12_01_1600_lifecycle_pricing': lifecyclePricing,
  '2026_12_01_1800_webhook_lease': webhookLease,
  '2026_12_01_1900_open_box_back_in_stock': openBoxBackInStock,
  '2026_12_01_2000_create_containers': createContainers,
  '2026_12_02_0300_count_scan_covering_indexes': countScanCoveringIndexes,
  '2026_12_02_0300_sku_lifecycle_settings': skuLifecycleSettings,
  '2026_12_02_0300_unit_released_back_in_stock': releasedBackInStock,
  '2026_12_02_0600_unit_sold_at_ix': unitSoldAtIndex,
  '2026_12_02_0100_sequenced_log': sequencedLog,
  '2026_12_02_0200_defect_analysis_index': defectAnalysisIndex,
  '2026_12_02_0400_container_quantities': containerQuantities,
  '2026_12_03_0300_unit_stock': unitStock,
  '2026_12_03_0310_unit_list_keyset_indexes': unitListKeysetIndexes,
  '2026_12_04_0200_one_unit_status_index': oneUnitStatusIndex,
  '2026_12_05_0100_auth_version': authVersion,
}

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }
