import { type FormEvent, useState } from 'react'
import { api } from '../api'
import { ErrorBox, Field, Loading, PageTitle, Select, DataTable, useAsync } from '../components/ui'
import { fmtDateTime } from '../format'
import type { Role, UserRow } from '../types'
import { MIN_PASSWORD_LENGTH } from '../../../src/modules/accounts/password-policy.rules.js'

const ROLES: Role[] = ['clerk', 'manager', 'auditor', 'admin']

export function UsersPage() {
  const list = useAsync(() => api.users(), [])
  const [v, setV] = useState({ username: '', password: '', role: 'clerk', locations: '' })
  const [error, setError] = useState<unknown>()
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      await api.createUser({
        username: v.username.trim(),
        password: v.password,
        role: v.role as Role,
        locations: v.locations.split(/[\s,]+/).filter(Boolean),
      })
      setV({ username: '', password: '', role: 'clerk', locations: '' })
      list.reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section className="page">
      <PageTitle>Users</PageTitle>
      <form className="card filters" onSubmit={(e) => void create(e)} aria-label="New user">
        <Field label="User name" value={v.username} onChange={(x) => setV({ ...v, username: x })} required />
        <Field
          label="One-time password"
          value={v.password}
          onChange={(x) => setV({ ...v, password: x })}
          type="password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters; changed at first sign-in`}
        />
        <Select
          label="Role"
          value={v.role}
          onChange={(x) => setV({ ...v, role: x })}
          options={ROLES.map((r) => ({ value: r, label: r }))}
        />
        <Field
          label="Locations"
          value={v.locations}
          onChange={(x) => setV({ ...v, locations: x })}
          hint="Site codes, comma-separated; empty means all"
        />
        <div className="filter-actions">
          <button className="button primary" type="submit">
            Create user
          </button>
        </div>
        <ErrorBox error={error} />
      </form>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <DataTable
          label="Users"
          rows={list.data}
          rowKey={(u) => u.username}
          columns={[
            { header: 'User', cell: (u) => u.username },
            { header: 'Role', cell: (u) => u.role },
            { header: 'Locations', cell: (u) => u.locations.join(', ') || 'all' },
            { header: 'State', cell: userState },
            {
              header: <span className="visually-hidden">Actions</span>,
              cell: (u) => (
                <button
                  className="link-button"
                  type="button"
                  onClick={() => void api.updateUser(u.username, { isActive: !u.isActive }).then(list.reload, setError)}
                >
                  {u.isActive ? 'Disable' : 'Enable'}
                </button>
              ),
            },
          ]}
        />
      )}
    </section>
  )
}

/** Whether the account can sign in now, and if not, why. */
function userState(u: UserRow): string {
  if (!u.isActive) return 'disabled'
  if (u.lockedUntil && u.lockedUntil > new Date().toISOString()) return `locked until ${fmtDateTime(u.lockedUntil)}`
  return u.mustChangePassword ? 'must set password' : 'active'
}
