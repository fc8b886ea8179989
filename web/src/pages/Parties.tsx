import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { codeAndNameColumns, CreateForm, ListPage } from '../components/ListPage'
import { Loaded } from '../components/Loaded'
import { ErrorBox, Field, KeyValues, PageTitle, Select } from '../components/ui'
import { afterWrite, queries } from '../queries'
import { Link } from '../router'
import type { Party } from '../types'
import { UnitsTable } from './UnitsList'
import { PartyEditCard } from './Lifecycle'

export function PartiesPage() {
  return (
    <ListPage
      title="Suppliers and customers"
      create={{ label: 'New supplier or customer', form: (done) => <NewParty onDone={done} /> }}
      filters={[
        { name: 'search', label: 'Search code or name' },
        {
          name: 'role',
          label: 'Role',
          options: [
            { value: 'supplier', label: 'Suppliers' },
            { value: 'customer', label: 'Customers' },
          ],
        },
      ]}
      query={(f) => queries.parties({ search: f.search, role: f.role as Party['role'] | undefined, limit: 1000 })}
      table={{
        label: 'Parties',
        rowKey: (p) => p.id,
        empty: 'No suppliers or customers.',
        columns: [
          ...codeAndNameColumns('/parties'),
          { header: 'Role', cell: (p) => p.role, csv: (p) => p.role },
          { header: 'E-mail', cell: (p) => p.email ?? '—', csv: (p) => p.email },
          { header: 'Phone', cell: (p) => p.phone ?? '—', csv: (p) => p.phone },
        ],
      }}
    />
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
    <CreateForm
      label="New supplier or customer"
      submitText="Create"
      create={create}
      invalidate={afterWrite.party}
      onDone={onDone}
    >
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
  const party = useQuery(queries.party(code))
  // Only a supplier has units received from it.
  const units = useQuery({
    ...queries.units({ supplier: code, limit: 20 }),
    enabled: party.data?.role === 'supplier',
  })
  return (
    <Loaded title={`Party ${code}`} query={party}>
      {(p) => (
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
          {p.role === 'supplier' && units.data && units.data.items.length > 0 && (
            <div className="card">
              <h2>Units received from {p.code} (first 20)</h2>
              <UnitsTable units={units.data.items} />
            </div>
          )}
          <ErrorBox error={units.error} />
          <div className="grid-2">
            <PartyEditCard party={p} />
          </div>
        </section>
      )}
    </Loaded>
  )
}
