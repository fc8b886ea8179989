/*
 * The CSV export every list page shows: one button that writes the list (all of it, under the filters
 * in force, not only the page on screen) as a CSV file.
 */
import { useState } from 'react'
import { messageOf } from '../api'
import { type CsvColumn, csvFileName, toCsv } from '../csv'
import { fmtInt } from '../format'

/** The most rows one export writes (a bigger list is exported by the CLI: `serial-ledger export`). */
export const EXPORT_LIMIT = 100_000

export function CsvExport<R>({
  what,
  columns,
  rows,
}: {
  /** What the list is (`Units`), for the file name and the button's label. */
  what: string
  columns: readonly CsvColumn<R>[]
  /** Every row of the list under its filters (up to EXPORT_LIMIT). */
  rows: () => Promise<readonly R[]> | readonly R[]
}) {
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false })
  const run = async () => {
    setState({ busy: true })
    try {
      const all = (await rows()).slice(0, EXPORT_LIMIT)
      const blob = new Blob([toCsv(columns, all)], { type: 'text/csv;charset=utf-8' })
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = csvFileName(what)
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      setState({ busy: false, message: `${fmtInt(all.length)} rows exported` })
    } catch (e) {
      setState({ busy: false, message: `Export failed: ${messageOf(e)}` })
    }
  }
  return (
    <div className="csv-export">
      <button className="button" type="button" onClick={() => void run()} disabled={state.busy}>
        {state.busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {state.message && (
        <span className="muted small" role="status">
          {state.message}
        </span>
      )}
    </div>
  )
}

/** Fetches every page of an offset-paged list (pages of `size`), up to EXPORT_LIMIT rows. */
export async function allPages<R>(page: (offset: number, limit: number) => Promise<R[]>, size = 500): Promise<R[]> {
  const out: R[] = []
  for (;;) {
    const rows = await page(out.length, size)
    out.push(...rows)
    if (rows.length < size || out.length >= EXPORT_LIMIT) return out
  }
}
