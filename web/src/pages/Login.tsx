import { type FormEvent, type InputHTMLAttributes, useState } from 'react'
import { api, messageOf } from '../api'
import { useAuth } from '../auth'
import { FieldHint, FieldLabel } from '../components/ui'
import { navigate } from '../router'
import { MIN_PASSWORD_LENGTH } from '../../../src/modules/accounts/password-policy.rules.js'

export function LoginPage() {
  const auth = useAuth()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await auth.signIn(username.trim(), password)
    } catch (err) {
      setError(messageOf(err))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }
  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            SL
          </span>
          <span className="brand-name">Serial Ledger</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <FormError error={error} />
        <LoginField
          id="login-username"
          label="User name"
          name="username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
          autoFocus
          autoCapitalize="off"
          spellCheck={false}
        />
        <LoginField
          id="login-password"
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">First start? The server printed a one-time password for the user “admin”.</p>
      </form>
    </main>
  )
}

export function PasswordPage({ forced }: { forced?: boolean }) {
  const auth = useAuth()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [done, setDone] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    if (next !== confirm) return setError('The two new passwords differ')
    try {
      await api.changePassword(current, next)
      setDone(true)
      await auth.refresh()
      if (!forced) navigate('/')
    } catch (err) {
      setError(messageOf(err))
    }
  }
  const form = (
    <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="pw-title">
      <h1 id="pw-title">{forced ? 'Choose your password' : 'Change password'}</h1>
      {forced && <p>You signed in with a one-time password. Choose your own to continue.</p>}
      <FormError error={error} />
      {done && <p role="status">Password changed.</p>}
      <LoginField
        id="pw-current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        autoFocus
      />
      <LoginField
        id="pw-new"
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      />
      <LoginField
        id="pw-confirm"
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
      />
      <button type="submit" className="button primary">
        Save password
      </button>
      {forced && (
        <button type="button" className="link-button" onClick={() => void auth.signOut()}>
          Sign out
        </button>
      )}
    </form>
  )
  return forced ? (
    <main className="login" id="main">
      {form}
    </main>
  ) : (
    <section className="page narrow">{form}</section>
  )
}

/** The form's refusal, as the server or the check put it. */
function FormError({ error }: { error?: string }) {
  if (!error) return null
  return (
    <div className="error-box" role="alert">
      {error}
    </div>
  )
}

/** A required field of the sign-in and password forms, with the browser's autofill hints. */
function LoginField({
  id,
  label,
  value,
  onChange,
  hint,
  ...input
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  hint?: string
} & Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'name' | 'type' | 'autoComplete' | 'autoFocus' | 'autoCapitalize' | 'spellCheck' | 'minLength'
>) {
  return (
    <div className="field">
      <FieldLabel htmlFor={id} label={label} />
      <input
        id={id}
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <FieldHint fieldId={id} hint={hint} />
    </div>
  )
}
