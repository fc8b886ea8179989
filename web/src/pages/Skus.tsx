import { useState } from 'react'
import { api } from '../api'
import {
  CreateForm,
  CreateToggle,
  ErrorBox,
  Field,
  KeyValues,
  Loading,
  PageTitle,
  SearchForm,
  Select,
  DataTable,
  useAsync,
} from '../components/ui'
import { fmtMoney } from '../format'
import { Link, setQuery, useLocation } from '../router'
import type { Tracking } from '../types'
import { StockTable } from './Stock'

export function SkusPage() {
  const loc = useLocation()
  const search = loc.query.get('search') ?? ''
  const tracking = loc.query.get('tracking') ?? ''
  const [draft, setDraft] = useState({ search, tracking })
  const [creating, setCreating] = useState(false)
  const list = useAsync(
    () => api.skus({ search: search || undefined, tracking: tracking || undefined, limit: 500 }),
    [search, tracking],
  )
  return (
    <section className="page">
      <PageTitle actions={<CreateToggle label="New SKU" open={creating} onToggle={() => setCreating((c) => !c)} />}>
        SKUs
      </PageTitle>
      {creating && <NewSku onDone={() => (setCreating(false), list.reload())} />}
      <SearchForm onSearch={() => setQuery(draft)}>
        <Field
          label="Search code or name"
          value={draft.search}
          onChange={(v) => setDraft({ ...draft, search: v })}
          inputMode="search"
        />
        <Select
          label="Tracking"
          value={draft.tracking}
          onChange={(v) => setDraft({ ...draft, tracking: v })}
          options={[
            { value: '', label: 'Any' },
            { value: 'serial', label: 'Serial' },
            { value: 'lot', label: 'Lot' },
            { value: 'quantity', label: 'Quantity' },
          ]}
        />
      </SearchForm>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <DataTable
          label="SKUs"
          rows={list.data}
          rowKey={(s) => s.id}
          empty="No SKUs."
          columns={[
            { header: 'Code', cell: (s) => <Link to={`/skus/${encodeURIComponent(s.code)}`}>{s.code}</Link> },
            { header: 'Name', cell: (s) => s.name },
            { header: 'Tracking', cell: (s) => s.tracking },
            { header: 'GTIN', cell: (s) => s.gtin ?? '—' },
            { header: 'Cost', cell: (s) => fmtMoney(s.cost), numeric: true },
            { header: 'Price', cell: (s) => fmtMoney(s.price), numeric: true },
            { header: 'Warranty', cell: (s) => (s.warrantyMonths ? `${s.warrantyMonths} mo` : '—'), numeric: true },
          ]}
        />
      )}
    </section>
  )
}

function NewSku({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState<{
    code: string
    name: string
    tracking: Tracking
    gtin: string
    cost: string
    price: string
    warrantyMonths: string
  }>({ code: '', name: '', tracking: 'serial', gtin: '', cost: '', price: '', warrantyMonths: '' })
  const create = () =>
    api.createSku({
      code: v.code.trim(),
      name: v.name.trim(),
      tracking: v.tracking,
      ...(v.gtin.trim() && { gtin: v.gtin.trim() }),
      ...(v.cost && { cost: Number(v.cost) }),
      ...(v.price && { price: Number(v.price) }),
      ...(v.warrantyMonths && { warrantyMonths: Number(v.warrantyMonths) }),
    })
  return (
    <CreateForm label="New SKU" submitText="Create SKU" create={create} onDone={onDone}>
      <Field label="Code" value={v.code} onChange={(x) => setV({ ...v, code: x })} required autoFocus />
      <Field label="Name" value={v.name} onChange={(x) => setV({ ...v, name: x })} required />
      <Select
        label="Tracking"
        value={v.tracking}
        onChange={(x) => setV({ ...v, tracking: x as Tracking })}
        options={[
          { value: 'serial', label: 'Serial' },
          { value: 'lot', label: 'Lot' },
          { value: 'quantity', label: 'Quantity' },
        ]}
      />
      <Field label="GTIN" value={v.gtin} onChange={(x) => setV({ ...v, gtin: x })} inputMode="numeric" />
      <Field label="Cost" value={v.cost} onChange={(x) => setV({ ...v, cost: x })} type="number" step="0.01" />
      <Field label="List price" value={v.price} onChange={(x) => setV({ ...v, price: x })} type="number" step="0.01" />
      <Field
        label="Warranty (months)"
        value={v.warrantyMonths}
        onChange={(x) => setV({ ...v, warrantyMonths: x })}
        type="number"
      />
    </CreateForm>
  )
}

export function SkuPage({ code }: { code: string }) {
  const d = useAsync(
    async () => ({ sku: await api.sku(code), stock: await api.stock({ sku: code, limit: 5000 }) }),
    [code],
  )
  if (d.error)
    return (
      <section className="page">
        <PageTitle>SKU {code}</PageTitle>
        <ErrorBox error={d.error} />
      </section>
    )
  if (!d.data)
    return (
      <section className="page">
        <Loading />
      </section>
    )
  const s = d.data.sku
  return (
    <section className="page">
      <PageTitle
        actions={
          s.tracking === 'serial' && (
            <Link className="button" to={`/units?sku=${encodeURIComponent(s.code)}`}>
              Units of this SKU
            </Link>
          )
        }
      >
        SKU {s.code}
      </PageTitle>
      <p className="lead">{s.name}</p>
      <div className="grid-2">
        <div className="card">
          <KeyValues
            rows={[
              ['Tracking', s.tracking],
              ['GTIN', s.gtin ?? '—'],
              ['Cost', fmtMoney(s.cost)],
              ['List price', fmtMoney(s.price)],
              ['Warranty', s.warrantyMonths ? `${s.warrantyMonths} months` : 'none'],
              ['Return window', `${s.returnWindowDays} days`],
              ['Serial format', s.serialPattern ? <code key="p">{s.serialPattern}</code> : 'any'],
              ['Serial case', s.serialCase],
              [
                'Extra identifiers',
                s.identifiers.length
                  ? s.identifiers.map((i) => `${i.name}${i.isUnique ? ' (unique)' : ''}`).join(', ')
                  : '—',
              ],
            ]}
          />
        </div>
        <div className="card">
          <h2>Stock</h2>
          {d.data.stock.length === 0 ? <p className="empty">None on hand.</p> : <StockTable rows={d.data.stock} />}
        </div>
      </div>
    </section>
  )
}
