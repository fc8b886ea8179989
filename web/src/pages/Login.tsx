import { type FormEvent, useState } from 'react'
import { api, messageOf } from '../api'
import { useAuth } from '../auth'
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
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        <div className="field">
          <label htmlFor="login-username">User name</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
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
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      {done && <p role="status">Password changed.</p>}
      <div className="field">
        <label htmlFor="pw-current">Current password</label>
        <input
          id="pw-current"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor="pw-new">New password</label>
        <input
          id="pw-new"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby="pw-new-hint"
        />
        <small id="pw-new-hint" className="hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </small>
      </div>
      <div className="field">
        <label htmlFor="pw-confirm">New password again</label>
        <input
          id="pw-confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
        />
      </div>
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
