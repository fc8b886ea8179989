import type { WriteScope } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import { findDocumentByNumber } from '../documents/documents.js'
import type { QuantityLine } from '../ledger/event.js'
import { getLocationByCode, getLocationById, isWithin } from '../locations/index.js'
import { getPartyByCode } from '../parties/parties.js'
import {
  assertNonEmpty,
  assertUnitsWithin,
  resolveUnits,
  resolveUnitsAndSkus,
  type UnitRef,
} from '../units/resolve-units.js'
import type { z } from 'zod'
import * as schemas from './operations.schemas.js'
import type { OperationResult } from './operations.schemas.js'
import { quantityLine } from './quantities.js'
import { recordOperation } from './record-operation.js'

const refsOf = <R extends UnitRef>(units: readonly (string | R)[]): (UnitRef | R)[] =>
  units.map((u) => (typeof u === 'string' ? { serial: u } : u))

async function quantityLines<Q extends { sku: string; lot?: string; quantity: number; price?: number }>(
  scope: WriteScope,
  inputs: readonly Q[],
  locationOf: (q: Q) => string,
  sign: 1 | -1,
): Promise<QuantityLine[]> {
  const out: QuantityLine[] = []
  for (const [i, q] of inputs.entries())
    out.push(await quantityLine(scope.trx, q, locationOf(q), sign, `quantities[${i}]`))
  return out
}

/** Moves units (and quantity stock) to another location in one step, keeping their status. */
export async function moveStock(
  scope: WriteScope,
  input: z.input<typeof schemas.MoveRequest>,
): Promise<OperationResult> {
  const req = schemas.MoveRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  const to = await getLocationByCode(scope.trx, req.to)
  const units = await resolveUnits(scope.trx, refsOf(req.units))
  const from = req.from ? await getLocationByCode(scope.trx, req.from) : null
  if (from) assertUnitsWithin(units, from)
  const outgoing = await quantityLines(scope, req.quantities, (q) => q.from, -1)
  const incoming = outgoing.map((l) => ({ ...l, locationId: to.id, delta: -l.delta }))
  return recordOperation(scope, {
    type: 'moved',
    document: { type: 'move', prefix: 'MOV' },
    locationId: to.id,
    fromLocationId: from?.id ?? null,
    reason: req.reason ?? null,
    occurredAt: req.movedAt,
    payload: {},
    units,
    quantities: [...outgoing, ...incoming],
  })
}

/** Ships a transfer: units leave `from` and are in transit until the destination receives them. */
export async function shipTransfer(
  scope: WriteScope,
  input: z.input<typeof schemas.ShipTransferRequest>,
): Promise<OperationResult> {
  const req = schemas.ShipTransferRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  const [from, to] = [await getLocationByCode(scope.trx, req.from), await getLocationByCode(scope.trx, req.to)]
  if (isWithin(to, from) || isWithin(from, to))
    throw new AppError('transfer.invalid', `${from.code} and ${to.code} are the same site; use a move`)
  const units = await resolveUnits(scope.trx, refsOf(req.units))
  assertUnitsWithin(units, from)
  return recordOperation(scope, {
    type: 'transfer_shipped',
    document: { type: 'transfer', number: req.number, prefix: 'TRF', toLocationId: to.id },
    locationId: to.id,
    fromLocationId: from.id,
    reason: 'transfer',
    occurredAt: req.shippedAt,
    payload: {},
    units,
    quantities: await quantityLines(scope, req.quantities, () => req.from, -1),
  })
}

/** Receives a shipped transfer at its destination: everything still in transit, or the units named. */
export async function receiveTransfer(
  scope: WriteScope,
  number: string,
  input: z.input<typeof schemas.ReceiveTransferRequest>,
): Promise<OperationResult> {
  const req = schemas.ReceiveTransferRequest.parse(input)
  const doc = await findDocumentByNumber(scope.trx, 'transfer', number)
  if (!doc) throw new AppError('document.not_found', `no transfer ${number}`)
  const destination = await getLocationById(scope.trx, doc.to_location_id!)
  const target = req.location ? await getLocationByCode(scope.trx, req.location) : destination
  if (!isWithin(target, destination))
    throw new AppError('transfer.invalid', `${target.code} is not inside the destination ${destination.code}`)
  const refs = req.units ? refsOf(req.units) : await unitsInTransitOn(scope, doc.id)
  const units = await resolveUnits(scope.trx, refs)
  const strays = units.filter((u) => u.transferId !== doc.id)
  if (strays.length > 0)
    throw new AppError(
      'transfer.invalid',
      `${strays.map((u) => `${u.skuCode} ${u.serial}`).join(', ')} not in transit on ${number}`,
    )
  const quantities = req.units ? [] : await outstandingQuantities(scope, doc.id, target.id)
  if (units.length === 0 && quantities.length === 0)
    throw new AppError('transfer.invalid', `transfer ${number} has nothing left in transit`)
  return recordOperation(scope, {
    type: 'transfer_received',
    document: { type: 'transfer', existingId: doc.id, number },
    locationId: target.id,
    fromLocationId: doc.location_id,
    reason: 'transfer',
    occurredAt: req.receivedAt,
    payload: {},
    units,
    quantities,
  })
}

async function unitsInTransitOn(scope: WriteScope, transferId: string): Promise<UnitRef[]> {
  return scope.trx
    .selectFrom('unit')
    .innerJoin('sku', 'sku.id', 'unit.sku_id')
    .select(['unit.serial', 'sku.code as sku'])
    .where('transfer_id', '=', transferId)
    .execute()
}

/**
 * Quantity shipped on a transfer and not yet received, per SKU and lot. Shipping lines are negative
 * and receiving lines positive on the same document, so what is still in transit is minus their sum.
 */
