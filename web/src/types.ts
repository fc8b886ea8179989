/*
 * Shapes of the API's answers, derived from the zod schemas the server validates, serializes and
 * documents them with, so the web cannot drift from the server. Each type is the output of the schema
 * the route declares. The schemas are imported as types only, so neither they nor zod enter
 * the bundle; their modules import nothing but zod and pure modules, so no database or Node code enters
 * the web type-check either.
 */
import type { z } from 'zod'
import type { CreateUserRequest, Me, UpdateUserRequest, UserView } from '../../src/modules/accounts/accounts.schemas.js'
import type { CreateSkuRequest, SkuResponse } from '../../src/modules/catalog/catalog.schemas.js'
import type {
  DocumentSummary as DocumentSummarySchema,
  DocumentView as DocumentViewSchema,
} from '../../src/modules/documents/documents.schemas.js'
import type { LedgerEvent as LedgerEventSchema } from '../../src/modules/ledger/ledger.schemas.js'
import type { CreateLocationRequest, LocationResponse } from '../../src/modules/locations/locations.schemas.js'
import type { AdjustRequest, RestockRequest, ScrapRequest } from '../../src/modules/adjustments/adjustments.schemas.js'
import type {
  MoveRequest,
  ReceiveTransferRequest,
  ShipTransferRequest,
} from '../../src/modules/movements/movements.schemas.js'
import type { OperationResult as OperationResultSchema } from '../../src/modules/operations/operations.schemas.js'
import type { ReturnRequest, SellRequest } from '../../src/modules/sales/sales.schemas.js'
import type { CreatePartyRequest, PartyResponse } from '../../src/modules/parties/parties.schemas.js'
import type {
  ReceiptResult as ReceiptResultSchema,
  ReceiveRequest,
} from '../../src/modules/receiving/receiving.schemas.js'
import type { Dashboard as DashboardSchema } from '../../src/modules/reports/dashboard.schemas.js'
import type { StockRow as StockRowSchema } from '../../src/modules/stock/stock.schemas.js'
import type {
  Provenance as ProvenanceSchema,
  TimelineEntry as TimelineEntrySchema,
  UnitPage as UnitPageSchema,
  UnitView,
} from '../../src/modules/units/unit.schemas.js'

export type { UnitStatus } from '../../src/modules/units/unit-status.rules.js'
export type { Role } from '../../src/modules/accounts/roles.rules.js'
export type { Tracking } from '../../src/modules/catalog/sku.rules.js'
export { DOCUMENT_TYPES, type DocumentType } from '../../src/modules/documents/document-types.rules.js'

// Units
export type Unit = z.output<typeof UnitView>
export type UnitPage = z.output<typeof UnitPageSchema>
export type TimelineEntry = z.output<typeof TimelineEntrySchema>
export type Provenance = z.output<typeof ProvenanceSchema>
/** A supplier or customer as a unit, timeline entry or document names it. */
export type Ref = NonNullable<Unit['supplier']>

// Reference data and stock
export type Sku = z.output<typeof SkuResponse>
export type Location = z.output<typeof LocationResponse>
export type Party = z.output<typeof PartyResponse>
export type StockRow = z.output<typeof StockRowSchema>

// Documents and the ledger
export type DocumentSummary = z.output<typeof DocumentSummarySchema>
export type DocumentView = z.output<typeof DocumentViewSchema>
export type LedgerEvent = z.output<typeof LedgerEventSchema>

// Stock operations
export type ReceiptResult = z.output<typeof ReceiptResultSchema>
export type SerialRef = NonNullable<ReceiptResult['manifest']>['missing'][number]
export type OperationResult = z.output<typeof OperationResultSchema>

export type Dashboard = z.output<typeof DashboardSchema>

// Accounts
/** What sign-in and GET /auth/me answer. */
export type MeAnswer = z.output<typeof Me>
/** The signed-in user. */
export type User = MeAnswer['user']
/** A user as the admin list shows them. */
export type UserRow = z.output<typeof UserView>

// What the app sends: the input of the schema each route validates, so a misnamed field fails to compile.
export interface Requests {
  createUser: z.input<typeof CreateUserRequest>
  updateUser: z.input<typeof UpdateUserRequest>
  createSku: z.input<typeof CreateSkuRequest>
  createLocation: z.input<typeof CreateLocationRequest>
  createParty: z.input<typeof CreatePartyRequest>
  receive: z.input<typeof ReceiveRequest>
  move: z.input<typeof MoveRequest>
  shipTransfer: z.input<typeof ShipTransferRequest>
  receiveTransfer: z.input<typeof ReceiveTransferRequest>
  sell: z.input<typeof SellRequest>
  returnGoods: z.input<typeof ReturnRequest>
  restock: z.input<typeof RestockRequest>
  adjust: z.input<typeof AdjustRequest>
  scrap: z.input<typeof ScrapRequest>
}
