import { useState } from 'react'

const LAYOUTS = [
  ['thermal-50x25', 'Thermal 50 × 25 mm'],
  ['jewelry-dumbbell', 'Jewelry tag (dumbbell)'],
  ['a4-grid', 'A4 sheet (3 × 8)'],
  ['letter-grid', 'Letter sheet (3 × 10)'],
] as const

/**
 * Print labels for a receipt's units or the given serials: a layout, a symbol (GS1 DataMatrix or the Digital
 * Link as QR) and the output (a PDF to print from the browser, or ZPL for a Zebra printer), opened in a new tab.
 */
export function PrintLabels({ receipt, serials }: { receipt?: string; serials?: string[] }) {
  const [layout, setLayout] = useState<string>(LAYOUTS[0][0])
  const [symbol, setSymbol] = useState('datamatrix')
  const params = (format: string) =>
    new URLSearchParams({
      ...(receipt && { receipt }),
      ...(serials && { serials: serials.join(',') }),
      format,
      layout,
      symbol,
    }).toString()
  return (
    <span className="print-labels">
      <label>
        Layout{' '}
        <select value={layout} onChange={(e) => setLayout(e.target.value)} aria-label="Label layout">
          {LAYOUTS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Symbol{' '}
        <select value={symbol} onChange={(e) => setSymbol(e.target.value)} aria-label="Label symbol">
          <option value="datamatrix">GS1 DataMatrix</option>
          <option value="qr">QR (Digital Link)</option>
        </select>
      </label>{' '}
      <a className="button" href={`/api/v1/labels?${params('pdf')}`} target="_blank" rel="noreferrer">
        Print labels
      </a>{' '}
      <a className="button" href={`/api/v1/labels?${params('zpl')}`} download="labels.zpl">
        ZPL
      </a>
    </span>
  )
}
