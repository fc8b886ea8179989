/*
 * Shapes of the API's responses, as the web app uses them. They mirror the zod schemas on the server
 * (src/modules/units/unit.schemas.ts, catalog/catalog.schemas.ts, locations/locations.schemas.ts,
 * parties/parties.ts, stock/stock.ts, documents/documents.queries.ts, receiving/receiving.schemas.ts,
 * operations/operations.schemas.ts, reports/dashboard.ts); /api/openapi.json is the reference.
 */
import type { UnitStatus } from '../../src/modules/units/unit-status'
import type { Role } from '../../src/modules/accounts/roles'

export type { UnitStatus, Role }

export interface Ref {
  code: string
  name: string
}

export interface Unit {
  id: string
  serial: string
  sku: { code: string; name: string; tracking: string }
  status: UnitStatus
  location: { code: string; name: string; path: string } | null
  lot: string | null
  receipt: { id: string; number: string } | null
  supplier: Ref | null
  cost: number | null
  receivedAt: string
  customer: Ref | null
  orderRef: string | null
  salePrice: number | null
  soldAt: string | null
  warrantyEndsOn: string | null
  transfer: string | null
  parentUnitId: string | null
  identifiers: Record<string, string>
  version: number
  updatedAt: string
}

export interface UnitPage {
  items: Unit[]
  nextCursor: string | null
}

export interface TimelineEntry {
  seq: number
  eventId: string
  type: string
  occurredAt: string
  recordedAt: string
  actor: string
  location: string | null
  fromLocation: string | null
  reason: string | null
  document: { type: string; number: string } | null
  party: Ref | null
  orderRef: string | null
  price: number | null
  hash: string
}

export interface Provenance {
  unitId: string
  serial: string
  sku: string
  receipt: {
    id: string
    number: string
    supplierRef: string | null
    po: string | null
    asn: string | null
    receivedAt: string
    location: string | null
    eventId: string
    eventHash: string
    unitsInReceipt: number
  }
  supplier: Ref | null
  lot: { code: string; expiresOn: string | null } | null
  cost: number | null
}

export type Tracking = 'serial' | 'lot' | 'quantity'

export interface Sku {
  id: string
  code: string
  name: string
  gtin: string | null
  tracking: Tracking
  cost: number
  price: number
  warrantyMonths: number
  returnWindowDays: number
  serialPattern: string | null
  serialCase: 'upper' | 'lower' | 'preserve'
  allowNegative: boolean
  identifiers: { name: string; isUnique: boolean; pattern?: string }[]
}

export interface Location {
  id: string
  code: string
  name: string
  level: 'site' | 'zone' | 'bin'
  kind: 'warehouse' | 'store' | 'transit'
  parentId: string | null
  path: string
}

export interface Party {
  id: string
  code: string
  name: string
  role: 'supplier' | 'customer'
  email: string | null
  phone: string | null
}

export interface StockRow {
  sku: string
  skuName: string
  tracking: string
  location: string
  lot: string | null
  onHand: number
  value: number
}

export const DOCUMENT_TYPES = ['receipt', 'transfer', 'order', 'return', 'adjustment', 'scrap', 'move'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

export interface DocumentSummary {
  id: string
  type: DocumentType
  number: string
  reference: string | null
  occurredAt: string
  actor: string
}

export interface DocumentView extends DocumentSummary {
  party: Ref | null
  location: string | null
  toLocation: string | null
  data: Record<string, unknown>
  events: { seq: number; id: string; type: string; occurredAt: string; actor: string; unitCount: number; quantityLineCount: number }[]
}

export interface LedgerEvent {
  seq: number
  id: string
  type: string
  occurredAt: string
  recordedAt: string
  actor: string
  reason: string | null
  documentType: string | null
  unitCount: number
  quantityLineCount: number
}

export interface SerialRef {
  sku: string
  serial: string
}

export interface ReceiptResult {
  receiptId: string
  number: string
  eventId: string
  eventSeq: number
  unitCount: number
  quantity: number
  manifest?: { expectedCount: number; missingCount: number; unexpectedCount: number; missing: SerialRef[]; unexpected: SerialRef[] }
}

export interface OperationResult {
  documentId: string
  number: string
  eventId: string
  eventSeq: number
  unitCount: number
  quantity: number
}

export interface Dashboard {
  asOf: string
  stock: { serialUnits: number; serialValue: number; quantity: number; quantityValue: number; totalValue: number }
  unitsByStatus: { status: UnitStatus; count: number }[]
  weeks: { weekStart: string; receipts: number; receivedUnits: number; sales: number; soldUnits: number; salesValue: number }[]
  recent: { seq: number; type: string; occurredAt: string; actor: string; location: string | null; document: { type: string; number: string } | null; unitCount: number; quantityLineCount: number }[]
}

export interface User {
  username: string
  role: Role
  locations: string[]
  mustChangePassword: boolean
}

export interface UserRow extends User {
  isActive: boolean
  lockedUntil: string | null
}
