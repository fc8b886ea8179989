import { adjust, restock, scrap } from '../../modules/adjustments/index.js'
import { move } from '../../modules/movements/index.js'
import { apply } from '../../modules/operations/index.js'
import { returnGoods, sell } from '../../modules/sales/index.js'
import { CONSUMABLES_BIN, DEMO_CUSTOMERS, type DemoSku, type Store, backroomOf, floorOf } from './demo-catalog.js'
import type { DemoClock } from './demo-time.js'
import { type DemoAction, type DemoUnit, type DemoWorld, refOf } from './demo-world.js'
import type { Random } from './random.js'

const RETURN_REASONS = [
  'changed mind',
  'bought a different model',
  'gift: already had one',
  'defective: does not charge',
  'defective: screen flicker',
]
const staff = (store: Store, rng: Random) =>
  `${store === 'STORE-NORTH' ? 'north' : 'south'}.${rng.pick(['sam', 'alex', 'mia', 'jo'])}`

interface SaleContext {
  w: DemoWorld
  t: DemoClock
  rng: Random
  store: Store
  days: number
  consumables: DemoSku[]
  nextOrderRef: () => string
}

/** One till transaction at a store: usually a device (sometimes with an accessory), else accessories only. */
export function saleAction(c: SaleContext, withDevice: boolean): DemoAction {
  const { w, t, rng, store } = c
  const minute = rng.int(10 * 60, 19 * 60)
  return {
    minute,
    actor: staff(store, rng),
    run: async (scope) => {
      const device = withDevice ? rng.maybe(w.unitsAt(floorOf(store))) : undefined
      const extras = !withDevice || rng.chance(0.4) ? pickConsumable(c) : []
      if (!device && extras.length === 0) return
      const customer = rng.chance(0.55) ? rng.pick(DEMO_CUSTOMERS).code : undefined
      const orderRef = c.nextOrderRef()
      const discounted = device && rng.chance(0.1) ? Math.round(device.sku.price * 0.9 * 100) / 100 : undefined
      await apply(scope, sell, {
        customer,
        orderRef,
        from: store,
        units: device ? [{ ...refOf(device), price: discounted }] : [],
        quantities: extras.map((e) => ({ sku: e.sku, lot: e.lot, quantity: e.quantity, location: floorOf(store) })),
        soldAt: t.at(minute),
      })
      for (const e of extras) w.addQty(floorOf(store), e.sku, e.lot, -e.quantity)
      w.counted('sold')
      if (!device) return
      w.place(device, null, 'sold')
      Object.assign(device, { customer, orderRef })
      const returnDay = t.day + rng.int(1, 25)
      if (rng.chance(0.035) && returnDay < c.days) w.schedule(returnDay, returnAction(c, device, returnDay))
    },
  }
}

function pickConsumable(c: SaleContext): { sku: string; lot?: string; quantity: number }[] {
  const sku = c.rng.pick(c.consumables)
  const lot = c.w.stockedLots(floorOf(c.store), sku)[0]
  return lot ? [{ sku: sku.code, lot: lot.lot, quantity: Math.min(lot.qty, c.rng.int(1, 2)) }] : []
}

/** A customer brings a unit back to the store's back room; most are restocked, defective ones scrapped. */
function returnAction(c: SaleContext, unit: DemoUnit, day: number): DemoAction {
  const { w, rng, store } = c
  const t = c.t.onDay(day)
  const reason = rng.pick(RETURN_REASONS)
  return {
    minute: 14 * 60 + rng.int(0, 120),
    actor: staff(store, rng),
    run: async (scope) => {
      await apply(scope, returnGoods, {
        location: backroomOf(store),
        customer: unit.customer,
        orderRef: unit.orderRef,
        reason,
        units: [refOf(unit)],
        returnedAt: t.at(15 * 60),
      })
      w.place(unit, backroomOf(store), 'returned')
      w.counted('returned')
      const isDefective = reason.startsWith('defective')
      if (day + 2 < c.days)
        w.schedule(
          day + (isDefective ? 2 : 1),
          isDefective ? scrapReturned(c, unit, day + 2) : restockReturned(c, unit, day + 1),
        )
    },
  }
}

function restockReturned(c: SaleContext, unit: DemoUnit, day: number): DemoAction {
  const t = c.t.onDay(day)
  return {
    minute: 9 * 60 + 30,
    actor: staff(c.store, c.rng),
    run: async (scope) => {
      await apply(scope, restock, { units: [refOf(unit)], reason: 'inspected: as new', restockedAt: t.at(9 * 60 + 30) })
      await apply(scope, move, {
        to: floorOf(c.store),
        units: [refOf(unit)],
        reason: 'back to the sales floor',
        movedAt: t.at(9 * 60 + 45),
      })
      c.w.place(unit, floorOf(c.store), 'in_stock')
      c.w.counted('restocked')
      c.w.counted('moved')
    },
  }
}

