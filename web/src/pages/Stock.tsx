import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { CsvExport } from '../components/CsvExport'
import { DataTable, ErrorBox, Field, FormSubmit, Loading, PageTitle } from '../components/ui'
import type { CsvColumn } from '../csv'
import { fmtInt, fmtMoney } from '../format'
import { queries } from '../queries'
import { Link, setQuery, useLocation } from '../router'
import type { StockRow } from '../types'

const STOCK_CSV: CsvColumn<StockRow>[] = [
  { header: 'SKU', value: (r) => r.sku },
  { header: 'Name', value: (r) => r.skuName },
  { header: 'Location', value: (r) => r.location },
  { header: 'Lot', value: (r) => r.lot },
  { header: 'On hand', value: (r) => r.onHand },
  { header: 'Value', value: (r) => r.value },
]

export function StockTable({ rows }: { rows: StockRow[] }) {
  const total = rows.reduce((a, r) => a + r.value, 0)
  const units = rows.reduce((a, r) => a + r.onHand, 0)
  return (
    <DataTable
      label="Stock on hand"
      testId="stock-table"
      rows={rows}
      rowKey={(r) => `${r.sku}|${r.location}|${r.lot ?? ''}`}
      columns={[
        { header: 'SKU', cell: (r) => <Link to={`/skus/${encodeURIComponent(r.sku)}`}>{r.sku}</Link> },
        { header: 'Name', cell: (r) => r.skuName },
        {
          header: 'Location',
          cell: (r) => <Link to={`/locations/${encodeURIComponent(r.location)}`}>{r.location}</Link>,
        },
        { header: 'Lot', cell: (r) => r.lot ?? '—' },
        {
          header: 'On hand',
          numeric: true,
          cell: (r) =>
            r.tracking === 'serial' ? (
              <Link
                to={
                  `/units?sku=${encodeURIComponent(r.sku)}` +
                  `&location=${encodeURIComponent(r.location)}&status=in_stock`
                }
              >
                {fmtInt(r.onHand)}
              </Link>
            ) : (
              fmtInt(r.onHand)
            ),
        },
        { header: 'Value', cell: (r) => fmtMoney(r.value), numeric: true },
      ]}
      footer={
        <tr>
          <th scope="row" colSpan={4}>
            Total
          </th>
          <td className="num">{fmtInt(units)}</td>
          <td className="num">{fmtMoney(total)}</td>
        </tr>
      }
    />
  )
}

/** The stock card of a SKU or location page: what is on hand, or a line saying there is none. */
export function StockCard({ title, rows }: { title: string; rows: StockRow[] }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {rows.length === 0 ? <p className="empty">None on hand.</p> : <StockTable rows={rows} />}
    </div>
  )
}

export function StockPage() {
  const loc = useLocation()
  const sku = loc.query.get('sku') ?? ''
  const location = loc.query.get('location') ?? ''
  const [draft, setDraft] = useState({ sku, location })
  const skus = useQuery(queries.allSkus)
  const locations = useQuery(queries.allLocations)
  const rows = useQuery(queries.stock({ sku, location, limit: 5000 }))
  const apply = (e: FormEvent) => {
    e.preventDefault()
    setQuery(draft)
  }
  return (
    <section className="page">
      <PageTitle>Stock on hand</PageTitle>
      <form className="card filters" onSubmit={apply} aria-label="Filter stock">
        <Field
          label="SKU"
          value={draft.sku}
          onChange={(v) => setDraft({ ...draft, sku: v })}
          options={skus.data?.map((s) => ({ value: s.code, label: s.name }))}
        />
        <Field
          label="Location (and below)"
          value={draft.location}
          onChange={(v) => setDraft({ ...draft, location: v })}
          options={locations.data?.map((l) => ({ value: l.code, label: l.name }))}
        />
        <FormSubmit>Show</FormSubmit>
      </form>
      <ErrorBox error={rows.error} />
      {rows.isPending && <Loading />}
      {rows.data && (rows.data.length === 0 ? <p className="empty">No stock.</p> : <StockTable rows={rows.data} />)}
      {rows.data && (
        <div className="list-footer">
          <CsvExport what="Stock" columns={STOCK_CSV} rows={() => rows.data} />
        </div>
      )}
    </section>
  )
}
