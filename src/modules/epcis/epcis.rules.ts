/*
 * EPCIS 2.0 and our ledger, both ways, as pure rules: which CBV business step, disposition and action each
 * of our event types is (the table in docs/gs1-epcis.md), the identifiers of units, lot stock, locations,
 * parties and documents (GS1 Digital Link where GS1 keys exist, URIs of ours otherwise), and how a
 * captured event's identifiers are read back. Every event type of ours has a row (its type also goes in
 * `sl:type`); captured are only the rows marked so, the others are skipped as our own workflow.
 */
import { aiDefinition, type AiParse, aiRecord, checkAiValue, hasGs1CheckDigit } from '../gs1/ai.rules.js'
import { parseDigitalLinkUri, uriEscape, uriUnescape } from '../gs1/digital-link.rules.js'
import { parseEpcUrn } from '../gs1/epc.rules.js'
import type { UnitEventType } from '../units/unit-status.rules.js'

/** Our namespace for identifiers with no GS1 key and for extension fields (`sl:type`). */
export const SL_NAMESPACE = 'https://serial-ledger.dev/epcis/'
export const SL_ID_BASE = 'https://serial-ledger.dev/id/'
export const GS1_ID = 'https://id.gs1.org'
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'

export type EpcisAction = 'ADD' | 'OBSERVE' | 'DELETE'
export interface EventMapping {
  action: EpcisAction
  bizStep: string
  /** Absent when the event keeps the unit's status (a move of a quarantined unit). */
  disposition?: string
  /** CBV bizTransaction type of the event's document. */
  documentType?: string
  /** Which party of the document is the source or destination. */
  party?: 'source' | 'destination'
  /** Whether the event's goods are captured back (counts and orders are our own workflow). */
  captured: boolean
}

/**
 * Our event types as EPCIS ObjectEvents (CBV 2.0 bare words). Every event type has its row (the compiler
 * asks for a new one), so an export never carries a type that our own capture refuses.
 */
