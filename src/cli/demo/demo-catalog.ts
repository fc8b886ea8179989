import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { createSku, type CreateSkuRequest, findSkuByCode } from '../../modules/catalog/index.js'
import { createLocation, type CreateLocationRequest, findLocationByCode } from '../../modules/locations/index.js'
import { createParty, type CreatePartyRequest, getPartyByCode } from '../../modules/parties/index.js'
import { withGs1CheckDigit } from './random.js'

/** A demo product: its catalog entry plus how the simulation buys and stocks it. */
export interface DemoSku {
  code: string
  name: string
  tracking: 'serial' | 'lot' | 'quantity'
  cost: number
  price: number
  warrantyMonths: number
  supplier: string
  /** Relative share of purchases and sales. */
  weight: number
  /** Warehouse bin it is put away in. */
  bin: string
  serialPrefix?: string
  /** Type allocation code of a phone; its units get a unique IMEI. */
  tac?: string
  hasMac?: boolean
  /** Days from receipt to the lot's expiry (lot-tracked goods). */
  shelfLifeDays?: number
}

export const WAREHOUSE = 'WH-MAIN'
export const RECEIVING_DOCK = 'WH-RECV'
export const CONSUMABLES_BIN = 'WH-B-01'
export const STORES = ['STORE-NORTH', 'STORE-SOUTH'] as const
export type Store = (typeof STORES)[number]
export const floorOf = (store: string) => `${store}-FLOOR`
export const backroomOf = (store: string) => `${store}-BACK`

type Sourcing = Pick<DemoSku, 'supplier' | 'bin' | 'serialPrefix' | 'tac' | 'hasMac'> & { warrantyMonths?: number }
type Priced = [code: string, name: string, cost: number, price: number, weight: number]
/** A serial-tracked product: its price list figures plus where it comes from and is put away. */
const serialized = ([code, name, cost, price, weight]: Priced, o: Sourcing): DemoSku => ({
  ...{ code, name, tracking: 'serial', cost, price, weight, warrantyMonths: 24 },
  ...o,
})
const phone = (...[code, name, cost, price, weight, prefix, tac]: [...Priced, string, string]) =>
  serialized([code, name, cost, price, weight], { supplier: 'SUP-APEX', bin: 'WH-A-01', serialPrefix: prefix, tac })
const laptop = (...[code, name, cost, price, weight, prefix]: [...Priced, string]) =>
  serialized([code, name, cost, price, weight], {
    supplier: 'SUP-NORTHWIND',
    bin: 'WH-A-02',
    serialPrefix: prefix,
    hasMac: true,
  })
const device = (...[code, name, cost, price, weight, supplier, bin, prefix]: [...Priced, string, string, string]) =>
  serialized([code, name, cost, price, weight], { supplier, bin, serialPrefix: prefix, warrantyMonths: 12 })
const consumable = (
  code: string,
  name: string,
  tracking: 'lot' | 'quantity',
  cost: number,
  price: number,
  supplier: string,
  shelfLifeDays?: number,
): DemoSku => ({
  code,
  name,
  tracking,
  cost,
  price,
  warrantyMonths: 0,
  supplier,
  weight: 1,
  bin: CONSUMABLES_BIN,
  shelfLifeDays,
})