function scrapReturned(c: SaleContext, unit: DemoUnit, day: number): DemoAction {
  const t = c.t.onDay(day)
  return {
    minute: 16 * 60,
    actor: 'warehouse.quality',
    run: async (scope) => {
      await apply(scope, scrap, {
        reason: 'defective return: beyond economic repair',
        units: [refOf(unit)],
        scrappedAt: t.at(16 * 60),
      })
      c.w.place(unit, null, 'scrapped')
      c.w.counted('scrapped')
    },
  }
}

/** Monthly store count: a unit is not on the shelf (lost); sometimes it turns up a few days later (found). */
export function cycleCountAction(c: SaleContext): DemoAction {
  const { w, t, rng, store } = c
  return {
    minute: 20 * 60,
    actor: `${store === 'STORE-NORTH' ? 'north' : 'south'}.manager`,
    run: async (scope) => {
      const unit = rng.maybe(w.unitsAt(floorOf(store)))
      const cable = c.consumables.find((s) => s.tracking === 'quantity')!
      const shrink = Math.min(w.qty(floorOf(store), cable.code, undefined), rng.int(1, 2))
      if (!unit && shrink === 0) return
      await apply(scope, adjust, {
        kind: 'lost',
        reason: 'cycle count: not on the shelf',
        units: unit ? [refOf(unit)] : [],
        quantities: shrink > 0 ? [{ sku: cable.code, quantity: shrink, location: floorOf(store) }] : [],
        adjustedAt: t.at(20 * 60),
      })
      w.addQty(floorOf(store), cable.code, undefined, -shrink)
      w.counted('lost')
      if (!unit) return
      w.place(unit, null, 'missing')
      const foundDay = t.day + rng.int(3, 20)
      if (rng.chance(0.4) && foundDay < c.days) w.schedule(foundDay, foundAction(c, unit, foundDay))
    },
  }
}

function foundAction(c: SaleContext, unit: DemoUnit, day: number): DemoAction {
  const t = c.t.onDay(day)
  return {
    minute: 10 * 60 + 30,
    actor: `${c.store === 'STORE-NORTH' ? 'north' : 'south'}.manager`,
    run: async (scope) => {
      await apply(scope, adjust, {
        kind: 'found',
        reason: 'found in the back room during a tidy-up',
        location: floorOf(c.store),
        units: [refOf(unit)],
        adjustedAt: t.at(10 * 60 + 30),
      })
      c.w.place(unit, floorOf(c.store), 'in_stock')
      c.w.counted('found')
    },
  }
}

/** Monthly warehouse write-off: expired lots, and now and then a device damaged in handling. */
export function warehouseScrapAction(w: DemoWorld, t: DemoClock, rng: Random, skus: DemoSku[]): DemoAction {
  return {
    minute: 17 * 60,
    actor: 'warehouse.quality',
    run: async (scope) => {
      const today = t.dateIn(0)
      const expired = skus
        .filter((s) => s.tracking === 'lot')
        .flatMap((s) =>
          (w.lots.get(s.code) ?? [])
            .filter((l) => l.expiresOn <= today)
            .map((l) => ({ sku: s.code, lot: l.code, quantity: w.qty(CONSUMABLES_BIN, s.code, l.code) })),
        )
        .filter((q) => q.quantity > 0)
      const damaged = rng.chance(0.5)
        ? rng.maybe(
            skus.filter((s) => s.tracking === 'serial').flatMap((s) => w.unitsAt(s.bin).filter((u) => u.sku === s)),
          )
        : undefined
      if (expired.length > 0) {
        await apply(scope, scrap, {
          reason: 'expired: past its best-before date',
          quantities: expired.map((q) => ({ ...q, location: CONSUMABLES_BIN })),
          scrappedAt: t.at(17 * 60),
        })
        for (const q of expired) w.addQty(CONSUMABLES_BIN, q.sku, q.lot, -q.quantity)
        w.counted('scrapped')
      }
      if (damaged) {
        await apply(scope, scrap, {
          reason: 'damaged in handling: dropped from the shelf',
          units: [refOf(damaged)],
          scrappedAt: t.at(17 * 60 + 5),
        })
        w.place(damaged, null, 'scrapped')
        w.counted('scrapped')
      }
    },
  }
}
