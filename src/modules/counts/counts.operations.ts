import { getSkuByCode, getSkusByIds } from '../catalog/index.js'
import { findLotId } from '../lots/index.js'
import { defineOperation, idsOf, loadLocation, stockOperation } from '../operations/index.js'
import { findUnitsBySerials } from '../units/index.js'
import { writeClose, writeScans } from './counts.repository.js'
import { decideClose, decideRecount, decideScans, decideStart, type ScanSku } from './counts.rules.js'
import { findScannedUnits, findSeenKeys, getCount, reconcile } from './counts.queries.js'
import {
  CloseCountRequest,
  CloseCountResult,
  CountNumberParams,
  RecountRequest,
  ScanCountRequest,
  ScanResult,
  StartCountRequest,
} from './counts.schemas.js'

/** Opens a count of a location subtree (blind unless asked), while the store keeps trading. */
export const startCount = stockOperation({
  name: 'startCount',
  url: '/counts',
  summary: 'Start a cycle count of a location subtree, optionally limited to SKUs',
  tag: 'counts',
  policy: 'stock.adjust',
  body: StartCountRequest,
  events: ['count_started'],
  document: 'count',
  load: async (trx, cmd) => ({
    location: (await loadLocation(trx, cmd.location))!,
    skus: await Promise.all([...new Set(cmd.skus)].map((code) => getSkuByCode(trx, code))),
  }),
  decide: decideStart,
})

/** Takes a batch of scans from one counter's device; each scan's key makes a replay count once. */
export const scanCount = defineOperation({
  name: 'scanCount',
  url: '/counts/:number/scans',
  summary: 'Record a batch of count scans (serials, or SKU and quantity), each with its idempotency key',
  tag: 'counts',
  policy: 'stock.operate',
  params: CountNumberParams,
  body: ScanCountRequest,
  response: ScanResult,
  events: ['counted', 'found'],
  document: 'count',
  load: async (trx, cmd) => {
    const count = await getCount(trx, cmd.number)
    const serials = cmd.scans.flatMap((s) => {
      const t = s.serial?.trim()
      return t === undefined ? [] : [t, t.toUpperCase(), t.toLowerCase()]
    })
    const units = serials.length > 0 ? await findUnitsBySerials(trx, [...new Set(serials)]) : []
    const skus = new Map<string, ScanSku>()
    const lots = new Map<string, string>()
    for (const s of cmd.scans) {
      if (s.serial !== undefined || s.sku === undefined || skus.has(s.sku)) continue
      const sku = await getSkuByCode(trx, s.sku)
      skus.set(s.sku, sku)
    }
    for (const s of cmd.scans) {
      const sku = s.sku ? skus.get(s.sku) : undefined
      if (!sku || !s.lot || lots.has(`${sku.id}|${s.lot}`)) continue
      const lotId = await findLotId(trx, sku.id, s.lot)
      if (lotId) lots.set(`${sku.id}|${s.lot}`, lotId)
    }
    const unitSkus = await getSkusByIds(trx, [...new Set(units.map((u) => u.skuId))])
    return {
      count,
      location: (await loadLocation(trx, cmd.location))!,
      units,
      gtins: new Map([...unitSkus].map(([id, sku]) => [id, sku.gtin])),
      skus,
      lots,
      seenKeys: await findSeenKeys(
        trx,
        count.id,
        cmd.scans.map((s) => s.key),
      ),
      scannedUnitIds: await findScannedUnits(trx, count.id, idsOf(units)),
    }
  },
  decide: decideScans,
  write: writeScans,
})

/** Sets a zone's scans aside so it is counted again before the count closes. */
export const recountZone = stockOperation({
  name: 'recountZone',
  url: '/counts/:number/recount',
  summary: 'Recount a zone: its scans so far are set aside',
  tag: 'counts',
  policy: 'stock.adjust',
  params: CountNumberParams,
  body: RecountRequest,
  events: ['count_recounted'],
  document: 'count',
  load: async (trx, cmd) => ({
    count: await getCount(trx, cmd.number),
    location: (await loadLocation(trx, cmd.location))!,
  }),
  decide: decideRecount,
})

/** Closes a count (a manager): posts its adjustments and seals it. */
export const closeCount = defineOperation({
  name: 'closeCount',
  url: '/counts/:number/close',
  summary: 'Close a count: missing units become missing, misplaced units are moved, quantity variances posted',
  tag: 'counts',
  policy: 'stock.adjust',
  params: CountNumberParams,
  body: CloseCountRequest,
  response: CloseCountResult,
  events: ['count_closed'],
  document: 'count',
  load: async (trx, cmd) => {
    const count = await getCount(trx, cmd.number)
    if (count.status === 'closed') return { count, missing: [], misplaced: [], found: [], variances: [] }
    const r = await reconcile(trx, count)
    const seen = (items: typeof r.misplaced) => items.map((i) => ({ unit: i.unit, seenAt: i.seenAt! }))
    return {
      count,
      missing: r.missing.map((i) => i.unit),
      misplaced: seen(r.misplaced.filter((i) => !i.changedSinceScan)),
      found: seen([...r.found.nowMissing, ...r.otherStatus].filter((i) => i.unit.status === 'missing')),
      variances: r.quantities,
    }
  },
  decide: decideClose,
  write: writeClose,
})