export const DEMO_SKUS: DemoSku[] = [
  phone('PHN-APX15-128', 'Apex 15 128GB', 520, 799, 10, 'AX15A', '35328115'),
  phone('PHN-APX15-256', 'Apex 15 256GB', 590, 899, 6, 'AX15B', '35328116'),
  phone('PHN-APX15P-256', 'Apex 15 Pro 256GB', 760, 1199, 5, 'AX15P', '35328117'),
  phone('PHN-NOVA-A54', 'Nova A54 128GB', 230, 379, 9, 'NVA54', '35467211'),
  phone('PHN-NOVA-A34', 'Nova A34 64GB', 160, 269, 8, 'NVA34', '35467212'),
  laptop('LAP-NW-AIR13', 'Northwind Air 13"', 780, 1099, 5, 'NWAIR'),
  laptop('LAP-NW-PRO14', 'Northwind Pro 14"', 1150, 1599, 3, 'NWP14'),
  laptop('LAP-NW-PRO16', 'Northwind Pro 16"', 1450, 1999, 2, 'NWP16'),
  laptop('LAP-NW-BOOK15', 'Northwind Book 15"', 430, 649, 4, 'NWB15'),
  device('TAB-NW-TAB10', 'Northwind Tab 10', 260, 399, 3, 'SUP-NORTHWIND', 'WH-A-04', 'NWT'),
  device('WAT-TW-S3-41', 'TimeWorks S3 41mm', 180, 299, 5, 'SUP-TIMEWORKS', 'WH-A-03', 'TW341'),
  device('WAT-TW-S3-45', 'TimeWorks S3 45mm', 195, 329, 4, 'SUP-TIMEWORKS', 'WH-A-03', 'TW345'),
  device('WAT-TW-ULTRA', 'TimeWorks Ultra', 430, 699, 2, 'SUP-TIMEWORKS', 'WH-A-03', 'TWU'),
  consumable('BAT-VC-AA8', 'VoltCell AA alkaline, 8-pack', 'lot', 3.2, 6.99, 'SUP-VOLTCELL', 5 * 365),
  consumable('BAT-VC-CR2032', 'VoltCell CR2032 coin cell, 4-pack', 'lot', 2.1, 5.49, 'SUP-VOLTCELL', 4 * 365),
  consumable('CRM-LU-HYD50', 'Lumen Hydra face cream 50 ml', 'lot', 7.5, 19.9, 'SUP-LUMEN', 540),
  consumable('CRM-LU-SPF30', 'Lumen sun cream SPF30 100 ml', 'lot', 6, 16.5, 'SUP-LUMEN', 450),
  consumable('CBL-USBC-1M', 'USB-C to USB-C cable 1 m', 'quantity', 1.8, 9.99, 'SUP-CABLECO'),
  consumable('CBL-USBC-2M', 'USB-C to USB-C cable 2 m', 'quantity', 2.4, 12.99, 'SUP-CABLECO'),
  consumable('CSE-APX15-CLR', 'Apex 15 clear case', 'quantity', 1.5, 14.99, 'SUP-CABLECO'),
  consumable('CSE-APX15-LTH', 'Apex 15 leather case', 'quantity', 6, 34.99, 'SUP-CABLECO'),
]

const site = (code: string, name: string, kind: 'warehouse' | 'store'): CreateLocationRequest => ({
  code,
  name,
  level: 'site',
  kind,
})
const zone = (code: string, name: string, parent: string): CreateLocationRequest => ({
  code,
  name,
  level: 'zone',
  parent,
})
const bin = (code: string, name: string, parent: string): CreateLocationRequest => ({
  code,
  name,
  level: 'bin',
  parent,
})

const LOCATIONS: CreateLocationRequest[] = [
  site(WAREHOUSE, 'Central Warehouse', 'warehouse'),
  zone(RECEIVING_DOCK, 'Receiving dock', WAREHOUSE),
  zone('WH-A', 'Aisle A: devices', WAREHOUSE),
  bin('WH-A-01', 'A-01 phones', 'WH-A'),
  bin('WH-A-02', 'A-02 laptops', 'WH-A'),
  bin('WH-A-03', 'A-03 wearables', 'WH-A'),
  bin('WH-A-04', 'A-04 tablets', 'WH-A'),
  zone('WH-B', 'Aisle B: accessories and consumables', WAREHOUSE),
  bin(CONSUMABLES_BIN, 'B-01 accessories, batteries, creams', 'WH-B'),
  site('STORE-NORTH', 'North Mall Store', 'store'),
  zone(floorOf('STORE-NORTH'), 'North: sales floor', 'STORE-NORTH'),
  zone(backroomOf('STORE-NORTH'), 'North: back room', 'STORE-NORTH'),
  site('STORE-SOUTH', 'Harbour Street Store', 'store'),
  zone(floorOf('STORE-SOUTH'), 'South: sales floor', 'STORE-SOUTH'),
  zone(backroomOf('STORE-SOUTH'), 'South: back room', 'STORE-SOUTH'),
]

