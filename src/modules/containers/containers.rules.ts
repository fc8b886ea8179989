/*
 * Containers (aggregation): a case or pallet with its own identifier (an SSCC, or our own code), packed
 * with units and other containers. Its contents are a projection of the `packed` and `unpacked` events.
 */
import { AppError, IssueList } from '../../core/errors.js'
import { hasGs1CheckDigit } from '../gs1/ai.rules.js'
import * as op from '../operations/operations.rules.js'
import type { PackRequest, UnpackRequest } from './containers.schemas.js'

export type ContainerKind = 'sscc' | 'own'

/**
 * The kind of a container code: 18 digits is an SSCC (its GS1 check digit verified: a mistyped one is
 * refused, not taken as our own code); anything else is our own code.
 */
export function containerKind(code: string): ContainerKind {
  if (!/^\d{18}$/.test(code)) return 'own'
  if (!hasGs1CheckDigit(code)) throw new AppError('container.invalid_code', `SSCC ${code} has a wrong check digit`)
  return 'sscc'
}

/** A container as loaded: its row (absent before its first packing), its ancestors and where its units are. */
export interface ContainerFact {
  code: string
  exists: boolean
  parentCode: string | null
  /** The containers it is nested in, nearest first. */
  ancestors: readonly string[]
  /** Where its units (and its nested containers' units) are; null when empty or in transit. */
  locationId: string | null
}

export interface PackFacts {
  container: ContainerFact
  parent?: ContainerFact
  units: op.UnitFact[]
  /** Lot and quantity stock to pack, as it leaves the loose stock where the container is. */
  quantities?: op.QuantityFact[]
}

/** A quantity line a packing or unpacking records in its payload (what `container_quantity` projects). */
export interface PackedLine {
  skuId: string
  lotId: string | null
  locationId: string | null
  quantity: number
}

/**
 * The one place the goods of a packing are: every unit, every quantity line and the containers must be at
 * the same location.
 */
function refuseMixedLocations(
  units: readonly op.UnitFact[],
  quantities: readonly op.QuantityFact[],
  places: readonly (string | null)[],
): void {
  const at = places.find((p) => p !== null) ?? units[0]?.locationId ?? quantities[0]?.location.id ?? null
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (u.locationId !== at)
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is at ${u.locationPath ?? 'no location'}, not where the container is`,
      })
  })
  quantities.forEach((q, i) => {
    if (q.location.id !== at)
      issues.add({
        row: i + 1,
        field: `quantities[${i}]`,
        value: q.sku.code,
        message: `${q.sku.code} at ${q.location.code} is not where the container is`,
      })
  })
  issues.throwIfAny('container.location_mismatch', 'goods are not at the container')
}

/** The loose stock a packing takes, checked like any stock leaving (enough on hand, the actor's places). */
function packedLines(f: PackFacts, ctx: op.DecideContext): PackedLine[] {
  const drafts = op.plannedQuantities(f.quantities ?? [], -1)
  op.refuseOutsideScope(
    ctx,
    drafts.map((d) => d.location.path),
  )
  op.refuseInsufficientStock(drafts)
  return drafts.map((d) => ({ skuId: d.sku.id, lotId: d.lotId, locationId: d.location.id, quantity: -d.delta }))
}

/** Packs units into a container (created by its first packing) and, with `parent`, nests it into another. */
export function decidePack(cmd: PackRequest, f: PackFacts, ctx: op.DecideContext): op.OperationPlan {
  const quantities = f.quantities ?? []
  if (f.units.length === 0 && quantities.length === 0 && cmd.parent === undefined)
    throw new AppError(
      'request.invalid',
      'name at least one unit or quantity to pack, or a parent to nest the container in',
    )
  const issues = new IssueList()
  f.units.forEach((u, i) => {
    if (u.containerCode !== undefined)
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is already packed in ${u.containerCode}; unpack it first`,
      })
  })
  issues.throwIfAny('container.unit_in_other_container', 'units already packed')
  if (f.parent && (f.parent.code === f.container.code || f.parent.ancestors.includes(f.container.code)))
    throw new AppError('container.cycle', `${f.container.code} cannot go into ${f.parent.code}: it contains it`)
  op.refuseIllegalTransitions('packed', f.units)
  const parentPlace = f.parent && f.container.locationId && f.parent.locationId
  if (parentPlace && f.parent!.locationId !== f.container.locationId)
    throw new AppError(
      'container.location_mismatch',
      `${f.container.code} and ${f.parent!.code} are at different locations`,
    )
  refuseMixedLocations(f.units, quantities, [f.container.locationId, f.parent?.locationId ?? null])
  const lines = packedLines(f, ctx)
  return op.planOperation(ctx, {
    type: 'packed',
    document: { type: 'packing', prefix: 'PCK' },
    to: null,
    from: null,
    reason: null,
    occurredAt: op.businessTime(cmd.packedAt, ctx.now),
    payload: {
      container: f.container.code,
      kind: containerKind(f.container.code),
      ...(f.parent && { parent: f.parent.code, parentKind: containerKind(f.parent.code) }),
      ...(lines.length > 0 && { quantities: lines }),
    },
    units: f.units,
    quantities: [],
  })
}

