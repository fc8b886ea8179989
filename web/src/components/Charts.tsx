/*
 * Two small SVG charts (no chart library: a few hundred bytes instead of a hundred kilobytes). Each has
 * a text alternative: an accessible label and the same numbers as a table under "Show numbers".
 */
import type { MouseEvent, ReactNode } from 'react'
import { fmtInt } from '../format'
import { Link, navigate } from '../router'

export interface Bar {
  label: string
  value: number
  className?: string
  /** The filtered list this bar summarises. */
  href?: string
}

/** A chart element that opens the list it summarises (in the app, without reloading), when it has one. */
function ChartLink({ href, label, children }: { href?: string; label: string; children: ReactNode }) {
  if (!href) return <>{children}</>
  const open = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return
    e.preventDefault()
    navigate(href)
  }
  return (
    <a href={href} onClick={open} aria-label={label} className="chart-link">
      {children}
    </a>
  )
}

/** Horizontal bars, one per category, with the value printed at the end of each bar. */
export function BarChart({
  title,
  bars,
  format = fmtInt,
}: {
  title: string
  bars: Bar[]
  format?: (n: number) => string
}) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const row = 28
  const labelW = 140
  const width = 520
  const barW = width - labelW - 70
  const height = bars.length * row + 4
  return (
    <figure className="chart" data-testid={`chart-${title.toLowerCase().replace(/\s+/g, '-')}`}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${format(b.value)}`).join(', ')}`}
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((b, i) => {
          const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barW)
          const y = i * row + 2
          return (
            <ChartLink key={b.label} href={b.href} label={`${b.label}: ${format(b.value)}, show them`}>
              <g>
                <text x={labelW - 8} y={y + row / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
                  {b.label}
                </text>
                <rect x={labelW} y={y + 4} width={w} height={row - 8} rx={3} className={b.className ?? 'bar'} />
                <text x={labelW + w + 6} y={y + row / 2} dominantBaseline="middle" className="chart-value">
                  {format(b.value)}
                </text>
              </g>
            </ChartLink>
          )
        })}
      </svg>
      <NumbersTable
        head={['', 'Value']}
        rows={bars.map((b) => [b.href ? <Link to={b.href}>{b.label}</Link> : b.label, format(b.value)])}
      />
    </figure>
  )
}

export interface Series {
  name: string
  values: number[]
  className: string
  /** The filtered list one column summarises (by its index). */
  href?: (i: number) => string
}

/** Grouped columns over time (weeks), with a legend and a y-axis of four gridlines. */
export function ColumnChart({
  title,
  labels,
  series,
  format = fmtInt,
}: {
  title: string
  labels: string[]
  series: Series[]
  format?: (n: number) => string
}) {
  const width = 560
  const height = 220
  const left = 44
  const bottom = 28
  const top = 10
  const plotH = height - bottom - top
  const plotW = width - left - 8
  const step = niceStep(Math.max(1, ...series.flatMap((s) => s.values)) / 4)
  const max = step * Math.max(1, Math.ceil(Math.max(1, ...series.flatMap((s) => s.values)) / step))
  const groupW = plotW / Math.max(1, labels.length)
  const barW = Math.max(2, (groupW * 0.8) / series.length)
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step)
  const every = Math.ceil(labels.length / 8)
  return (
    <figure className="chart" data-testid={`chart-${title.toLowerCase().replace(/\s+/g, '-')}`}>
      <figcaption>{title}</figcaption>
      <div className="legend" aria-hidden="true">
        {series.map((s) => (
          <span key={s.name}>
            <i className={`swatch ${s.className}`} /> {s.name}
          </span>
        ))}
      </div>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={
          `${title}. ` + `${series.map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)} in total`).join('; ')}`
        }
      >
        {ticks.map((t) => {
          const y = top + plotH - (t / max) * plotH
          return (
            <g key={t}>
              <line x1={left} x2={width - 8} y1={y} y2={y} className="grid" />
              <text x={left - 6} y={y} textAnchor="end" dominantBaseline="middle" className="chart-axis">
                {format(Math.round(t))}
              </text>
            </g>
          )
        })}
        {labels.map((label, i) => (
          <g key={label}>
            {series.map((s, k) => {
              const v = s.values[i] ?? 0
              const h = (v / max) * plotH
              return (
                <ChartLink key={s.name} href={s.href?.(i)} label={`${s.name}, ${label}: ${format(v)}, show them`}>
                  <rect
                    x={left + i * groupW + groupW * 0.1 + k * barW}
                    y={top + plotH - h}
                    width={barW - 1}
                    height={h}
                    className={s.className}
                  />
                </ChartLink>
              )
            })}
            {i % every === 0 && (
              <text x={left + i * groupW + groupW / 2} y={height - 8} textAnchor="middle" className="chart-axis">
                {label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <NumbersTable
        head={['Week', ...series.map((s) => s.name)]}
        rows={labels.map((l, i) => [
          l,
          ...series.map((s) => {
            const text = format(s.values[i] ?? 0)
            const href = s.href?.(i)
            return href ? <Link to={href}>{text}</Link> : text
          }),
        ])}
      />
    </figure>
  )
}

/** A round step (1, 2 or 5 times a power of ten, at least 1) of about `n`. */
function niceStep(n: number): number {
  if (n <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

function NumbersTable({ head, rows }: { head: string[]; rows: ReactNode[][] }) {
  return (
    <details className="chart-numbers">
      <summary>Show numbers</summary>
      <table className="table compact">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, k) =>
                k === 0 ? (
                  <th key={k} scope="row">
                    {c}
                  </th>
                ) : (
                  <td key={k}>{c}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}
