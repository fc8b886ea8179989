import { useMutation, useQueries, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { codeAndNameColumns, CreateForm, ListPage } from '../components/ListPage'
import { allData, Loaded } from '../components/Loaded'
import { ErrorBox, Field, Form, KeyValues, PageTitle, Saved, Select } from '../components/ui'
import { useAuth } from '../auth'
import { afterWrite, queries } from '../queries'
import { Link } from '../router'
import type { Location } from '../types'
import { StockCard } from './Stock'
import { LocationEditCard } from './Lifecycle'

export function LocationsPage() {
  return (
    <ListPage
      title="Locations"
      create={{ label: 'New location', form: (done) => <NewLocation onDone={done} /> }}
      filters={[
        { name: 'search', label: 'Search code or name' },
        { name: 'under', label: 'Under (site or zone code)' },
      ]}
      query={(f) => queries.locations({ search: f.search, under: f.under, limit: 1000 })}
      table={{
        label: 'Locations',
        rowKey: (l) => l.id,
        empty: 'No locations.',
        columns: [
          ...codeAndNameColumns('/locations'),
          { header: 'Level', cell: (l) => l.level, csv: (l) => l.level },
          { header: 'Kind', cell: (l) => l.kind, csv: (l) => l.kind },
          { header: 'Barcode', cell: (l) => (l.barcode ? <code>{l.barcode}</code> : '—'), csv: (l) => l.barcode },
          { header: 'Path', cell: (l) => <code>{l.path}</code>, csv: (l) => l.path },
        ],
      }}
    />
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
    barcode: string
  }>({ code: '', name: '', level: 'site', kind: 'warehouse', parent: '', barcode: '' })
  const parents = useQuery(queries.allLocations)
  const parentLevel = v.level === 'zone' ? 'site' : 'zone'
  const create = () =>
    api.createLocation({
      code: v.code.trim(),
      name: v.name.trim(),
      level: v.level,
      ...(v.level === 'site' ? { kind: v.kind } : { parent: v.parent.trim() }),
      ...(v.barcode.trim() && { barcode: v.barcode.trim() }),
    })
  return (
    <CreateForm
      label="New location"
      submitText="Create location"
      create={create}
      invalidate={afterWrite.location}
      onDone={onDone}
    >
      <Field label="Code" value={v.code} onChange={(x) => setV({ ...v, code: x })} required autoFocus />
      <Field label="Name" value={v.name} onChange={(x) => setV({ ...v, name: x })} required />
      <Field
        label="Shelf or bin label"
        value={v.barcode}
        onChange={(x) => setV({ ...v, barcode: x })}
        hint="Optional: the value on the bin or shelf label; scanning it picks this location"
      />
      <Select
        label="Level"
        value={v.level}
        onChange={(level) => setV({ ...v, level })}
        options={{ site: 'Site', zone: 'Zone', bin: 'Bin' }}
      />
      {v.level === 'site' ? (
        <Select
          label="Kind"
          value={v.kind}
          onChange={(kind) => setV({ ...v, kind })}
          options={{ warehouse: 'Warehouse', store: 'Store', transit: 'Transit' }}
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
  const d = useQueries({
    queries: [
      queries.location(code),
      queries.locations({ under: code, limit: 1000 }),
      queries.stock({ location: code, limit: 5000 }),
    ],
    combine: allData,
  })
  return (
    <Loaded title={`Location ${code}`} query={d}>
      {([l, under, stock]) => {
        const children = under.filter((c) => c.code !== code)
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
                    ['Inside', children.length ? children.map((c) => c.code).join(', ') : '—'],
                    ['Label barcode', l.barcode ? <code key="b">{l.barcode}</code> : '—'],
                  ]}
                />
                <LocationBarcodeForm location={l} />
              </div>
              <StockCard title="Stock here and below" rows={stock} />
            </div>
            <div className="grid-2">
              <LocationEditCard location={l} />
            </div>
          </section>
        )
      }}
    </Loaded>
  )
}

/** Sets or clears the barcode on a location's label (managers), so scanning the label picks the location. */
function LocationBarcodeForm({ location }: { location: Location }) {
  const auth = useAuth()
  const [value, setValue] = useState(location.barcode ?? '')
  const save = useMutation({
    mutationFn: () => api.updateLocation(location.code, { barcode: value.trim() || null }),
    onSuccess: afterWrite.location,
  })
  if (!auth.can('catalog.write')) return null
  return (
    <Form
      className="inline-form"
      aria-label="Shelf or bin label"
      onSubmit={() => {
        if (!save.isPending) save.mutate()
      }}
    >
      <Field label="Shelf or bin label" id="loc-barcode" value={value} onChange={setValue} hint="Empty removes it" />
      <button className="button" type="submit" disabled={save.isPending}>
        Save barcode
      </button>
      <Saved mutation={save} />
      <ErrorBox error={save.error} />
    </Form>
  )
}
