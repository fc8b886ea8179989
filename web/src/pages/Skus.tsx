import { useQueries } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { codeAndNameColumns, CreateForm, ListPage } from '../components/ListPage'
import { allData, Loaded } from '../components/Loaded'
import { Field, KeyValues, PageTitle, Select } from '../components/ui'
import { fmtMoney } from '../format'
import { afterWrite, queries } from '../queries'
import { Link } from '../router'
import type { Tracking } from '../types'
import { LifecycleCard, SkuEditCard } from './Lifecycle'
import { StockCard } from './Stock'

const TRACKING_OPTIONS = [
  { value: 'serial', label: 'Serial' },
  { value: 'lot', label: 'Lot' },
  { value: 'quantity', label: 'Quantity' },
]

export function SkusPage() {
  return (
    <ListPage
      title="SKUs"
      create={{ label: 'New SKU', form: (done) => <NewSku onDone={done} /> }}
      filters={[
        { name: 'search', label: 'Search code or name', inputMode: 'search' },
        { name: 'tracking', label: 'Tracking', options: TRACKING_OPTIONS },
      ]}
      query={(f) => queries.skus({ search: f.search, tracking: f.tracking as Tracking | undefined, limit: 500 })}
      table={{
        label: 'SKUs',
        rowKey: (s) => s.id,
        empty: 'No SKUs.',
        columns: [
          ...codeAndNameColumns('/skus'),
          { header: 'Tracking', cell: (s) => s.tracking, csv: (s) => s.tracking },
          { header: 'GTIN', cell: (s) => s.gtin ?? '—', csv: (s) => s.gtin },
          { header: 'Cost', cell: (s) => fmtMoney(s.cost), numeric: true, csv: (s) => s.cost },
          { header: 'Price', cell: (s) => fmtMoney(s.price), numeric: true, csv: (s) => s.price },
          {
            header: 'Warranty',
            cell: (s) => (s.warrantyMonths ? `${s.warrantyMonths} mo` : '—'),
            numeric: true,
            csv: (s) => s.warrantyMonths,
          },
        ],
      }}
    />
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
    serialsUniqueAcrossSkus: boolean
  }>({
    code: '',
    name: '',
    tracking: 'serial',
    gtin: '',
    cost: '',
    price: '',
    warrantyMonths: '',
    serialsUniqueAcrossSkus: false,
  })
  const create = () =>
    api.createSku({
      code: v.code.trim(),
      name: v.name.trim(),
      tracking: v.tracking,
      ...(v.gtin.trim() && { gtin: v.gtin.trim() }),
      ...(v.cost && { cost: Number(v.cost) }),
      ...(v.price && { price: Number(v.price) }),
      ...(v.warrantyMonths && { warrantyMonths: Number(v.warrantyMonths) }),
      ...(v.tracking === 'serial' && v.serialsUniqueAcrossSkus && { serialsUniqueAcrossSkus: true }),
    })
  return (
    <CreateForm label="New SKU" submitText="Create SKU" create={create} invalidate={afterWrite.sku} onDone={onDone}>
      <Field label="Code" value={v.code} onChange={(x) => setV({ ...v, code: x })} required autoFocus />
      <Field label="Name" value={v.name} onChange={(x) => setV({ ...v, name: x })} required />
      <Select
        label="Tracking"
        value={v.tracking}
        onChange={(x) => setV({ ...v, tracking: x as Tracking })}
        options={TRACKING_OPTIONS}
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
      {v.tracking === 'serial' && (
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={v.serialsUniqueAcrossSkus}
              onChange={(e) => setV({ ...v, serialsUniqueAcrossSkus: e.target.checked })}
            />{' '}
            Serials unique across all SKUs (refuse a serial another SKU&apos;s unit has)
          </label>
        </div>
      )}
    </CreateForm>
  )
}

export function SkuPage({ code }: { code: string }) {
  const d = useQueries({ queries: [queries.sku(code), queries.stock({ sku: code, limit: 5000 })], combine: allData })
  return (
    <Loaded title={`SKU ${code}`} query={d}>
      {([s, stock]) => (
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
                  [
                    'Serial format',
                    s.serialPattern ? (
                      <span key="p">
                        {s.serialFormat} <code className="muted small">{s.serialPattern}</code>
                      </span>
                    ) : (
                      'any'
                    ),
                  ],
                  ['Serial case', s.serialCase],
                  ['Serials unique across SKUs', s.serialsUniqueAcrossSkus ? 'yes' : 'no'],
                  [
                    'Extra identifiers',
                    s.identifiers.length
                      ? s.identifiers.map((i) => `${i.name}${i.isUnique ? ' (unique)' : ''}`).join(', ')
                      : '—',
                  ],
                ]}
              />
            </div>
            <StockCard title="Stock" rows={stock} />
          </div>
          <LifecycleCard code={s.code} />
          <div className="grid-2">
            <SkuEditCard sku={s} />
          </div>
        </section>
      )}
    </Loaded>
  )
}
