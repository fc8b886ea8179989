import type { AppContext } from '../../core/context.js'
import { runCommand } from '../../modules/operations/index.js'
import { DEMO_SKUS, type DemoSku, STORES, type Store } from './demo-catalog.js'
import { receiveConsumables, receiveSerialDelivery, replenishStores, type StockTargets } from './demo-inbound.js'
import { cycleCountAction, saleAction, warehouseScrapAction } from './demo-outbound.js'
import { DemoClock } from './demo-time.js'
import { type DemoAction, DemoWorld } from './demo-world.js'
import { Random } from './random.js'

export interface SimulationOptions {
  /** Serial units to receive over the period. */
  units: number
  seed: number
  days: number
  start: Date
  /** Tells a second run on the same database apart (serials and IMEIs get a run tag). */
  run: number
  /** Called after each tenth of the period with the last simulated date. */
  onProgress?: (percent: number, through: string) => void
}

const SERIAL = DEMO_SKUS.filter((s) => s.tracking === 'serial')
const CONSUMABLES = DEMO_SKUS.filter((s) => s.tracking !== 'serial')
const SERIAL_SUPPLIERS = [...new Set(SERIAL.map((s) => s.supplier))]
const CONSUMABLE_SUPPLIERS = [...new Set(CONSUMABLES.map((s) => s.supplier))]
/** More is bought and sold before the holidays, less in January. */
const SEASON = [0.8, 0.85, 0.95, 1, 1, 0.95, 0.95, 1, 1.05, 1.1, 1.35, 1.5]

/**
 * Simulates a year of trading day by day, each day one transaction: weekly device deliveries put away
 * into bins, fortnightly consumables with lots, twice-weekly transfers to the stores, daily sales,
 * returns (restocked or scrapped), monthly counts (lost and found) and warehouse write-offs.
 */
export async function simulate(ctx: AppContext, o: SimulationOptions): Promise<DemoWorld> {
  const rng = new Random(o.seed)
  const w = new DemoWorld(o.run > 0 ? `R${o.run.toString(36).toUpperCase()}` : '', (o.run * 104_729) % 1_000_000)
  const plan = planDeliveries(o, rng)
  const totalShare = SERIAL.reduce((a, s) => a + s.weight, 0)
  // Device sales per store per day, so that about 85% of what is bought is sold within the year.
  const rate = (o.units * 0.85) / o.days / STORES.length
  const year: Year = {
    o,
    w,
    rng,
    plan,
    rate,
    orders: 0,
    targets: {
      unitsOf: (s: DemoSku) => Math.max(1, Math.ceil((rate * 5 * s.weight) / totalShare)),
      quantity: Math.max(6, Math.round(rate * 1.5)),
    },
  }
  const step = Math.ceil(o.days / 10)
  for (let day = 0; day < o.days; day++) {
    const actions = actionsOf(year, new DemoClock(o.start, day)).sort((a, b) => a.minute - b.minute)
    // One transaction per day; each action records its own person as the actor.
    await runCommand(ctx, { actor: 'demo' }, async (scope) => {
      for (const a of actions) await a.run({ ...scope, actor: a.actor })
    })
    if (o.onProgress && ((day + 1) % step === 0 || day + 1 === o.days))
      o.onProgress(Math.round(((day + 1) / o.days) * 100), new DemoClock(o.start, day).dateIn(0))
  }
  return w
}

interface Year {
  o: SimulationOptions
  w: DemoWorld
  rng: Random
  plan: Map<string, Map<DemoSku, number>>
  rate: number
  targets: StockTargets
  orders: number
}

/** What happens on one day: what was scheduled earlier, deliveries, replenishment, sales, counts, write-offs. */
function actionsOf(y: Year, t: DemoClock): DemoAction[] {
  const { o, w, rng, rate } = y
  const day = t.day
  const actions: DemoAction[] = [...(w.scheduled.get(day) ?? [])]
  w.scheduled.delete(day)
  for (const [i, supplier] of SERIAL_SUPPLIERS.entries()) {
    const counts = y.plan.get(`${day}|${supplier}`)
    if (counts)
      actions.push({
        minute: 9 * 60 + i,
        actor: 'warehouse.jo',
        run: (s) => receiveSerialDelivery(s, w, t, supplier, counts, rng),
      })
  }
  for (const [i, supplier] of CONSUMABLE_SUPPLIERS.entries()) {
    if (day % 14 !== 2 + i * 2) continue
    const skus = CONSUMABLES.filter((s) => s.supplier === supplier)
    const quantityOf = () => Math.max(10, Math.round(rate * 1.4 * (0.8 + rng.next() * 0.4)))
    actions.push({
      minute: 8 * 60 + 45,
      actor: 'warehouse.jo',
      run: (s) => receiveConsumables(s, w, t, supplier, skus, quantityOf),
    })
  }
  if (t.weekday === 1 || t.weekday === 4)
    actions.push({
      minute: 11 * 60,
      actor: 'warehouse.kim',
      run: (s) => replenishStores(s, w, t, day, DEMO_SKUS, y.targets),
    })
  for (const store of STORES) {
    const c = {
      w,
      t,
      rng,
      store: store as Store,
      days: o.days,
      consumables: CONSUMABLES,
      nextOrderRef: () => `${store.slice(6, 7)}-POS-${String(++y.orders).padStart(6, '0')}`,
    }
    const busy = (t.weekday === 6 ? 1.5 : t.weekday === 0 ? 0.6 : 1) * SEASON[t.month]!
    for (let n = Math.round(rate * busy * (0.6 + rng.next() * 0.8)); n > 0; n--) actions.push(saleAction(c, true))
    for (let n = Math.round(rate * 0.4 * busy * (0.5 + rng.next())); n > 0; n--) actions.push(saleAction(c, false))
    if (t.dayOfMonth === 15) actions.push(cycleCountAction(c))
  }
  if (t.dayOfMonth === 25) actions.push(warehouseScrapAction(w, t, rng, DEMO_SKUS))
  return actions
}

/**
 * Which supplier delivers how many of each device on which day: `units` in total, spread over weekly
 * deliveries by season, each unit's SKU drawn by the SKU's weight.
 */
function planDeliveries(o: SimulationOptions, rng: Random): Map<string, Map<DemoSku, number>> {
  const weeks = Math.ceil(o.days / 7)
  const weights = Array.from({ length: weeks }, (_, k) => SEASON[new DemoClock(o.start, k * 7).month]!)
  const total = weights.reduce((a, b) => a + b, 0)
  const plan = new Map<string, Map<DemoSku, number>>()
  let cumulative = 0
  for (let k = 0; k < weeks; k++) {
    const before = Math.round((cumulative / total) * o.units)
    cumulative += weights[k]!
    const count = Math.round((cumulative / total) * o.units) - before
    for (let n = 0; n < count; n++) {
      const sku = SERIAL[rng.weighted(SERIAL.map((s) => s.weight))]!
      const day = Math.min(k * 7 + SERIAL_SUPPLIERS.indexOf(sku.supplier), o.days - 1)
      const key = `${day}|${sku.supplier}`
      const counts = plan.get(key) ?? plan.set(key, new Map()).get(key)!
      counts.set(sku, (counts.get(sku) ?? 0) + 1)
    }
  }
  return plan
}
