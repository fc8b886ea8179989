/*
 * Lines of stock counted rather than scanned (lot- and quantity-tracked SKUs), as the forms hold them:
 * checked before sending and turned into the API's quantity lines or receipt lines.
 */
import { plural } from './format.js'
import type { Sku } from './types.js'

export interface QuantityLine {
  sku: string
  lot: string
  quantity: string
  location: string
  /** Cost per item, on a receipt only ('' = the SKU's standard cost). */
  cost: string
}

export const emptyLine = (): QuantityLine => ({ sku: '', lot: '', quantity: '', location: '', cost: '' })

const isFilled = (l: QuantityLine) => Boolean(l.sku.trim() || l.quantity.trim() || l.lot.trim() || l.cost.trim())

/** Lines with something typed in them (an untouched blank line is ignored). */
export const filledLines = (lines: readonly QuantityLine[]) => lines.filter(isFilled)

/**
 * Whether a line asks for a lot: its SKU is lot-tracked, or not in the list the page loaded (a SKU
 * created since, or past the list's first thousand), where the server decides.
 */
export const wantsLot = (code: string, skus: readonly Sku[]) => {
  const sku = skus.find((s) => s.code === code.trim())
  return sku ? sku.tracking === 'lot' : code.trim() !== ''
}

/** The sum of the quantities typed, for the submit button. */
export const totalQuantity = (lines: readonly QuantityLine[]) =>
  filledLines(lines).reduce((n, l) => n + (Number(l.quantity) || 0), 0)

/**
 * What is wrong with the lines before they are sent, numbered as on screen (the server checks again,
 * with the stock on hand and SKUs this page does not know): no SKU, a serial-tracked SKU, a lot missing
 * for a lot-tracked SKU, a quantity that is not a positive whole number, a missing location.
 */
export function quantityLinesProblem(
  lines: readonly QuantityLine[],
  skus: readonly Sku[],
  needsLocation: boolean,
): string | undefined {
  for (const [i, l] of lines.entries()) {
    if (!isFilled(l)) continue
    const at = `Quantity line ${i + 1}`
    const sku = skus.find((s) => s.code === l.sku.trim())
    if (!l.sku.trim()) return `${at}: give the SKU`
    if (sku?.tracking === 'serial') return `${at}: ${sku.code} is serial-tracked; scan its units instead`
    if (sku?.tracking === 'lot' && !l.lot.trim()) return `${at}: ${sku.code} is lot-tracked; give the lot`
    const q = Number(l.quantity)
    if (!l.quantity.trim() || !Number.isInteger(q) || q <= 0)
      return `${at}: the quantity must be a whole number above 0`
    if (l.cost.trim() && !(Number(l.cost) >= 0)) return `${at}: the cost must be a number, 0 or more`
    if (needsLocation && !l.location.trim()) return `${at}: give the location`
  }
  return undefined
}

/** The submit button's text: `Sell 2 units`, `Sell 1 unit and 5 items`, `Receive 12 items`. */
export function submitLabel(verb: string, units: number, lines: readonly QuantityLine[]): string {
  const items = totalQuantity(lines)
  if (items === 0) return `${verb} ${plural(units, 'unit')}`
  return units === 0
    ? `${verb} ${plural(items, 'item')}`
    : `${verb} ${plural(units, 'unit')} and ${plural(items, 'item')}`
}

/** One counted line as an operation takes it. */
export interface CountedStock {
  sku: string
  lot?: string
  quantity: number
}

/** The lines as an operation takes them, with the location under the operation's own field name. */
export function quantitiesForApi(lines: readonly QuantityLine[]): CountedStock[]
export function quantitiesForApi<F extends 'from' | 'location'>(
  lines: readonly QuantityLine[],
  locationField: F,
): (CountedStock & Record<F, string>)[]
export function quantitiesForApi(lines: readonly QuantityLine[], locationField?: 'from' | 'location'): CountedStock[] {
  return filledLines(lines).map((l) => ({
    sku: l.sku.trim(),
    ...(l.lot.trim() && { lot: l.lot.trim() }),
    quantity: Number(l.quantity),
    ...(locationField && { [locationField]: l.location.trim() }),
  }))
}

/** The lines as receipt lines (a cost per item when one was given). */
export function receiptLinesForApi(lines: readonly QuantityLine[]) {
  return filledLines(lines).map((l) => ({
    sku: l.sku.trim(),
    ...(l.lot.trim() && { lot: l.lot.trim() }),
    quantity: Number(l.quantity),
    ...(l.cost.trim() && { unitCost: Number(l.cost) }),
  }))
}
