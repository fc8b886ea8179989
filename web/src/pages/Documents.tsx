import { useState } from 'react'
import { api } from '../api'
import {
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
import { eventLabel, fmtDateTime, fmtInt } from '../format'
import { Link, setQuery, useLocation } from '../router'
import { DOCUMENT_TYPES, type DocumentType } from '../types'
import { UnitsTable } from './UnitsList'

export function DocumentsPage() {
  const loc = useLocation()
  const type = (loc.query.get('type') ?? '') as DocumentType | ''
  const search = loc.query.get('search') ?? ''
  const [draft, setDraft] = useState({ type: type as string, search })
  const list = useAsync(() => api.documents({ type, search: search || undefined, limit: 200 }), [type, search])
  return (
    <section className="page">
      <PageTitle>Documents</PageTitle>
      <SearchForm onSearch={() => setQuery(draft)}>
        <Select
          label="Type"
          value={draft.type}
          onChange={(v) => setDraft({ ...draft, type: v })}
          options={[{ value: '', label: 'Any' }, ...DOCUMENT_TYPES.map((t) => ({ value: t, label: t }))]}
        />
        <Field label="Number or reference" value={draft.search} onChange={(v) => setDraft({ ...draft, search: v })} />
      </SearchForm>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <DataTable
          label="Documents"
          rows={list.data}
          rowKey={(d) => d.id}
          empty="No documents."
          columns={[
            {
              header: 'Number',
              cell: (d) => <Link to={`/documents/${d.type}/${encodeURIComponent(d.number)}`}>{d.number}</Link>,
            },
            { header: 'Type', cell: (d) => d.type },
            { header: 'Reference', cell: (d) => d.reference ?? '—' },
            { header: 'When', cell: (d) => fmtDateTime(d.occurredAt) },
            { header: 'Who', cell: (d) => d.actor },
          ]}
        />
      )}
    </section>
  )
}

export function DocumentPage({ type, number }: { type: string; number: string }) {
  const d = useAsync(async () => {
    const doc = await api.document(type, number)
    const units = type === 'receipt' ? (await api.units({ receipt: number, limit: 50 })).items : []
    return { doc, units }
  }, [type, number])
  if (d.error)
    return (
      <section className="page">
        <PageTitle>
          {type} {number}
        </PageTitle>
        <ErrorBox error={d.error} />
      </section>
    )
  if (!d.data)
    return (
      <section className="page">
        <Loading />
      </section>
    )
  const doc = d.data.doc
  const data = Object.entries(doc.data).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
  return (
    <section className="page">
      <PageTitle
        actions={
          type === 'receipt' && (
            <Link className="button" to={`/units?receipt=${encodeURIComponent(number)}`}>
              All units of this receipt
            </Link>
          )
        }
      >
        <span className="muted title-kicker">{doc.type}</span> {doc.number}
      </PageTitle>
      <div className="grid-2">
        <div className="card">
          <KeyValues
            rows={[
              [
                'Party',
                doc.party ? (
                  <Link to={`/parties/${encodeURIComponent(doc.party.code)}`}>
                    {doc.party.name} ({doc.party.code})
                  </Link>
                ) : (
                  '—'
                ),
              ],
              ['Location', doc.location ?? '—'],
              ['To', doc.toLocation ?? '—'],
              ['Reference', doc.reference ?? '—'],
              ['When', fmtDateTime(doc.occurredAt)],
              ['Who', doc.actor],
              ...data.map(([k, v]): [string, string] => [k, String(v)]),
            ]}
          />
        </div>
        <div className="card">
          <h2>Ledger events</h2>
          <DataTable
            label="Ledger events"
            rows={doc.events}
            rowKey={(e) => e.seq}
            columns={[
              { header: '#', cell: (e) => e.seq },
              { header: 'Event', cell: (e) => eventLabel(e.type) },
              { header: 'When', cell: (e) => fmtDateTime(e.occurredAt) },
              { header: 'Who', cell: (e) => e.actor },
              { header: 'Units', cell: (e) => fmtInt(e.unitCount), numeric: true },
            ]}
          />
        </div>
      </div>
      {d.data.units.length > 0 && (
        <div className="card">
          <h2>Units (first 50)</h2>
          <UnitsTable units={d.data.units} />
        </div>
      )}
    </section>
  )
}
