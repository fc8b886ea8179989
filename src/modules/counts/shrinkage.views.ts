import { stringify } from 'csv-stringify/sync'
import { fromMinor } from '../../core/money.js'
import type { ShrinkageReport } from './shrinkage.queries.js'
import type { ShrinkageView } from './shrinkage.schemas.js'
import type { StockException } from './shrinkage.rules.js'

const major = (minor: number) => fromMinor(minor)!
const tally = <T extends { valueMinor: number }>({ valueMinor, ...t }: T) => ({ ...t, value: major(valueMinor) })

/** The shrinkage report as the API answers it (money in major units, lost units cut to `limit`). */
export function shrinkageView(
  r: ShrinkageReport,
  q: { from: string; to: string; period: ShrinkageView['period'] },
  limit: number,
): ShrinkageView {
  const { total, byLocation, bySku, trend } = r.summary
  return {
    ...q,
    total: { ...tally(total), stockValue: major(total.stockValueMinor), share: total.share },
    byLocation: byLocation.map(({ stockValueMinor, ...l }) => ({ ...tally(l), stockValue: major(stockValueMinor) })),
    bySku: bySku.map(tally),
    trend: trend.map(tally),
    units: r.units.slice(0, limit).map(({ valueMinor, ...u }) => ({ ...u, value: major(valueMinor) })),
  }
}

export const exceptionView = ({ valueMinor, ...e }: StockException) => ({ ...e, value: fromMinor(valueMinor) })

export const SHRINKAGE_COLUMNS = [
  'serial',
  'sku',
  'status',
  'lost_at',
  'lost_by',
  'reason',
  'document',
  'value',
  'last_seen_at',
  'last_seen_location',
  'last_seen_event',
  'last_seen_by',
] as const

/** The lost units of a shrinkage report as CSV rows (`SHRINKAGE_COLUMNS`). */
export const shrinkageRows = (r: ShrinkageReport): unknown[][] =>
  r.units.map((u) => [
    u.serial,
    u.sku,
    u.status,
    u.lostAt,
    u.lostBy,
    u.reason,
    u.document,
    major(u.valueMinor),
    u.lastSeen?.at,
    u.lastSeen?.location,
    u.lastSeen?.type,
    u.lastSeen?.actor,
  ])

/** The lost units of a shrinkage report as CSV text: what the API's CSV and `report shrinkage` write. */
export const shrinkageCsv = (r: ShrinkageReport): string =>
  stringify(shrinkageRows(r), { header: true, columns: [...SHRINKAGE_COLUMNS] })

/** The period a query asks for: its bounds as ISO instants, with defaults counted back from now. */
export function periodBounds(q: { from?: string; to?: string }, now: Date, defaultDays: number) {
  const to = q.to ? new Date(q.to).toISOString() : now.toISOString()
  const from = q.from
    ? new Date(q.from).toISOString()
    : new Date(now.getTime() - defaultDays * 86_400_000).toISOString()
  return { from, to }
}
