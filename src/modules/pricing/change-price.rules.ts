import { AppError, IssueList } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import { daysSince } from '../lifecycle/ageing.rules.js'
import * as op from '../operations/operations.rules.js'
import {
  capRefusal,
  floorRefusal,
  type MarkdownAction,
  type MarkdownCap,
  type MarkdownPolicy,
  type PriceFacts,
  recommendPrice,
  skuSignals,
} from './markdown.rules.js'
import type { StageSettings, WeeklySales } from '../lifecycle/stage.rules.js'
import type { ApplyMarkdownsRequest, ChangePriceRequest } from './pricing.schemas.js'

/** A unit with what its price rules need: its prices and its group's cap (none: uncapped). */
export interface PricedUnit {
  unit: op.UnitFact
  price: PriceFacts
  cap?: MarkdownCap
}

/** Lot or quantity stock at one location, with its prices and markdowns (the cap applies as to a unit). */
export interface PricedStock {
  field: string
  sku: op.SkuFact
  lotId: string | null
  location: op.LocationFact
  onHand: number
  latestEvent?: op.LatestEvent
  price: PriceFacts
  cap?: MarkdownCap
}

interface PriceLine {
  field: string
  value: string
  label: string
  newMinor: number
  price: PriceFacts
  cap?: MarkdownCap
}

/** Whether every line lowers (a markdown), raises or keeps its price; a mix is refused (split it in two). */
function directionOf(lines: readonly PriceLine[]): 'markdown' | 'price_rise' | 'price_set' {
  const down = lines.filter((l) => l.newMinor < l.price.currentMinor)
  const up = lines.filter((l) => l.newMinor > l.price.currentMinor)
  if (down.length > 0 && up.length > 0)
    throw new AppError(
      'price.mixed_direction',
      `${down.length} line(s) lower the price and ${up.length} raise it (e.g. ${up[0]!.label}); ` +
        'send markdowns and rises as two changes, so the cap counts markdowns only',
    )
  return down.length > 0 ? 'markdown' : up.length > 0 ? 'price_rise' : 'price_set'
}

/** Refuses markdowns below a floor (cost) or beyond the group's cap, every bad line named. */
function refuseBrokenLimits(lines: readonly PriceLine[], at: string): void {
  const floors = new IssueList()
  const caps = new IssueList()
  for (const l of lines) {
    if (l.newMinor >= l.price.currentMinor) continue
    const floor = floorRefusal(l.price, l.newMinor)
    if (floor) floors.add({ field: l.field, value: l.value, message: `${l.label}: ${floor}` })
    const cap = capRefusal(l.price, l.newMinor, l.cap, at)
    if (cap) caps.add({ field: l.field, value: l.value, message: `${l.label}: ${cap}` })
  }
  floors.throwIfAny('price.below_cost', 'below cost')
  caps.throwIfAny('price.markdown_cap', 'beyond the markdown cap')
}

interface PriceDraft {
  number?: string
  note?: string
  source: 'manual' | 'markdowns'
  at: string
  units: readonly { unit: PricedUnit; newMinor: number }[]
  stock: readonly { stock: PricedStock; newMinor: number }[]
}

/** The plan of one price change: one `price_changed` event, a line per unit or stock row with its new price. */
function planPriceChange(d: PriceDraft, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(d.units, d.stock)
  const lines: PriceLine[] = [
    ...d.units.map(({ unit: u, newMinor }, i) => ({
      field: `units[${i}]`,
      value: u.unit.serial,
      label: `${u.unit.skuCode} ${u.unit.serial}`,
      newMinor,
      price: u.price,
      cap: u.cap,
    })),
    ...d.stock.map(({ stock: s, newMinor }) => ({
      field: s.field,
      value: s.sku.code,
      label: `${s.sku.code} at ${s.location.code}`,
      newMinor,
      price: s.price,
      cap: s.cap,
    })),
  ]
  const kind = directionOf(lines)
  refuseBrokenLimits(lines, d.at)
  const empty = d.stock.filter((s) => s.stock.onHand <= 0)
  if (empty.length > 0)
    throw new AppError(
      'price.no_stock',
      `${empty[0]!.stock.field}: no ${empty[0]!.stock.sku.code} on hand there to reprice`,
    )
  return op.planOperation(ctx, {
    type: 'price_changed',
    document: { type: 'price_change', number: d.number, prefix: 'PRC' },
    to: null,
    from: null,
    reason: kind,
    occurredAt: d.at,
    payload: { source: d.source, ...(d.note && { note: d.note }) },
    units: d.units.map((u) => u.unit.unit),
    unitPrices: d.units.map((u) => u.newMinor),
    quantities: d.stock.map(({ stock: s, newMinor }) => ({
      sku: s.sku,
      lotId: s.lotId,
      location: s.location,
      delta: 0,
      priceMinor: newMinor,
      onHand: s.onHand,
      latestEvent: s.latestEvent,
    })),
  })
}

export interface ChangePriceFacts {
  units: PricedUnit[]
  stock: PricedStock[]
}

/** A price change by hand: markdowns below cost (unless allowed) or beyond the group's cap are refused. */
export function decideChangePrice(
  cmd: ChangePriceRequest,
  f: ChangePriceFacts,
  ctx: op.DecideContext,
): op.OperationPlan {
  return planPriceChange(
    {
      number: cmd.number,
      note: cmd.note,
      source: 'manual',
      at: op.businessTime(cmd.changedAt, ctx.now),
      units: f.units.map((unit, i) => ({ unit, newMinor: toMinor(cmd.units[i]!.price) })),
      stock: f.stock.map((stock, i) => ({ stock, newMinor: toMinor(cmd.quantities[i]!.price) })),
    },
    ctx,
  )
}

/** A unit a markdown run considers: its prices, when its age starts, and its SKU's group policy. */
export interface MarkdownCandidate extends PricedUnit {
  /** When the unit last came back to stock (else its receipt). */
  inStockSince: string
  policy: MarkdownPolicy
}

export interface ApplyMarkdownsFacts {
  candidates: MarkdownCandidate[]
  /** Weekly sales, units on hand and the SKU's own stage thresholds per SKU id (its stage and cover). */
  skus: ReadonlyMap<string, { sales: WeeklySales[]; onHand: number; settings?: Partial<StageSettings> }>
}

/**
 * Applies the current recommendations of the selection: each unit gets exactly the price its rule
 * suggests (the same rules as the list), as one `price_changed` event; nothing else is written.
 */
export function decideApplyMarkdowns(
  cmd: ApplyMarkdownsRequest,
  f: ApplyMarkdownsFacts,
  ctx: op.DecideContext,
): op.OperationPlan {
  const at = ctx.now.toISOString()
  const signals = new Map([...f.skus].map(([id, s]) => [id, skuSignals(s.sales, s.onHand, ctx.now, s.settings)]))
  const units = f.candidates.flatMap((c) => {
    const r = recommendPrice(c.price, daysSince(c.inStockSince, ctx.now), signals.get(c.unit.skuId)!, c.policy, at)
    return r && r.action === (cmd.action as MarkdownAction) ? [{ unit: c, newMinor: r.suggestedMinor }] : []
  })
  if (units.length === 0)
    throw new AppError('markdown.nothing_to_apply', `no ${cmd.action} is recommended for the selected units now`)
  return planPriceChange({ note: cmd.note, source: 'markdowns', at, units, stock: [] }, ctx)
}
