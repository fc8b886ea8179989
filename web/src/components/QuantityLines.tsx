/*
 * Stock counted rather than scanned: lines of a lot- or quantity-tracked SKU (its lot, when it has lots),
 * a quantity and, where the operation needs it, the location the stock is at (on a receipt, a cost).
 * Serial-tracked units go through the scan box; these lines travel in the same request, so mixed stock
 * moves in one event. The rules for the lines are in quantity-lines.ts.
 */
import { fmtInt } from '../format'
import { emptyLine, type QuantityLine, totalQuantity, wantsLot } from '../quantity-lines'
import type { Location, Sku } from '../types'
import { Field } from './ui'

export function QuantityLines({
  lines,
  onChange,
  skus,
  locations,
  locationLabel,
  withCost = false,
  idPrefix,
}: {
  lines: QuantityLine[]
  onChange: (lines: QuantityLine[]) => void
  skus: readonly Sku[]
  /** Shown per line when the operation needs to know where the stock is. */
  locations?: readonly Location[]
  locationLabel?: string
  /** A cost per item on each line (receiving). */
  withCost?: boolean
  idPrefix: string
}) {
  const counted = skus.filter((s) => s.tracking !== 'serial')
  const set = (i: number, patch: Partial<QuantityLine>) =>
    onChange(lines.map((l, k) => (k === i ? { ...l, ...patch } : l)))
  return (
    <fieldset className="quantity-lines">
      <legend>Lot and quantity stock</legend>
      {lines.map((l, i) => {
        const sku = skus.find((s) => s.code === l.sku.trim())
        return (
          <div className="quantity-line" key={i} data-testid="quantity-line">
            <Field
              id={`${idPrefix}-q${i}-sku`}
              label="SKU"
              value={l.sku}
              // A lot typed for a lot-tracked SKU does not carry over to one without lots.
              onChange={(v) => set(i, { sku: v, lot: wantsLot(v, skus) ? l.lot : '' })}
              options={counted.map((s) => ({ value: s.code, label: `${s.name} (${s.tracking})` }))}
            />
            {wantsLot(l.sku, skus) && (
              <Field
                id={`${idPrefix}-q${i}-lot`}
                label="Lot"
                value={l.lot}
                onChange={(v) => set(i, { lot: v })}
                required={sku?.tracking === 'lot'}
              />
            )}
            <Field
              id={`${idPrefix}-q${i}-quantity`}
              label="Quantity"
              value={l.quantity}
              onChange={(v) => set(i, { quantity: v })}
              type="number"
              inputMode="numeric"
              step="1"
            />
            {withCost && (
              <Field
                id={`${idPrefix}-q${i}-cost`}
                label="Unit cost"
                value={l.cost}
                onChange={(v) => set(i, { cost: v })}
                type="number"
                inputMode="decimal"
                step="0.01"
                placeholder={sku ? String(sku.cost) : undefined}
              />
            )}
            {locations && (
              <Field
                id={`${idPrefix}-q${i}-location`}
                label={locationLabel ?? 'Location'}
                value={l.location}
                onChange={(v) => set(i, { location: v })}
                options={locations.map((loc) => ({ value: loc.code, label: `${loc.name} (${loc.level})` }))}
              />
            )}
            <button
              className="link-button"
              type="button"
              onClick={() => onChange(lines.length === 1 ? [emptyLine()] : lines.filter((_, k) => k !== i))}
              aria-label={`Remove quantity line ${i + 1}`}
            >
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
