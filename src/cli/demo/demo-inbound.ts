import type { WriteScope } from '../../core/context.js'
import { move, receiveTransfer, shipTransfer } from '../../modules/movements/index.js'
import { apply } from '../../modules/operations/index.js'
import { receive } from '../../modules/receiving/index.js'
import {
  CONSUMABLES_BIN,
  type DemoSku,
  RECEIVING_DOCK,
  STORES,
  type Store,
  WAREHOUSE,
  floorOf,
} from './demo-catalog.js'
import type { DemoClock } from './demo-time.js'
import { type DemoUnit, type DemoWorld, refOf } from './demo-world.js'
import type { Random } from './random.js'

/** Receives a supplier delivery of serial units at the dock and puts it away into the SKUs' bins an hour later. */
export async function receiveSerialDelivery(
  scope: WriteScope,
  w: DemoWorld,
  t: DemoClock,
  supplier: string,
  counts: Map<DemoSku, number>,
  rng: Random,
): Promise<void> {
  const received = new Map<string, DemoUnit[]>()
  const lines = [...counts].map(([sku, count]) => {
    const units = Array.from({ length: count }, () => {
      const { unit, identifiers } = w.newUnit(sku, RECEIVING_DOCK)
      ;(received.get(sku.bin) ?? received.set(sku.bin, []).get(sku.bin)!).push(unit)
      return { serial: unit.serial, identifiers }
    })
    return { sku: sku.code, unitCost: Math.round(sku.cost * (0.97 + rng.next() * 0.06) * 100) / 100, units }
  })
  const ref = `${supplier.slice(4, 8)}-${t.compact()}`
  await apply(scope, receive, {
    supplier,
    location: RECEIVING_DOCK,
    supplierRef: `DN-${ref}`,
    po: `PO-${ref}`,
    receivedAt: t.at(9 * 60),
    lines,
  })
  w.counted('received')
  for (const [bin, units] of received) {
    await apply(scope, move, {
      to: bin,
      from: RECEIVING_DOCK,
      units: units.map(refOf),
      reason: 'put-away',
      movedAt: t.at(10 * 60 + rng.int(0, 50)),
    })
    for (const u of units) w.place(u, bin)
    w.counted('moved')
  }
}

/** Receives accessories and consumables (lots with an expiry, or plain quantities) and puts them away. */
export async function receiveConsumables(
  scope: WriteScope,
  w: DemoWorld,
  t: DemoClock,
  supplier: string,
  skus: DemoSku[],
  quantityOf: (s: DemoSku) => number,
): Promise<void> {
  const lot = `L${t.compact()}`
  const lines = skus.map((s) => ({
    sku: s.code,
    quantity: quantityOf(s),
    lot: s.tracking === 'lot' ? lot : undefined,
    lotExpiresOn: s.shelfLifeDays ? t.dateIn(s.shelfLifeDays) : undefined,
  }))
  await apply(scope, receive, {
    supplier,
    location: RECEIVING_DOCK,
    supplierRef: `DN-${supplier.slice(4, 8)}-${t.compact()}`,
    receivedAt: t.at(8 * 60 + 45),
    lines,
  })
  w.counted('received')
  for (const l of lines) {
    if (l.lot) w.lots.set(l.sku, [...(w.lots.get(l.sku) ?? []), { code: l.lot, expiresOn: l.lotExpiresOn! }])
    w.addQty(CONSUMABLES_BIN, l.sku, l.lot, l.quantity)
  }
  await apply(scope, move, {
    to: CONSUMABLES_BIN,
    reason: 'put-away',
    quantities: lines.map((l) => ({ sku: l.sku, lot: l.lot, quantity: l.quantity, from: RECEIVING_DOCK })),
    movedAt: t.at(9 * 60 + 30),
  })
  w.counted('moved')
}

export interface StockTargets {
  unitsOf(sku: DemoSku): number
  quantity: number
}

/**
 * Ships what each store is short of (devices from the warehouse, consumables from their bin); they arrive a day or two
 * later.
 */
export async function replenishStores(
  scope: WriteScope,
  w: DemoWorld,
  t: DemoClock,
  day: number,
  skus: DemoSku[],
  targets: StockTargets,
): Promise<void> {
  for (const [i, store] of STORES.entries()) {
    const arrival = day + 1 + i
    const units = skus
      .filter((s) => s.tracking === 'serial')
      .flatMap((s) => unitsToSend(w, store, s, targets.unitsOf(s)))
    if (units.length > 0) {
      const shipped = await apply(scope, shipTransfer, {
        from: WAREHOUSE,
        to: store,
        units: units.map(refOf),
        shippedAt: t.at(11 * 60 + i * 20),
      })
      for (const u of units) {
        w.place(u, null, 'in_transit')
        u.bound = store
      }
      scheduleArrival(w, t, arrival, store, shipped.number, units, [])
    }
    const quantities = skus
      .filter((s) => s.tracking !== 'serial')
      .flatMap((s) => quantitiesToSend(w, store, s, targets.quantity))
    if (quantities.length > 0) {
      const shipped = await apply(scope, shipTransfer, {
        from: CONSUMABLES_BIN,
        to: store,
        quantities,
        shippedAt: t.at(11 * 60 + 10 + i * 20),
      })
      for (const q of quantities) w.addQty(CONSUMABLES_BIN, q.sku, q.lot, -q.quantity)
      scheduleArrival(w, t, arrival, store, shipped.number, [], quantities)
    }
    w.counted('transfer_shipped', (units.length > 0 ? 1 : 0) + (quantities.length > 0 ? 1 : 0))
  }
}

function unitsToSend(w: DemoWorld, store: Store, sku: DemoSku, target: number): DemoUnit[] {
  const atStore = w.unitsAt(floorOf(store)).filter((u) => u.sku === sku).length
  const need = target - atStore - w.boundFor(store, sku)
  return need > 0
    ? w
        .unitsAt(sku.bin)
        .filter((u) => u.sku === sku)
        .slice(0, need)
    : []
}

function quantitiesToSend(
  w: DemoWorld,
  store: Store,
  sku: DemoSku,
  target: number,
): { sku: string; lot?: string; quantity: number }[] {
  let need = target - w.stockedLots(floorOf(store), sku).reduce((a, l) => a + l.qty, 0)
  const out: { sku: string; lot?: string; quantity: number }[] = []
  for (const { lot, qty } of w.stockedLots(CONSUMABLES_BIN, sku)) {
    if (need <= 0) break
    const quantity = Math.min(need, qty)
    out.push({ sku: sku.code, lot, quantity })
    need -= quantity
  }
  return out
}

function scheduleArrival(
  w: DemoWorld,
  t: DemoClock,
  day: number,
  store: Store,
  number: string,
  units: DemoUnit[],
  quantities: { sku: string; lot?: string; quantity: number }[],
): void {
  const when = t.onDay(day)
  w.schedule(day, {
    minute: 8 * 60 + 30,
    actor: `${store === 'STORE-NORTH' ? 'north' : 'south'}.receiving`,
    run: async (scope) => {
      await apply(scope, receiveTransfer, { number, location: floorOf(store), receivedAt: when.at(8 * 60 + 30) })
      for (const u of units) {
        w.place(u, floorOf(store), 'in_stock')
        u.bound = undefined
      }
      for (const q of quantities) w.addQty(floorOf(store), q.sku, q.lot, q.quantity)
      w.counted('transfer_received')
    },
  })
}
