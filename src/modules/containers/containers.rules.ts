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
}

/** The one place units of the operation are: every unit and the containers must be at the same location. */
function refuseMixedLocations(units: readonly op.UnitFact[], places: readonly (string | null)[]): void {
  const at = places.find((p) => p !== null) ?? units[0]?.locationId ?? null
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
  issues.throwIfAny('container.location_mismatch', 'units are not at the container')
}

/** Packs units into a container (created by its first packing) and, with `parent`, nests it into another. */
export function decidePack(cmd: PackRequest, f: PackFacts, ctx: op.DecideContext): op.OperationPlan {
  if (f.units.length === 0 && cmd.parent === undefined)
    throw new AppError('request.invalid', 'name at least one unit to pack, or a parent to nest the container in')
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
  refuseMixedLocations(f.units, [f.container.locationId, f.parent?.locationId ?? null])
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
    },
    units: f.units,
    quantities: [],
  })
}

export interface UnpackFacts {
  container: ContainerFact
  /** The units named, or every unit directly inside the container when the request names none. */
  units: op.UnitFact[]
}

/**
 * Takes units out of a container; naming none empties it (its units and its nested containers come out);
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
  const emptied = cmd.units === undefined && !cmd.fromParent
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
    },
    units: f.units,
    quantities: [],
  })
}