async function outstandingQuantities(scope: WriteScope, transferId: string, targetId: string): Promise<QuantityLine[]> {
  const rows = await scope.trx
    .selectFrom('event_quantity as q')
    .innerJoin('event as e', 'e.seq', 'q.event_seq')
    .select(['q.sku_id', 'q.lot_id', (eb) => eb.fn.sum<number>('q.delta').as('net')])
    .where('e.document_id', '=', transferId)
    .groupBy(['q.sku_id', 'q.lot_id'])
    .execute()
  return rows
    .filter((r) => Number(r.net) < 0)
    .map((r) => ({
      skuId: r.sku_id,
      lotId: r.lot_id,
      locationId: targetId,
      delta: -Number(r.net),
      costMinor: null,
      priceMinor: null,
    }))
}

/** Sells units and quantities to a customer; only in-stock units can be sold. */
export async function sell(scope: WriteScope, input: z.input<typeof schemas.SellRequest>): Promise<OperationResult> {
  const req = schemas.SellRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  const customer = req.customer ? await getPartyByCode(scope.trx, req.customer, 'customer') : null
  const refs = refsOf(req.units)
  const { units, skus } = await resolveUnitsAndSkus(scope.trx, refs)
  const from = req.from ? await getLocationByCode(scope.trx, req.from) : null
  if (from) assertUnitsWithin(units, from)
  const prices = units.map((u, i) => {
    const given = (refs[i] as { price?: number }).price
    return given !== undefined ? toMinor(given) : skus.get(u.skuId)!.priceMinor
  })
  return recordOperation(scope, {
    type: 'sold',
    document: { type: 'order', number: req.number, prefix: 'ORD', partyId: customer?.id, reference: req.orderRef },
    locationId: null,
    fromLocationId: from?.id ?? null,
    reason: 'sale',
    occurredAt: req.soldAt,
    payload: { customerId: customer?.id, orderRef: req.orderRef },
    units,
    unitPrices: prices,
    quantities: await quantityLines(scope, req.quantities, (q) => q.location, -1),
  })
}

/** Takes back sold units (and quantities) from a customer into a location, status `returned`. */
export async function returnGoods(
  scope: WriteScope,
  input: z.input<typeof schemas.ReturnRequest>,
): Promise<OperationResult> {
  const req = schemas.ReturnRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  const location = await getLocationByCode(scope.trx, req.location)
  const customer = req.customer ? await getPartyByCode(scope.trx, req.customer, 'customer') : null
  return recordOperation(scope, {
    type: 'returned',
    document: { type: 'return', prefix: 'RMA', partyId: customer?.id, reference: req.orderRef },
    locationId: location.id,
    fromLocationId: null,
    reason: req.reason ?? 'customer return',
    occurredAt: req.returnedAt,
    payload: { customerId: customer?.id, orderRef: req.orderRef },
    units: await resolveUnits(scope.trx, refsOf(req.units)),
    quantities: await quantityLines(scope, req.quantities, () => req.location, 1),
  })
}

/** Puts returned, quarantined or repaired units back into sellable stock where they are. */
export async function restock(
  scope: WriteScope,
  input: z.input<typeof schemas.RestockRequest>,
): Promise<OperationResult> {
  const req = schemas.RestockRequest.parse(input)
  assertNonEmpty(req.units, [])
  return recordOperation(scope, {
    type: 'restocked',
    document: { type: 'adjustment', prefix: 'RST' },
    locationId: null,
    fromLocationId: null,
    reason: req.reason ?? 'restock',
    occurredAt: req.restockedAt,
    payload: {},
    units: await resolveUnits(scope.trx, refsOf(req.units)),
    quantities: [],
  })
}

/** Records stock found (back in stock at a location) or lost (missing), always with a reason. */
export async function adjust(
  scope: WriteScope,
  input: z.input<typeof schemas.AdjustRequest>,
): Promise<OperationResult> {
  const req = schemas.AdjustRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  if (req.kind === 'found' && req.units.length > 0 && !req.location)
    throw new AppError('request.invalid', 'location: say where the found units are')
  const location = req.location ? await getLocationByCode(scope.trx, req.location) : null
  const units = await resolveUnits(scope.trx, refsOf(req.units))
  // Units lost "from" a location must have been there: the event would otherwise say so wrongly.
  if (req.kind === 'lost' && location) assertUnitsWithin(units, location)
  return recordOperation(scope, {
    type: req.kind,
    document: { type: 'adjustment', prefix: 'ADJ' },
    locationId: req.kind === 'found' ? (location?.id ?? null) : null,
    fromLocationId: req.kind === 'lost' ? (location?.id ?? null) : null,
    reason: req.reason,
    occurredAt: req.adjustedAt,
    payload: {},
    units,
    quantities: await quantityLines(scope, req.quantities, (q) => q.location, req.kind === 'found' ? 1 : -1),
  })
}

/** Destroys units and quantities (damaged beyond repair); scrapped units never come back. */
export async function scrap(scope: WriteScope, input: z.input<typeof schemas.ScrapRequest>): Promise<OperationResult> {
  const req = schemas.ScrapRequest.parse(input)
  assertNonEmpty(req.units, req.quantities)
  return recordOperation(scope, {
    type: 'scrapped',
    document: { type: 'scrap', prefix: 'SCR' },
    locationId: null,
    fromLocationId: null,
    reason: req.reason,
    occurredAt: req.scrappedAt,
    payload: {},
    units: await resolveUnits(scope.trx, refsOf(req.units)),
    quantities: await quantityLines(scope, req.quantities, (q) => q.location, -1),
  })
}
