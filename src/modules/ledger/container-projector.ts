import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import type { EventHeader } from './event.js'

/*
 * The `container_quantity` projection: lot and quantity stock packed in containers. A `packed` event's
 * payload lists what went in (`quantities`), an `unpacked` one what came out; a move, transfer or sale that
 * takes containers whole lists them (`containers`) and their packed stock goes where the event goes. The
 * stock itself is moved by the event's quantity lines, as for loose stock.
 */

/** A packed quantity as a `packed`/`unpacked` payload records it. */
export interface PackedQuantityLine {
  skuId: string
  lotId: string | null
  locationId: string
  quantity: number
}

/** The event types that take containers whole (with their packed stock) when their payload names them. */
export const TAKES_CONTAINERS = new Set(['moved', 'transfer_shipped', 'transfer_received', 'sold'])

/** Applies a packing's or unpacking's quantities, or a container-taking event's containers. */
export async function projectContainerQuantities(db: Executor, h: EventHeader): Promise<void> {
  const p = JSON.parse(h.payload) as { quantities?: PackedQuantityLine[]; containers?: string[]; container?: string }
  if (h.type === 'packed' || h.type === 'unpacked') {
    const sign = h.type === 'packed' ? 1 : -1
    for (const q of p.quantities ?? []) await addPacked(db, h.seq, p.container!, q, sign * q.quantity)
    if (h.type === 'unpacked')
      await db
        .deleteFrom('container_quantity')
        .where('container_code', '=', p.container!)
        .where('quantity', '=', 0)
        .execute()
    return
  }
  if (!TAKES_CONTAINERS.has(h.type) || !p.containers?.length) return
  const codes = await withNestedContainers(db, p.containers)
  const rows = db.updateTable('container_quantity').where('container_code', 'in', codes)
  if (h.type === 'sold') await db.deleteFrom('container_quantity').where('container_code', 'in', codes).execute()
  else if (h.type === 'transfer_shipped')
    await rows.set({ location_id: null, transfer_id: h.documentId, last_event_seq: h.seq }).execute()
  else await rows.set({ location_id: h.locationId, transfer_id: null, last_event_seq: h.seq }).execute()
}

async function addPacked(db: Executor, seq: number, container: string, q: PackedQuantityLine, delta: number) {
  await db
    .insertInto('container_quantity')
    .values({
      container_code: container,
      sku_id: q.skuId,
      lot_key: q.lotId ?? '',
      lot_id: q.lotId,
      location_id: q.locationId,
      transfer_id: null,
      quantity: delta,
      last_event_seq: seq,
    })
    .onConflict((oc) =>
      oc
        .columns(['container_code', 'sku_id', 'lot_key'])
        .doUpdateSet({ quantity: sql`container_quantity.quantity + ${delta}`, last_event_seq: seq }),
    )
    .execute()
}

/** The containers and every container nested in them, at any depth. */
export async function withNestedContainers(db: Executor, codes: readonly string[]): Promise<string[]> {
  const all = [...new Set(codes)]
  for (let level = all; level.length > 0;) {
    const children = await db.selectFrom('container').select('code').where('parent_code', 'in', level).execute()
    level = children.map((c) => c.code).filter((c) => !all.includes(c))
    all.push(...level)
  }
  return all
}
