import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api } from '../api'
import { CreateForm, ListPage } from '../components/ListPage'
import { ErrorBox, Field, FormSubmit, Select } from '../components/ui'
import { fmtDateTime } from '../format'
import { afterWrite, queries } from '../queries'
import type { Role, UserRow } from '../types'
import { MIN_PASSWORD_LENGTH } from '../../../src/modules/accounts/password-policy.rules.js'

const ROLES: Role[] = ['clerk', 'manager', 'auditor', 'admin']

export function UsersPage() {
  const [editing, setEditing] = useState<UserRow | undefined>()
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
              <span className="row-actions">
                <button
                  className="link-button"
                  type="button"
                  onClick={() => setEditing(u)}
                  aria-label={`Edit ${u.username}`}
                >
                  Edit
                </button>
                <button className="link-button" type="button" onClick={() => setActive.mutate(u)}>
                  {u.isActive ? 'Disable' : 'Enable'}
                </button>
              </span>
            ),
          },
        ],
      }}
    >
      <ErrorBox error={setActive.error} />
      {editing && <EditUser key={editing.username} user={editing} onClose={() => setEditing(undefined)} />}
    </ListPage>
  )
}

const emptyUser = { username: '', password: '', role: 'clerk', locations: '' }
const codesOf = (text: string) => text.split(/[\s,]+/).filter(Boolean)

/** A new account with a one-time password (the server asks for a new one at first sign-in). */
function NewUser() {
  const [v, setV] = useState(emptyUser)
  const create = () =>
    api.createUser({
      username: v.username.trim(),
      password: v.password,
      role: v.role as Role,
      locations: codesOf(v.locations),
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

/**
 * One user's role and locations, and a password reset: the admin sets a new one-time password, which
 * the user must replace at their next sign-in. Either change ends the user's open sessions.
 */
function EditUser({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [role, setRole] = useState<string>(user.role)
  const [locations, setLocations] = useState(user.locations.join(', '))
  const [password, setPassword] = useState('')
  const [done, setDone] = useState<string | undefined>()
  const save = useMutation({
    mutationFn: () => api.updateUser(user.username, { role: role as Role, locations: codesOf(locations) }),
    onSuccess: async () => {
      setDone(`Saved: ${user.username} is now ${role}, ${codesOf(locations).join(', ') || 'all locations'}.`)
      await afterWrite.user()
    },
  })
  const reset = useMutation({
    mutationFn: () => api.updateUser(user.username, { password }),
    onSuccess: async () => {
      setPassword('')
      setDone(`Password reset: ${user.username} must choose a new password at the next sign-in.`)
      await afterWrite.user()
    },
  })
  const submit = (m: typeof save) => (e: FormEvent) => {
    e.preventDefault()
    setDone(undefined)
    if (!m.isPending) m.mutate()
  }
  return (
    <section className="card" aria-labelledby="edit-user-title">
      <h2 id="edit-user-title">Edit {user.username}</h2>
      <form className="filters" onSubmit={submit(save)} aria-label={`Role and locations of ${user.username}`}>
        <Select
          label="Role"
          id="edit-role"
          value={role}
          onChange={setRole}
          options={ROLES.map((r) => ({ value: r, label: r }))}
        />
        <Field
          label="Locations"
          id="edit-locations"
          value={locations}
          onChange={setLocations}
          hint="Site codes, comma-separated; empty means all"
        />
        <FormSubmit busy={save.isPending}>Save role and locations</FormSubmit>
      </form>
      <ErrorBox error={save.error} />
      <form className="filters" onSubmit={submit(reset)} aria-label={`Reset the password of ${user.username}`}>
        <Field
          label="New one-time password"
          id="edit-password"
          type="password"
          value={password}
          onChange={setPassword}
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters; ${user.username} must change it at the next sign-in`}
        />
        <FormSubmit secondary busy={reset.isPending}>
          Reset password
        </FormSubmit>
      </form>
      <ErrorBox error={reset.error} />
      {done && (
        <p className="success-box" role="status">
          {done}
        </p>
      )}
      <button className="link-button" type="button" onClick={onClose}>
        Close
      </button>
    </section>
  )
}

/** Whether the account can sign in now, and if not, why. */
function userState(u: UserRow): string {
  if (!u.isActive) return 'disabled'
  if (u.lockedUntil && u.lockedUntil > new Date().toISOString()) return `locked until ${fmtDateTime(u.lockedUntil)}`
  return u.mustChangePassword ? 'must set password' : 'active'
}
