import type { Generated, Kysely, Transaction } from 'kysely'
import type { CatalogTables } from '../modules/catalog/catalog.tables.js'
import type { LocationTables } from '../modules/locations/locations.tables.js'
import type { PartyTables } from '../modules/parties/parties.tables.js'
import type { LotTables } from '../modules/lots/lots.tables.js'
import type { DocumentTables } from '../modules/documents/documents.tables.js'
import type { LedgerTables } from '../modules/ledger/ledger.tables.js'
import type { UnitTables } from '../modules/units/units.tables.js'
import type { StockTables } from '../modules/stock/stock.tables.js'
import type { IdempotencyTables } from '../modules/idempotency/idempotency.tables.js'
import type { AccountTables } from '../modules/accounts/accounts.tables.js'
import type { ProofTables } from '../modules/proofs/proofs.tables.js'
import type { CountTables } from '../modules/counts/counts.tables.js'
import type { IntegrationTables } from '../modules/integrations/integrations.tables.js'
import type { QualityTables } from '../modules/quality/quality.tables.js'
import type { WarrantyTables } from '../modules/warranty/warranty.tables.js'
import type { PricingTables } from '../modules/pricing/pricing.tables.js'
import type { ContainerTables } from '../modules/containers/containers.tables.js'

/** The whole schema: every module declares its own tables (`*.tables.ts`), combined here. */
export interface Database
  extends
    CatalogTables,
    LocationTables,
    PartyTables,
    LotTables,
    DocumentTables,
    LedgerTables,
    UnitTables,
    StockTables,
    IdempotencyTables,
    AccountTables,
    ProofTables,
    CountTables,
    IntegrationTables,
    QualityTables,
    WarrantyTables,
    PricingTables,
    ContainerTables {}

export type { SkuTable } from '../modules/catalog/catalog.tables.js'
export type { LocationTable } from '../modules/locations/locations.tables.js'
export type { PartyTable } from '../modules/parties/parties.tables.js'
export type { LotTable } from '../modules/lots/lots.tables.js'
export type { DocumentTable, ExpectedSerialTable } from '../modules/documents/documents.tables.js'
export type {
  EventTable,
  EventUnitTable,
  EventQuantityTable,
  LedgerHeadTable,
} from '../modules/ledger/ledger.tables.js'
export type { UnitTable, UnitIdentifierTable } from '../modules/units/units.tables.js'
export type { StockTable } from '../modules/stock/stock.tables.js'
export type { IdempotencyTable } from '../modules/idempotency/idempotency.tables.js'
export type { CheckpointTable } from '../modules/proofs/proofs.tables.js'
export type { AppUserTable, SessionTable, ApiTokenTable, AdminEventTable } from '../modules/accounts/accounts.tables.js'

/** Something queries run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
export type Trx = Transaction<Database>
export type { Generated }
