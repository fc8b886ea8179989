import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, type QueryOf } from '../api'
import { CsvExport, EXPORT_LIMIT } from '../components/CsvExport'
import { CursorPager } from '../components/CursorPager'
import { FilterActions, usePagedUrlFilters } from '../components/UrlFilters'
import {
  csvColumns,
  type Column,
  DataTable,
  ErrorBox,
  Field,
  Loading,
  PageTitle,
  Select,
  StatusBadge,
} from '../components/ui'
import { fmtDate, fmtInt, fmtMoney, STATUS_LABEL } from '../format'
import { queries } from '../queries'
import { Link, setQuery, useLocation } from '../router'
import { type Resolved, scanQuery } from '../scan/resolve-scan'
import type { Unit, UnitStatus } from '../types'
import { daysInStock } from '../unit-age'

const FILTERS = [
  'sku',
  'status',
  'location',
  'lot',
  'supplier',
  'receipt',
  'receivedFrom',
  'receivedTo',
  'soldFrom',
  'soldTo',
  'sort',
] as const
type Filters = Record<(typeof FILTERS)[number], string>

/**
 * The list opens on what is in stock, newest first; `status=any` lists every status. A link that names
 * what to list (a receipt's units, a SKU's) lists every status unless it names one.
 */
const defaultsFor = (q: URLSearchParams): Partial<Filters> =>
  FILTERS.some((f) => f !== 'sort' && q.has(f)) ? { sort: 'newest' } : { status: 'in_stock', sort: 'newest' }
const SORTS = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first (longest in stock)' },
  { value: 'serial', label: 'Serial' },
]

const toIso = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined)

const UNIT_COLUMNS: Column<Unit>[] = [
  {
    header: 'Serial',
    cell: (u) => (
      <Link to={`/units/${encodeURIComponent(u.id)}`}>
        <code>{u.serial}</code>
      </Link>
    ),
    csv: (u) => u.serial,
  },
  { header: 'SKU', cell: (u) => u.sku.code, csv: (u) => u.sku.code },
  { header: 'Status', cell: (u) => <StatusBadge status={u.status} />, csv: (u) => u.status },
  {
    header: 'Location',
    cell: (u) => u.location?.code ?? (u.transfer ? `→ ${u.transfer}` : '—'),
    csv: (u) => u.location?.code ?? (u.transfer ? `transfer ${u.transfer}` : ''),
  },
  {
    header: 'Supplier / receipt',
    cell: (u) => (
      <>
        {u.supplier?.code ?? '—'}
        {u.receipt && <span className="muted"> · {u.receipt.number}</span>}
      </>
    ),
    csv: (u) => [u.supplier?.code, u.receipt?.number].filter(Boolean).join(' / '),
  },
  { header: 'Received', cell: (u) => fmtDate(u.receivedAt), csv: (u) => u.receivedAt },
  {
    header: 'Days in stock',
    numeric: true,
    cell: (u) => fmtInt(daysInStock(u)),
    csv: (u) => daysInStock(u),
  },
  {
    header: 'Customer',
    cell: (u) => u.customer?.name ?? (u.soldAt ? 'walk-in' : '—'),
    csv: (u) => u.customer?.code ?? (u.soldAt ? 'walk-in' : ''),
  },
  { header: 'Cost', cell: (u) => fmtMoney(u.cost), numeric: true, csv: (u) => u.cost },
]

export function UnitsTable({ units }: { units: Unit[] }) {
  return <DataTable label="Units" testId="units-table" rows={units} rowKey={(u) => u.id} columns={UNIT_COLUMNS} />
}

/** Every unit under the filters, page after page (up to the export limit), for the CSV export. */
async function allUnits(q: QueryOf<'/api/v1/units'>): Promise<Unit[]> {
  const out: Unit[] = []
  let cursor: string | undefined
  do {
    const page = await api.units({ ...q, limit: 1000, cursor, totals: undefined })
    out.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && out.length < EXPORT_LIMIT)
  return out
}

