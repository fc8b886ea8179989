import { fmt } from './stats.js'

/** One line of the results table: a figure of the service next to the raw baseline doing the same work. */
export interface Row {
  bench: string
  metric: string
  unit: string
  service: number
  /** The raw-database figure measured in the same run; absent for figures that are not compared. */
  raw?: number
  /** service / raw for rates (higher is better), raw / service for times: always "fraction of raw speed". */
  ratio?: number
  target?: string
  pass?: boolean
  note?: string
}

/** Adds a row whose ratio is service rate over raw rate (1 = as fast as raw). */
export function rateRow(r: Omit<Row, 'ratio'>, minRatio?: number): Row {
  const ratio = r.raw ? r.service / r.raw : undefined
  return {
    ...r,
    ratio,
    ...(minRatio !== undefined && ratio !== undefined
      ? { target: `ratio ≥ ${fmt(minRatio, 2)}`, pass: ratio >= minRatio }
      : {}),
  }
}

/** Adds a row for a duration or latency: ratio is raw time over service time (fraction of raw speed). */
export function timeRow(r: Omit<Row, 'ratio'>): Row {
  return { ...r, ratio: r.raw ? r.raw / r.service : undefined }
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'metric', 'service', 'raw baseline', 'ratio', 'target', 'ok']
  const body = rows.map((r) => [
    r.bench,
    `${r.metric}${r.unit ? ` (${r.unit})` : ''}`,
    fmt(r.service),
    r.raw === undefined ? '' : fmt(r.raw),
    r.ratio === undefined ? '' : fmt(r.ratio, 2),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')
  const notes = rows.filter((r) => r.note).map((r) => `  - ${r.bench} / ${r.metric}: ${r.note}`)
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...body.map(line),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
  ].join('\n')
}
