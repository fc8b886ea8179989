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
import { Link, setQuery, useLocation } from '../router'
import type { Party } from '../types'
import { UnitsTable } from './UnitsList'

export function PartiesPage() {
  const loc = useLocation()
  const search = loc.query.get('search') ?? ''
  const role = loc.query.get('role') ?? ''
  const [draft, setDraft] = useState({ search, role })
  const [creating, setCreating] = useState(false)
  const list = useAsync(
    () => api.parties({ search: search || undefined, role: role || undefined, limit: 1000 }),
    [search, role],
  )
  return (
    <section className="page">
      <PageTitle
        actions={
          <CreateToggle label="New supplier or customer" open={creating} onToggle={() => setCreating((c) => !c)} />
        }
      >
        Suppliers and customers
      </PageTitle>
      {creating && <NewParty onDone={() => (setCreating(false), list.reload())} />}
      <SearchForm onSearch={() => setQuery(draft)}>
        <Field label="Search code or name" value={draft.search} onChange={(v) => setDraft({ ...draft, search: v })} />
        <Select
          label="Role"
          value={draft.role}
          onChange={(v) => setDraft({ ...draft, role: v })}
          options={[
            { value: '', label: 'Any' },
            { value: 'supplier', label: 'Suppliers' },
            { value: 'customer', label: 'Customers' },
          ]}
        />
      </SearchForm>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <DataTable
          label="Parties"
          rows={list.data}
          rowKey={(p) => p.id}
          empty="No suppliers or customers."
          columns={[
            { header: 'Code', cell: (p) => <Link to={`/parties/${encodeURIComponent(p.code)}`}>{p.code}</Link> },
            { header: 'Name', cell: (p) => p.name },
            { header: 'Role', cell: (p) => p.role },
            { header: 'E-mail', cell: (p) => p.email ?? '—' },
            { header: 'Phone', cell: (p) => p.phone ?? '—' },
          ]}
        />
      )}
    </section>
  )
}

function NewParty({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState<{ code: string; name: string; role: Party['role']; email: string; phone: string }>({
    code: '',
    name: '',
    role: 'customer',
    email: '',
    phone: '',
  })
  const create = () =>
    api.createParty({
      code: v.code.trim(),
      name: v.name.trim(),
      role: v.role,
      ...(v.email.trim() && { email: v.email.trim() }),
      ...(v.phone.trim() && { phone: v.phone.trim() }),
    })
  return (
    <CreateForm label="New supplier or customer" submitText="Create" create={create} onDone={onDone}>
      <Field label="Code" value={v.code} onChange={(x) => setV({ ...v, code: x })} required autoFocus />
      <Field label="Name" value={v.name} onChange={(x) => setV({ ...v, name: x })} required />
      <Select
        label="Role"
        value={v.role}
        onChange={(x) => setV({ ...v, role: x as Party['role'] })}
        options={[
          { value: 'customer', label: 'Customer' },
          { value: 'supplier', label: 'Supplier' },
        ]}
      />
      <Field label="E-mail" value={v.email} onChange={(x) => setV({ ...v, email: x })} type="email" />
      <Field label="Phone" value={v.phone} onChange={(x) => setV({ ...v, phone: x })} type="tel" />
    </CreateForm>
  )
}

export function PartyPage({ code }: { code: string }) {
  const d = useAsync(async () => {
    const party = await api.party(code)
    const units = party.role === 'supplier' ? (await api.units({ supplier: code, limit: 20 })).items : []
    return { party, units }
  }, [code])
  if (d.error)
    return (
      <section className="page">
        <PageTitle>Party {code}</PageTitle>
        <ErrorBox error={d.error} />
      </section>
    )
  if (!d.data)
    return (
      <section className="page">
        <Loading />
      </section>
    )
  const p = d.data.party
  return (
    <section className="page">
      <PageTitle
        actions={
          p.role === 'supplier' && (
            <Link className="button" to={`/units?supplier=${encodeURIComponent(p.code)}`}>
              All units from {p.code}
            </Link>
          )
        }
      >
        {p.name}
      </PageTitle>
      <div className="card">
        <KeyValues
          rows={[
            ['Code', p.code],
            ['Role', p.role],
            ['E-mail', p.email ?? '—'],
            ['Phone', p.phone ?? '—'],
          ]}
        />
      </div>
      {p.role === 'supplier' && d.data.units.length > 0 && (
        <div className="card">
          <h2>Units received from {p.code} (first 20)</h2>
          <UnitsTable units={d.data.units} />
        </div>
      )}
    </section>
  )
}