export function UnitsList() {
  const q = useLocation().query
  const { applied, draft, setDraft, pages, apply, clear } = usePagedUrlFilters(FILTERS, {
    defaults: defaultsFor(q),
    drops: ['find'],
  })
  const [find, setFind] = useState(q.get('find') ?? '')
  const skus = useQuery(queries.allSkus)
  const locations = useQuery(queries.allLocations)
  const parties = useQuery(queries.allParties)

  const code = q.get('find') ?? ''
  const found = useQuery({ ...scanQuery(code), enabled: code !== '' })
  const findResult = code ? findResultOf(code, found.data, found.error) : undefined

  const filter: QueryOf<'/api/v1/units'> = {
    sku: applied.sku || undefined,
    location: applied.location || undefined,
    lot: applied.lot || undefined,
    supplier: applied.supplier || undefined,
    receipt: applied.receipt || undefined,
    status: (applied.status && applied.status !== 'any' ? applied.status : undefined) as UnitStatus | undefined,
    sort: (applied.sort || undefined) as QueryOf<'/api/v1/units'>['sort'],
    receivedFrom: toIso(applied.receivedFrom),
    receivedTo: toIso(applied.receivedTo),
    soldFrom: toIso(applied.soldFrom),
    soldTo: toIso(applied.soldTo),
  }
  const page = useQuery(queries.units({ ...filter, limit: 50, cursor: pages.cursor || undefined, totals: 'true' }))

  const doFind = (e: FormEvent) => {
    e.preventDefault()
    setQuery({ find: find.trim() || undefined })
  }
  return (
    <section className="page">
      <PageTitle>Units</PageTitle>
      <form className="card inline-form" onSubmit={doFind} role="search" aria-label="Find a unit by code">
        <Field label="Serial, IMEI or GS1 barcode" value={find} onChange={setFind} id="units-find" />
        <button className="button" type="submit">
          Find
        </button>
      </form>
      {findResult && (
        <div className="card" role="status">
          {findResult.units.length === 0 ? (
            <p className="error-text">
              <strong>No unit found for “{findResult.code}”.</strong>{' '}
              {findResult.message && !findResult.message.startsWith('Unknown code')
                ? `${findResult.message}. `
                : 'No unit has this serial or extra identifier. '}
              Check the code for a typo, or narrow the list below by SKU, receipt, lot or date.
            </p>
          ) : (
            <>
              <p>
                {findResult.units.length} unit{findResult.units.length === 1 ? '' : 's'} for “{findResult.code}”:
              </p>
              <UnitsTable units={findResult.units} />
            </>
          )}
        </div>
      )}
      <form className="card filters" onSubmit={apply} aria-label="Filter units">
        <Field
          label="SKU"
          value={draft.sku}
          onChange={(v) => setDraft({ ...draft, sku: v })}
          options={skus.data?.map((s) => ({ value: s.code, label: s.name }))}
        />
        <Select
          label="Status"
          value={draft.status}
          onChange={(v) => setDraft({ ...draft, status: v })}
          options={[
            { value: 'any', label: 'Any' },
            ...Object.entries(STATUS_LABEL).map(([value, label]) => ({ value, label })),
          ]}
        />
        <Select label="Sort" value={draft.sort} onChange={(v) => setDraft({ ...draft, sort: v })} options={SORTS} />
        <Field
          label="Location (and below)"
          value={draft.location}
          onChange={(v) => setDraft({ ...draft, location: v })}
          options={locations.data?.map((l) => ({ value: l.code, label: l.name }))}
        />
        <Field
          label="Supplier"
          value={draft.supplier}
          onChange={(v) => setDraft({ ...draft, supplier: v })}
          options={parties.data?.filter((p) => p.role === 'supplier').map((p) => ({ value: p.code, label: p.name }))}
        />
        <Field label="Receipt" value={draft.receipt} onChange={(v) => setDraft({ ...draft, receipt: v })} />
        <Field label="Lot" value={draft.lot} onChange={(v) => setDraft({ ...draft, lot: v })} />
        <Field
          label="Received from"
          type="date"
          value={draft.receivedFrom}
          onChange={(v) => setDraft({ ...draft, receivedFrom: v })}
        />
        <Field
          label="Received before"
          type="date"
          value={draft.receivedTo}
          onChange={(v) => setDraft({ ...draft, receivedTo: v })}
        />
        <Field
          label="Sold from"
          type="date"
          value={draft.soldFrom}
          onChange={(v) => setDraft({ ...draft, soldFrom: v })}
        />
        <Field
          label="Sold before"
          type="date"
          value={draft.soldTo}
          onChange={(v) => setDraft({ ...draft, soldTo: v })}
        />
        <FilterActions onClear={clear} />
      </form>
      <ErrorBox error={page.error} />
      {page.isPending && <Loading />}
      {page.data && (
        <>
          {page.data.totals && (
            <p className="list-totals" data-testid="units-totals">
              <strong>{fmtInt(page.data.totals.count)}</strong> {page.data.totals.count === 1 ? 'unit' : 'units'}
              {STATUS_LABEL[applied.status as UnitStatus] &&
                ` ${STATUS_LABEL[applied.status as UnitStatus].toLowerCase()}`}{' '}
              · cost {fmtMoney(page.data.totals.cost)}
            </p>
          )}
          {page.data.items.length === 0 ? (
            <p className="empty">No units match.</p>
          ) : (
            <UnitsTable units={page.data.items} />
          )}
          <CursorPager pages={pages} page={page.data} />
          <div className="list-footer">
            <CsvExport what="Units" columns={csvColumns(UNIT_COLUMNS)} rows={() => allUnits(filter)} />
          </div>
        </>
      )}
    </section>
  )
}

/** What the find box shows for a code: the units it names, or why none (undefined while looking). */
function findResultOf(code: string, resolved: Resolved | undefined, error: unknown) {
  if (error) return { code, units: [] as Unit[], message: String(error) }
  if (!resolved) return undefined
  return { code, units: resolved.ok ? resolved.units : [], message: resolved.ok ? undefined : resolved.message }
}