export const EVENT_MAPPINGS: Record<UnitEventType, EventMapping> = {
  received: {
    action: 'ADD',
    bizStep: 'receiving',
    disposition: 'sellable_accessible',
    documentType: 'recadv',
    party: 'source',
    captured: true,
  },
  moved: { action: 'OBSERVE', bizStep: 'storing', captured: true },
  transfer_shipped: {
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    documentType: 'desadv',
    captured: true,
  },
  transfer_received: {
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'sellable_accessible',
    documentType: 'desadv',
    captured: true,
  },
  sold: {
    action: 'OBSERVE',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    documentType: 'inv',
    party: 'destination',
    captured: true,
  },
  returned: {
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'returned',
    documentType: 'rma',
    party: 'source',
    captured: true,
  },
  restocked: { action: 'OBSERVE', bizStep: 'stocking', disposition: 'sellable_accessible', captured: true },
  found: { action: 'OBSERVE', bizStep: 'cycle_counting', disposition: 'sellable_accessible', captured: true },
  lost: { action: 'OBSERVE', bizStep: 'cycle_counting', disposition: 'unknown', captured: true },
  scrapped: { action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed', captured: true },
  counted: { action: 'OBSERVE', bizStep: 'cycle_counting', captured: false },
  count_started: { action: 'OBSERVE', bizStep: 'cycle_counting', captured: false },
  count_recounted: { action: 'OBSERVE', bizStep: 'cycle_counting', captured: false },
  count_closed: { action: 'OBSERVE', bizStep: 'cycle_counting', captured: false },
  order_placed: { action: 'OBSERVE', bizStep: 'reserving', documentType: 'po', party: 'destination', captured: false },
  order_cancelled: { action: 'OBSERVE', bizStep: 'other', documentType: 'po', party: 'destination', captured: false },
  // Quality, warranty, pricing and picks are our own workflow: exported for partners, skipped on capture.
  inspected: { action: 'OBSERVE', bizStep: 'inspecting', captured: false },
  quarantined: { action: 'OBSERVE', bizStep: 'holding', disposition: 'non_sellable_other', captured: false },
  released: { action: 'OBSERVE', bizStep: 'inspecting', disposition: 'sellable_accessible', captured: false },
  returned_to_vendor: { action: 'OBSERVE', bizStep: 'shipping', disposition: 'returned', captured: false },
  recall_opened: { action: 'OBSERVE', bizStep: 'other', captured: false },
  recall_outcome: { action: 'OBSERVE', bizStep: 'other', disposition: 'recalled', captured: false },
  recall_closed: { action: 'OBSERVE', bizStep: 'other', captured: false },
  claim_opened: { action: 'OBSERVE', bizStep: 'other', captured: false },
  claim_status_changed: { action: 'OBSERVE', bizStep: 'other', captured: false },
  warranty_term_set: { action: 'OBSERVE', bizStep: 'other', captured: false },
  warranty_claimed: { action: 'OBSERVE', bizStep: 'other', captured: false },
  warranty_voided: { action: 'OBSERVE', bizStep: 'other', captured: false },
  warranty_transferred: { action: 'OBSERVE', bizStep: 'other', party: 'destination', captured: false },
  warranty_token_rotated: { action: 'OBSERVE', bizStep: 'other', captured: false },
  repair_started: { action: 'OBSERVE', bizStep: 'repairing', disposition: 'in_progress', captured: false },
  repair_returned: { action: 'OBSERVE', bizStep: 'shipping', disposition: 'retail_sold', captured: false },
  restocked_open_box: { action: 'OBSERVE', bizStep: 'stocking', disposition: 'sellable_accessible', captured: false },
  price_changed: { action: 'OBSERVE', bizStep: 'other', captured: false },
  order_picked: { action: 'OBSERVE', bizStep: 'picking', disposition: 'reserved', documentType: 'po', captured: false },
  // Containers: exported as AggregationEvents (parentID the container, childEPCs its units).
  packed: { action: 'ADD', bizStep: 'packing', captured: true },
  unpacked: { action: 'DELETE', bizStep: 'unpacking', captured: true },
}
/** How a type with no row is read (a row's event type from another system): observed, step `other`. */
export const FALLBACK_MAPPING: EventMapping = { action: 'OBSERVE', bizStep: 'other', captured: false }

/** The row of one of our event types, or undefined for a type that is not ours. */
export const knownMapping = (type: string): EventMapping | undefined =>
  Object.hasOwn(EVENT_MAPPINGS, type) ? EVENT_MAPPINGS[type as UnitEventType] : undefined
export const mappingOf = (type: string): EventMapping => knownMapping(type) ?? FALLBACK_MAPPING

const isSerialAi21 = (serial: string) => checkAiValue(aiDefinition('21')!, serial) === undefined
const ours = (...parts: string[]) => SL_ID_BASE + parts.map((p) => uriEscape(p)).join('/')

/** A unit's EPC: its SGTIN as a Digital Link when the SKU has a GTIN and the serial fits AI 21, else ours. */
export function unitEpc(sku: { code: string; gtin: string | null }, serial: string): string {
  if (sku.gtin && isSerialAi21(serial)) return `${GS1_ID}/01/${sku.gtin}/21/${uriEscape(serial)}`
  return ours('unit', sku.code, serial)
}

/** The class of lot or quantity stock: an LGTIN (GTIN + lot) Digital Link, a GTIN, or ours. */
export function classEpc(sku: { code: string; gtin: string | null }, lot: string | null): string {
  if (sku.gtin && (lot === null || checkAiValue(aiDefinition('10')!, lot) === undefined))
    return `${GS1_ID}/01/${sku.gtin}${lot === null ? '' : `/10/${uriEscape(lot)}`}`
  return lot === null ? ours('sku', sku.code) : ours('sku', sku.code, 'lot', lot)
}

/** A location: its SGLN (as a Digital Link) when its label barcode is a GLN, else ours. */
export const locationUri = (loc: { code: string; barcode: string | null }): string =>
  loc.barcode && /^\d{13}$/.test(loc.barcode) && hasGs1CheckDigit(loc.barcode)
    ? `${GS1_ID}/414/${loc.barcode}`
    : ours('location', loc.code)
export const partyUri = (code: string): string => ours('party', code)
export const documentUri = (type: string, number: string): string => ours('document', type, number)

/** What an identifier of a captured document names. */
export type Identified =
  | { kind: 'unit'; serial: string; gtin?: string; sku?: string }
  | { kind: 'class'; gtin?: string; sku?: string; lot?: string }
  | { kind: 'location'; gln?: string; code?: string }
  | { kind: 'party'; code: string }
  | { kind: 'document'; type: string; number: string }
  | { kind: 'container'; sscc: string; code?: string }
  | { kind: 'unknown'; reason: string }

function ourIdentifier(uri: string): Identified {
  const parts = uri
    .slice(SL_ID_BASE.length)
    .split('/')
    .map((p) => uriUnescape(p))
  const [kind, a, b, c, d] = parts
  if (kind === 'unit' && a && b && parts.length === 3) return { kind: 'unit', sku: a, serial: b }
  if (kind === 'sku' && a && parts.length === 2) return { kind: 'class', sku: a }
  if (kind === 'sku' && a && b === 'lot' && c && parts.length === 4) return { kind: 'class', sku: a, lot: c }
  if (kind === 'location' && a && parts.length === 2) return { kind: 'location', code: a }
  if (kind === 'party' && a && parts.length === 2) return { kind: 'party', code: a }
  if (kind === 'container' && a && parts.length === 2) return { kind: 'container', sscc: '', code: a }
  if (kind === 'document' && a && b && parts.length === 3) return { kind: 'document', type: a, number: b }
  return { kind: 'unknown', reason: `${uri} is no identifier of ours${d ? '' : ''}` }
}

function fromGs1(uri: string, parsed: AiParse): Identified {
  if (!parsed.ok) return { kind: 'unknown', reason: `${uri}: ${parsed.message}` }
  const ais = aiRecord(parsed.elements)
  if (ais['00']) return { kind: 'container', sscc: ais['00'] }
  if (ais['01'] && ais['21']) return { kind: 'unit', gtin: ais['01'], serial: ais['21'] }
  if (ais['01']) return { kind: 'class', gtin: ais['01'], ...(ais['10'] !== undefined && { lot: ais['10'] }) }
  if (ais['414']) return { kind: 'location', gln: ais['414'] }
  return { kind: 'unknown', reason: `${uri} names no GTIN, SSCC or GLN` }
}

/** Reads an identifier: GS1 Digital Link, EPC URN (SGTIN, LGTIN, SSCC, SGLN) or one of ours. */
export function identify(uri: string): Identified {
  if (uri.startsWith(SL_ID_BASE)) return ourIdentifier(uri)
  if (/^urn:epc:/i.test(uri)) return fromGs1(uri, parseEpcUrn(uri))
  if (/^https?:\/\//i.test(uri)) return fromGs1(uri, parseDigitalLinkUri(uri, { permitZeroSuppressedGtin: true }))
  return { kind: 'unknown', reason: `${uri} is neither a GS1 Digital Link, an EPC URN nor one of our identifiers` }
}

/** A container's EPC: its SSCC as a GS1 Digital Link, or our own URI for our codes. */
export const containerEpc = (code: string): string =>
  /^\d{18}$/.test(code) ? `${GS1_ID}/00/${code}` : ours('container', code)
