import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api'
import { CreateForm, ListPage } from '../components/ListPage'
import { ErrorBox, Field, Select } from '../components/ui'
import { fmtDateTime } from '../format'
import { afterWrite, queries } from '../queries'
import type { Role, UserRow } from '../types'
import { MIN_PASSWORD_LENGTH } from '../../../src/modules/accounts/password-policy.rules.js'

const ROLES: Role[] = ['clerk', 'manager', 'auditor', 'admin']

export function UsersPage() {
  const setActive = useMutation({
    mutationFn: (u: UserRow) => api.updateUser(u.username, { isActive: !u.isActive }),
    onSuccess: afterWrite.user,
  })
  return (
    <ListPage
      title="Users"
      create={{ label: 'New user', form: () => <NewUser />, isAlwaysOpen: true }}
      query={() => queries.users}
      table={{
        label: 'Users',
        rowKey: (u) => u.username,
        columns: [
          { header: 'User', cell: (u) => u.username, csv: (u) => u.username },
          { header: 'Role', cell: (u) => u.role, csv: (u) => u.role },
          { header: 'Locations', cell: (u) => u.locations.join(', ') || 'all', csv: (u) => u.locations.join(' ') },
          { header: 'State', cell: userState, csv: userState },
          {
            header: <span className="visually-hidden">Actions</span>,
            cell: (u) => (
              <button className="link-button" type="button" onClick={() => setActive.mutate(u)}>
                {u.isActive ? 'Disable' : 'Enable'}
              </button>
            ),
          },
        ],
      }}
    >
      <ErrorBox error={setActive.error} />
    </ListPage>
  )
}

const emptyUser = { username: '', password: '', role: 'clerk', locations: '' }

/** A new account with a one-time password; the form empties after each create. */
function NewUser() {
  const [v, setV] = useState(emptyUser)
  const create = () =>
    api.createUser({
      username: v.username.trim(),
      password: v.password,
      role: v.role as Role,
      locations: v.locations.split(/[\s,]+/).filter(Boolean),
    })
  return (
    <CreateForm
      label="New user"
      submitText="Create user"
      create={create}
      invalidate={afterWrite.user}
      onDone={() => setV(emptyUser)}
    >
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
    </CreateForm>
  )
}

/** Whether the account can sign in now, and if not, why. */
function userState(u: UserRow): string {
  if (!u.isActive) return 'disabled'
  if (u.lockedUntil && u.lockedUntil > new Date().toISOString()) return `locked until ${fmtDateTime(u.lockedUntil)}`
  return u.mustChangePassword ? 'must set password' : 'active'
}
