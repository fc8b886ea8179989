/* The shell: header with the global scan box, role-aware navigation, and the page for the current path. */
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { type Auth, type Permission, useAuth } from './auth'
import { GlobalScan } from './components/GlobalScan'
import { Loading } from './components/ui'
import { setMoneyFormat } from './format'
import { LoginPage, PasswordPage } from './pages/Login'
import { PublicCheckPage } from './pages/Warranty'
import { Link, useLocation } from './router'
import { queries } from './queries'
import { NAV, routeOf } from './routes'

export function App() {
  const auth = useAuth()
  const loc = useLocation()
  const display = useDisplaySettings(auth.status === 'signed-in' && !!auth.user && !auth.user.mustChangePassword)

  // The public check a QR label opens needs no sign-in (and shows nothing of the staff app).
  const check = /^\/check\/([^/]+)$/.exec(loc.path)
  if (check) return <PublicCheckPage token={decodeURIComponent(check[1]!)} />
  if (auth.status === 'loading') return <Loading what="Starting" />
  if (auth.status === 'signed-out' || !auth.user) return <LoginPage />
  if (auth.user.mustChangePassword) return <PasswordPage forced />
  if (!display.data && !display.error) return <Loading what="Starting" />

  const found = routeOf(loc.path)
  let page: ReactNode = <NotFound />
  if (found) page = mayOpen(auth, found.route.needs) ? found.route.render(found.params) : <Forbidden />
  return (
    <Shell>
      <main id="main" tabIndex={-1} key={loc.path}>
        {page}
      </main>
    </Shell>
  )
}

/** Loads the server's money format once signed in, and applies it before any page renders an amount. */
function useDisplaySettings(isSignedIn: boolean) {
  const display = useQuery({ ...queries.displaySettings, enabled: isSignedIn })
  const [applied, setApplied] = useState<string | undefined>()
  const key = display.data && `${display.data.currency}|${display.data.locale}`
  if (display.data && key !== applied) {
    setMoneyFormat(display.data.currency, display.data.locale)
    setApplied(key)
  }
  return display
}

/** Whether the user may open a page (a page that needs no permission is open to every signed-in user). */
const mayOpen = (auth: Auth, needs: Permission | undefined) => !needs || auth.can(needs)

function Shell({ children }: { children: ReactNode }) {
  const auth = useAuth()
  const loc = useLocation()
  // The menu (on a phone) is open for the page it was opened on; navigating closes it.
  const [menuOpenAt, setMenuOpenAt] = useState<string | undefined>()
  const menuOpen = menuOpenAt === loc.href
  const isActive = (to: string) =>
    to === '/'
      ? loc.path === '/'
      : loc.path === to ||
        (loc.path.startsWith(`${to}/`) &&
          !NAV.some((g) => g.items.some((i) => i.to !== to && loc.path.startsWith(i.to) && i.to.length > to.length)))
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Serial Ledger, dashboard">
          <span className="brand-mark" aria-hidden="true">
            SL
          </span>
          <span className="brand-name">Serial Ledger</span>
        </Link>
        <GlobalScan />
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpenAt(menuOpen ? undefined : loc.href)}
        >
          Menu
        </button>
      </header>
      <div className="body">
        <nav id="nav" className={`sidenav${menuOpen ? ' open' : ''}`} aria-label="Main">
          {NAV.map((g) => {
            const items = g.items.filter((i) => mayOpen(auth, i.needs))
            if (items.length === 0) return null
            return (
              <div key={g.group} className="nav-group">
                <h2 className="nav-heading">{g.group}</h2>
                <ul>
                  {items.map((i) => (
                    <li key={i.to}>
                      <Link to={i.to} aria-current={isActive(i.to) ? 'page' : undefined}>
                        {i.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            )
          })}
          <div className="nav-user">
            <span>
              <strong>{auth.user?.username}</strong> <span className="muted">({auth.user?.role})</span>
            </span>
            <Link to="/password">Change password</Link>
            <button type="button" className="link-button" onClick={() => void auth.signOut()}>
              Sign out
            </button>
          </div>
        </nav>
        {children}
      </div>
    </div>
  )
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </section>
  )
}

function Forbidden() {
  const auth = useAuth()
  return (
    <section className="page">
      <h1>Not available</h1>
      <p>
        Your role ({auth.user?.role}) may not use this page. <Link to="/">Back to the dashboard</Link>
      </p>
    </section>
  )
}
