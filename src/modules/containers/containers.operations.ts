import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { getLocationById } from '../locations/index.js'
import { loadQuantities, loadUnits, stockOperation, type UnitFact } from '../operations/index.js'
import { loadContainerFact, loadExistingContainer, packedStock } from './containers.queries.js'
import type { ContainerFact } from './containers.rules.js'
import { containerKind, decidePack, decideUnpack } from './containers.rules.js'
import { PackRequest, UnpackRequest } from './containers.schemas.js'

/**
 * Where a packing's quantities are taken from: `at`, else where the container's goods are, else where the
 * units packed with them are. A quantity packed into an empty container without units needs `at`.
 */
async function packingPlace(
  db: Executor,
  cmd: PackRequest,
  container: ContainerFact,
  units: readonly UnitFact[],
): Promise<() => string> {
  const id = container.locationId ?? units[0]?.locationId ?? null
  if (cmd.at !== undefined || cmd.quantities.length === 0) return () => cmd.at ?? ''
  if (id === null)
    throw new AppError('request.invalid', `at: name where the stock is; ${cmd.container} holds nothing yet`)
  const { code } = await getLocationById(db, id)
  return () => code
}

/** Packs units into a container (created by its first packing), optionally nesting it in another. */
export const pack = stockOperation({
  name: 'pack',
  url: '/containers/pack',
  summary: 'Pack units into a container (an SSCC or our own code), optionally nested in another',
  tag: 'operations',
  policy: 'stock.operate',
  body: PackRequest,
  events: ['packed'],
  document: 'packing',
  load: async (trx, cmd) => {
    containerKind(cmd.container)
    if (cmd.parent !== undefined) containerKind(cmd.parent)
    const container = await loadContainerFact(trx, cmd.container)
    const units = await loadUnits(trx, cmd.units)
    return {
      container,
      parent: cmd.parent === undefined ? undefined : await loadContainerFact(trx, cmd.parent),
      units,
      quantities: await loadQuantities(trx, cmd.quantities, await packingPlace(trx, cmd, container, units), -1),
    }
  },
  decide: decidePack,
})

/** Takes units out of a container, empties it, or takes it out of the container it is nested in. */
export const unpack = stockOperation({
  name: 'unpack',
  url: '/containers/unpack',
  summary: 'Take units out of a container, empty it, or take it out of its parent',
  tag: 'operations',
  policy: 'stock.operate',
  body: UnpackRequest,
  events: ['unpacked'],
  document: 'packing',
  load: async (trx, cmd) => {
    const container = await loadExistingContainer(trx, cmd.container)
    const packed = await packedStock(trx, cmd.container)
    if (cmd.units !== undefined) return { container, packed, units: await loadUnits(trx, cmd.units) }
    if (cmd.fromParent || cmd.quantities !== undefined) return { container, packed, units: [] }
    const inside = await trx
      .selectFrom('unit')
      .innerJoin('sku', 'sku.id', 'unit.sku_id')
      .select(['unit.serial', 'sku.code as sku'])
      .where('unit.container_code', '=', cmd.container)
      .execute()
    return { container, packed, units: await loadUnits(trx, inside) }
  },
  decide: decideUnpack,
})
