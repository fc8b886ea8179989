import type { WriteScope } from '../../core/context.js'
import type { DemoSku, Store } from './demo-catalog.js'
import { withLuhnDigit } from './random.js'

export type DemoStatus = 'in_stock' | 'in_transit' | 'sold' | 'returned' | 'missing' | 'scrapped'

/** The demo's own picture of one unit, kept in step with the ledger so it only asks for legal operations. */
export interface DemoUnit {
  serial: string
  sku: DemoSku
  status: DemoStatus
  location: string | null
  customer?: string
  orderRef?: string
  /** The store a transfer is taking it to. */
  bound?: Store
}

/** Something that happens at a minute of a day, acting as a named person. */
export interface DemoAction {
  minute: number
  actor: string
  run(scope: WriteScope): Promise<void>
}

export interface DemoLot {
  code: string
  expiresOn: string
}

/**
 * Everything the simulation knows: units by location, quantity stock by location/SKU/lot, lots in
 * receiving order, and actions scheduled for later days (transfer arrivals, returns, found units).
 */
export class DemoWorld {
  private readonly byLocation = new Map<string, Set<DemoUnit>>()
  private readonly quantities = new Map<string, number>()
  private readonly serialCounters = new Map<string, number>()
  private readonly transit = new Set<DemoUnit>()
  readonly lots = new Map<string, DemoLot[]>()
  readonly scheduled = new Map<number, DemoAction[]>()
  readonly eventCounts = new Map<string, number>()
  unitsReceived = 0

  constructor(
    /** Makes serials of a second (forced) demo run differ from the first. */
    private readonly runTag: string,
    private readonly imeiOffset: number,
  ) {}

  newUnit(sku: DemoSku, location: string): { unit: DemoUnit; identifiers?: Record<string, string> } {
    const n = (this.serialCounters.get(sku.code) ?? 0) + 1
    this.serialCounters.set(sku.code, n)
    const unit: DemoUnit = {
      serial: `${sku.serialPrefix}${this.runTag}${String(n).padStart(6, '0')}`,
      sku,
      status: 'in_stock',
      location: null,
    }
    this.place(unit, location)
    this.unitsReceived++
    if (sku.tac)
      return {
        unit,
        identifiers: { imei: withLuhnDigit(`${sku.tac}${String((this.imeiOffset + n) % 1_000_000).padStart(6, '0')}`) },
      }
    if (sku.hasMac)
      return { unit, identifiers: { mac: `02:4E:57:${hexByte(n >> 16)}:${hexByte(n >> 8)}:${hexByte(n)}` } }
    return { unit }
  }

  /** Moves a unit in the model (null: it is nowhere, e.g. sold or in transit). */
  place(unit: DemoUnit, location: string | null, status: DemoStatus = unit.status): void {
    if (unit.location) this.byLocation.get(unit.location)?.delete(unit)
    unit.location = location
    unit.status = status
    if (status === 'in_transit') this.transit.add(unit)
    else this.transit.delete(unit)
    if (location) (this.byLocation.get(location) ?? this.byLocation.set(location, new Set()).get(location)!).add(unit)
  }

  unitsAt(location: string, status: DemoStatus = 'in_stock'): DemoUnit[] {
    return [...(this.byLocation.get(location) ?? [])].filter((u) => u.status === status)
  }

  /** Units of a SKU on their way to a store. */
  boundFor(store: Store, sku: DemoSku): number {
    let n = 0
    for (const u of this.transit) if (u.bound === store && u.sku === sku) n++
    return n
  }

  qty(location: string, sku: string, lot: string | undefined): number {
    return this.quantities.get(`${location}|${sku}|${lot ?? ''}`) ?? 0
  }

  addQty(location: string, sku: string, lot: string | undefined, delta: number): void {
    const key = `${location}|${sku}|${lot ?? ''}`
    this.quantities.set(key, (this.quantities.get(key) ?? 0) + delta)
  }

  /**
   * Lots of a SKU at a location with stock, oldest first (first-expired, first-out); `[undefined]` for quantity SKUs.
   */
  stockedLots(location: string, sku: DemoSku): { lot: string | undefined; qty: number }[] {
    const lots = sku.tracking === 'lot' ? (this.lots.get(sku.code) ?? []).map((l) => l.code) : [undefined]
    return lots.map((lot) => ({ lot, qty: this.qty(location, sku.code, lot) })).filter((l) => l.qty > 0)
  }

  schedule(day: number, action: DemoAction): void {
    ;(this.scheduled.get(day) ?? this.scheduled.set(day, []).get(day)!).push(action)
  }

  counted(type: string, n = 1): void {
    this.eventCounts.set(type, (this.eventCounts.get(type) ?? 0) + n)
  }
}

const hexByte = (n: number) => (n & 0xff).toString(16).toUpperCase().padStart(2, '0')

/** A unit as operations name it: serial plus SKU, so a serial shared by two SKUs is never ambiguous. */
export const refOf = (u: DemoUnit) => ({ serial: u.serial, sku: u.sku.code })