const SUPPLIERS: CreatePartyRequest[] = [
  {
    code: 'SUP-APEX',
    name: 'Apex Mobile Distribution',
    role: 'supplier',
    email: 'orders@apex-mobile.example',
    phone: '+44 20 7946 0101',
  },
  {
    code: 'SUP-NORTHWIND',
    name: 'Northwind Computing',
    role: 'supplier',
    email: 'trade@northwind.example',
    phone: '+44 161 496 0202',
  },
  { code: 'SUP-TIMEWORKS', name: 'TimeWorks Wearables', role: 'supplier', email: 'supply@timeworks.example' },
  { code: 'SUP-VOLTCELL', name: 'VoltCell Batteries', role: 'supplier', email: 'sales@voltcell.example' },
  { code: 'SUP-LUMEN', name: 'Lumen Skincare Labs', role: 'supplier', email: 'wholesale@lumen.example' },
  { code: 'SUP-CABLECO', name: 'CableCo Accessories', role: 'supplier', email: 'b2b@cableco.example' },
]

const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'David',
  'Elif',
  'Farid',
  'Grace',
  'Hugo',
  'Isla',
  'Jonas',
  'Keiko',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
]
const LAST = ['Silva', 'Okafor', 'Novak', 'Schmidt', 'Yilmaz', 'Haddad', 'Murphy', 'Laurent', 'Berg', 'Tanaka']

/** Forty customers with deterministic names and contact details. */
export const DEMO_CUSTOMERS: CreatePartyRequest[] = Array.from({ length: 40 }, (_, i) => {
  const [first, last] = [FIRST[i % FIRST.length]!, LAST[(i * 7) % LAST.length]!]
  return {
    code: `CUS-${String(i + 1).padStart(4, '0')}`,
    name: `${first} ${last}`,
    role: 'customer',
    email: `${first}.${last}@mail.example`.toLowerCase(),
  }
})

/** Creates the demo's locations, parties and SKUs through the services, reusing any that already exist. */
export async function ensureDemoReference(ctx: AppContext): Promise<void> {
  const db = ctx.db.kysely
  for (const loc of LOCATIONS) if (!(await findLocationByCode(db, loc.code))) await createLocation(ctx, loc)
  for (const party of [...SUPPLIERS, ...DEMO_CUSTOMERS])
    if (!(await partyExists(ctx, party.code))) await createParty(ctx, party)
  for (const [i, sku] of DEMO_SKUS.entries())
    if (!(await findSkuByCode(db, sku.code))) await createSku(ctx, skuRequest(sku, i))
}

async function partyExists(ctx: AppContext, code: string): Promise<boolean> {
  try {
    await getPartyByCode(ctx.db.kysely, code)
    return true
  } catch (e) {
    if (e instanceof AppError && e.code === 'party.not_found') return false
    throw e
  }
}

function skuRequest(s: DemoSku, index: number): CreateSkuRequest {
  const identifiers = s.tac
    ? [{ name: 'imei', isUnique: true, pattern: '\\d{15}' }]
    : s.hasMac
      ? [{ name: 'mac', isUnique: false }]
      : []
  return {
    code: s.code,
    name: s.name,
    tracking: s.tracking,
    gtin: withGs1CheckDigit(`5012345${String(index + 1).padStart(5, '0')}`),
    cost: s.cost,
    price: s.price,
    warrantyMonths: s.warrantyMonths,
    returnWindowDays: s.tracking === 'serial' ? 30 : 14,
    serialPattern: s.tracking === 'serial' ? '[A-Z0-9]{6,24}' : undefined,
    identifiers,
  }
}
