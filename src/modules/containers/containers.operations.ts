import { loadUnits, OPERATION_BODY_LIMIT, stockOperation } from '../operations/index.js'
import { loadContainerFact, loadExistingContainer } from './containers.queries.js'
import { containerKind, decidePack, decideUnpack } from './containers.rules.js'
import { PackRequest, UnpackRequest } from './containers.schemas.js'

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
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => {
    containerKind(cmd.container)
    if (cmd.parent !== undefined) containerKind(cmd.parent)
    return {
      container: await loadContainerFact(trx, cmd.container),
      parent: cmd.parent === undefined ? undefined : await loadContainerFact(trx, cmd.parent),
      units: await loadUnits(trx, cmd.units),
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
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => {
    const container = await loadExistingContainer(trx, cmd.container)
    if (cmd.units !== undefined) return { container, units: await loadUnits(trx, cmd.units) }
    if (cmd.fromParent) return { container, units: [] }
    const inside = await trx
      .selectFrom('unit')
      .innerJoin('sku', 'sku.id', 'unit.sku_id')
      .select(['unit.serial', 'sku.code as sku'])
      .where('unit.container_code', '=', cmd.container)
      .execute()
    return { container, units: await loadUnits(trx, inside) }
  },
  decide: decideUnpack,
})
