/*
 * Stock counted rather than scanned: lines of a lot- or quantity-tracked SKU (its lot, when it has lots),
 * a quantity and, where the operation needs it, the location the stock is at. Serial-tracked units go
 * through the scan box; these lines travel in the same request, so mixed stock moves in one event.
 */
import { fmtInt } from '../format'
import type { Location, Sku } from '../types'
import { Field } from './ui'

export interface QuantityLine {
  sku: string
  lot: string
  quantity: string
  location: string
}

export const emptyLine = (): QuantityLine => ({ sku: '', lot: '', quantity: '', location: '' })

/** Lines with something typed in them (an untouched blank line is ignored). */
export const filledLines = (lines: readonly QuantityLine[]) => lines.filter((l) => l.sku.trim() || l.quantity.trim() || l.lot.trim())

/** The sum of the quantities typed, for the submit button. */
export const totalQuantity = (lines: readonly QuantityLine[]) => filledLines(lines).reduce((n, l) => n + (Number(l.quantity) || 0), 0)

/**
 * What is wrong with the lines before they are sent (the server checks again, with the stock on hand):
 * an unknown or serial-tracked SKU, a lot missing for a lot-tracked SKU, a quantity that is not a
 * positive whole number, a missing location.
 */
export function quantityLinesProblem(lines: readonly QuantityLine[], skus: readonly Sku[], needsLocation: boolean): string | undefined {
  for (const [i, l] of filledLines(lines).entries()) {
    const at = `Quantity line ${i + 1}`
    const sku = skus.find((s) => s.code === l.sku.trim())
    if (!sku) return `${at}: no SKU ${l.sku.trim() || '(empty)'}`
    if (sku.tracking === 'serial') return `${at}: ${sku.code} is serial-tracked; scan its units instead`
    if (sku.tracking === 'lot' && !l.lot.trim()) return `${at}: ${sku.code} is lot-tracked; give the lot`
    const q = Number(l.quantity)
    if (!Number.isInteger(q) || q <= 0) return `${at}: the quantity must be a whole number above 0`
    if (needsLocation && !l.location.trim()) return `${at}: give the location`
  }
  return undefined
}

export function QuantityLines({
  lines,
  onChange,
  skus,
  locations,
  locationLabel,
  idPrefix,
}: {
  lines: QuantityLine[]
  onChange: (lines: QuantityLine[]) => void
  skus: readonly Sku[]
  /** Shown per line when the operation needs to know where the stock is. */
  locations?: readonly Location[]
  locationLabel?: string
  idPrefix: string
}) {
  const counted = skus.filter((s) => s.tracking !== 'serial')
  const set = (i: number, patch: Partial<QuantityLine>) => onChange(lines.map((l, k) => (k === i ? { ...l, ...patch } : l)))
  return (
    <fieldset className="quantity-lines">
      <legend>Lot and quantity stock</legend>
      {lines.map((l, i) => {
        const sku = counted.find((s) => s.code === l.sku.trim())
        return (
          <div className="quantity-line" key={i} data-testid="quantity-line">
            <Field
              id={`${idPrefix}-q${i}-sku`}
              label="SKU"
              value={l.sku}
              // A lot typed for a lot-tracked SKU does not carry over to one without lots.
              onChange={(v) => set(i, { sku: v, lot: counted.find((s) => s.code === v.trim())?.tracking === 'lot' ? l.lot : '' })}
              options={counted.map((s) => ({ value: s.code, label: `${s.name} (${s.tracking})` }))}
            />
            {sku?.tracking === 'lot' && <Field id={`${idPrefix}-q${i}-lot`} label="Lot" value={l.lot} onChange={(v) => set(i, { lot: v })} required />}
            <Field id={`${idPrefix}-q${i}-quantity`} label="Quantity" value={l.quantity} onChange={(v) => set(i, { quantity: v })} type="number" inputMode="numeric" step="1" />
            {locations && (
              <Field id={`${idPrefix}-q${i}-location`} label={locationLabel ?? 'Location'} value={l.location} onChange={(v) => set(i, { location: v })} options={locations.map((loc) => ({ value: loc.code, label: `${loc.name} (${loc.level})` }))} />
            )}
            <button className="link-button" type="button" onClick={() => onChange(lines.length === 1 ? [emptyLine()] : lines.filter((_, k) => k !== i))} aria-label={`Remove quantity line ${i + 1}`}>
              Remove
            </button>
          </div>
        )
      })}
      <div className="quantity-actions">
        <button className="button" type="button" onClick={() => onChange([...lines, emptyLine()])}>
          Add a line
        </button>
        {totalQuantity(lines) > 0 && <span className="muted">{fmtInt(totalQuantity(lines))} in all</span>}
      </div>
    </fieldset>
  )
}

/** The submit button's text: `Sell 2 units`, `Sell 1 unit and 5 items`, `Receive 12 items`. */
export function submitLabel(verb: string, units: number, lines: readonly QuantityLine[]): string {
  const items = totalQuantity(lines)
  const unitText = `${fmtInt(units)} unit${units === 1 ? '' : 's'}`
  const itemText = `${fmtInt(items)} item${items === 1 ? '' : 's'}`
  if (items === 0) return `${verb} ${unitText}`
  return units === 0 ? `${verb} ${itemText}` : `${verb} ${unitText} and ${itemText}`
}

/** The lines as the API takes them, the location under the operation's own field name. */
export function quantitiesForApi(lines: readonly QuantityLine[], locationField?: 'from' | 'location') {
  return filledLines(lines).map((l) => ({
    sku: l.sku.trim(),
    ...(l.lot.trim() && { lot: l.lot.trim() }),
    quantity: Number(l.quantity),
    ...(locationField && { [locationField]: l.location.trim() }),
  }))
}
