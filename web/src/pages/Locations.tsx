import { useState } from 'react'
import { api } from '../api'
import { allLocations } from '../cache'
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
import { Link, setQuery, useLocation } from '../router'
import type { Location } from '../types'
import { StockTable } from './Stock'

export function LocationsPage() {
  const loc = useLocation()
  const search = loc.query.get('search') ?? ''
  const under = loc.query.get('under') ?? ''
  const [draft, setDraft] = useState({ search, under })
  const [creating, setCreating] = useState(false)
  const list = useAsync(
    () => api.locations({ search: search || undefined, under: under || undefined, limit: 1000 }),
    [search, under],
  )
  return (
    <section className="page">
      <PageTitle
        actions={<CreateToggle label="New location" open={creating} onToggle={() => setCreating((c) => !c)} />}
      >
        Locations
      </PageTitle>
      {creating && <NewLocation onDone={() => (setCreating(false), list.reload())} />}
      <SearchForm onSearch={() => setQuery(draft)}>
        <Field label="Search code or name" value={draft.search} onChange={(v) => setDraft({ ...draft, search: v })} />
        <Field
          label="Under (site or zone code)"
          value={draft.under}
          onChange={(v) => setDraft({ ...draft, under: v })}
        />
      </SearchForm>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <DataTable
          label="Locations"
          rows={list.data}
          rowKey={(l) => l.id}
          empty="No locations."
          columns={[
            { header: 'Code', cell: (l) => <Link to={`/locations/${encodeURIComponent(l.code)}`}>{l.code}</Link> },
            { header: 'Name', cell: (l) => l.name },
            { header: 'Level', cell: (l) => l.level },
            { header: 'Kind', cell: (l) => l.kind },
            { header: 'Path', cell: (l) => <code>{l.path}</code> },
          ]}
        />
      )}
    </section>
  )
}

/** A site, or a zone or bin inside its parent (which decides its kind). */
function NewLocation({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState<{
    code: string
    name: string
    level: Location['level']
    kind: Location['kind']
    parent: string
  }>({ code: '', name: '', level: 'site', kind: 'warehouse', parent: '' })
  const parents = useAsync(() => allLocations(), [])
  const parentLevel = v.level === 'zone' ? 'site' : 'zone'
  const create = () =>
    api.createLocation({
      code: v.code.trim(),
      name: v.name.trim(),
      level: v.level,
      ...(v.level === 'site' ? { kind: v.kind } : { parent: v.parent.trim() }),
    })
  return (
    <CreateForm label="New location" submitText="Create location" create={create} onDone={onDone}>
      <Field label="Code" value={v.code} onChange={(x) => setV({ ...v, code: x })} required autoFocus />
      <Field label="Name" value={v.name} onChange={(x) => setV({ ...v, name: x })} required />
      <Select
        label="Level"
        value={v.level}
        onChange={(x) => setV({ ...v, level: x as Location['level'] })}
        options={[
          { value: 'site', label: 'Site' },
          { value: 'zone', label: 'Zone' },
          { value: 'bin', label: 'Bin' },
        ]}
      />
      {v.level === 'site' ? (
        <Select
          label="Kind"
          value={v.kind}
          onChange={(x) => setV({ ...v, kind: x as Location['kind'] })}
          options={[
            { value: 'warehouse', label: 'Warehouse' },
            { value: 'store', label: 'Store' },
            { value: 'transit', label: 'Transit' },
          ]}
        />
      ) : (
        <Field
          label={`Inside ${parentLevel}`}
          value={v.parent}
          onChange={(x) => setV({ ...v, parent: x })}
          required
          options={parents.data?.filter((l) => l.level === parentLevel).map((l) => ({ value: l.code, label: l.name }))}
        />
      )}
    </CreateForm>
  )
}

export function LocationPage({ code }: { code: string }) {
  const d = useAsync(async () => {
    const [location, children, stock] = await Promise.all([
      api.location(code),
      api.locations({ under: code, limit: 1000 }),
      api.stock({ location: code, limit: 5000 }),
    ])
    return { location, children: children.filter((c) => c.code !== code), stock }
  }, [code])
  if (d.error)
    return (
      <section className="page">
        <PageTitle>Location {code}</PageTitle>
        <ErrorBox error={d.error} />
      </section>
    )
  if (!d.data)
    return (
      <section className="page">
        <Loading />
      </section>
    )
  const l = d.data.location
  return (
    <section className="page">
      <PageTitle
        actions={
          <Link className="button" to={`/units?location=${encodeURIComponent(l.code)}`}>
            Units here
          </Link>
        }
      >
        Location {l.code}
      </PageTitle>
      <p className="lead">{l.name}</p>
      <div className="grid-2">
        <div className="card">
          <KeyValues
            rows={[
              ['Level', l.level],
              ['Kind', l.kind],
              ['Path', <code key="p">{l.path}</code>],
              ['Inside', d.data.children.length ? d.data.children.map((c) => c.code).join(', ') : '—'],
            ]}
          />
        </div>
        <div className="card">
          <h2>Stock here and below</h2>
          {d.data.stock.length === 0 ? <p className="empty">None on hand.</p> : <StockTable rows={d.data.stock} />}
        </div>
      </div>
    </section>
  )
}