export interface UnpackFacts {
  container: ContainerFact
  /** The units named, or every unit directly inside the container when the request names none. */
  units: op.UnitFact[]
  /** The stock packed directly in the container, with its SKU and lot codes. */
  packed?: readonly (PackedLine & { skuCode: string; lotCode: string | null })[]
}

/** The packed stock an unpacking takes out: the lines named (each no more than is packed), or all of it. */
function unpackedLines(cmd: UnpackRequest, f: UnpackFacts, emptied: boolean): PackedLine[] {
  const packed = f.packed ?? []
  const strip = ({ skuId, lotId, locationId, quantity }: PackedLine): PackedLine => ({
    skuId,
    lotId,
    locationId,
    quantity,
  })
  if (emptied) return packed.map(strip)
  const issues = new IssueList()
  const out = (cmd.quantities ?? []).flatMap((q, i) => {
    const row = packed.find(
      (p) => p.skuCode.toLowerCase() === q.sku.toLowerCase() && (p.lotCode ?? undefined) === q.lot,
    )
    if (row && row.quantity >= q.quantity) return [{ ...strip(row), quantity: q.quantity }]
    const what = `${q.sku}${q.lot ? ` lot ${q.lot}` : ''}`
    issues.add({
      row: i + 1,
      field: `quantities[${i}]`,
      value: q.sku,
      message: `${q.quantity} of ${what} to take out, ${row?.quantity ?? 0} packed in ${f.container.code}`,
    })
    return []
  })
  issues.throwIfAny('container.quantity_not_in_container', 'quantities not in the container')
  return out
}

/**
 * Takes units and packed stock out of a container; naming neither empties it (its units, stock and nested
 * containers come out);
 * `fromParent` takes the container itself out of the one it is nested in.
 */
export function decideUnpack(cmd: UnpackRequest, f: UnpackFacts, ctx: op.DecideContext): op.OperationPlan {
  const issues = new IssueList()
  f.units.forEach((u, i) => {
    if (u.containerCode !== f.container.code)
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is not in ${f.container.code}`,
      })
  })
  issues.throwIfAny('container.unit_not_in_container', 'units not in the container')
  if (cmd.fromParent && f.container.parentCode === null)
    throw new AppError('container.unit_not_in_container', `${f.container.code} is not nested in another container`)
  const emptied = cmd.units === undefined && cmd.quantities === undefined && !cmd.fromParent
  const lines = unpackedLines(cmd, f, emptied)
  return op.planOperation(ctx, {
    type: 'unpacked',
    document: { type: 'packing', prefix: 'UNP' },
    to: null,
    from: null,
    reason: null,
    occurredAt: op.businessTime(cmd.unpackedAt, ctx.now),
    payload: {
      container: f.container.code,
      kind: containerKind(f.container.code),
      ...(cmd.fromParent && { fromParent: true }),
      ...(emptied && { emptied: true }),
      ...(lines.length > 0 && { quantities: lines }),
    },
    units: f.units,
    quantities: [],
  })
}
