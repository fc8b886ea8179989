/* The shell: header with the global scan box, role-aware navigation, and the page for the current path. */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react'
import { type Permission, useAuth } from './auth'
import { Link, match, navigate, useLocation } from './router'
import { resolveScan } from './scan/resolve-scan'
import { messageOf } from './api'
import { Loading } from './components/ui'
import { Dashboard } from './pages/Dashboard'
import { UnitPage } from './pages/UnitPage'
import { UnitsList } from './pages/UnitsList'
import { LookupPage } from './pages/LookupPage'
import { ReceivePage } from './pages/Receive'
import {
  FoundPage,
  LostPage,
  MovePage,
  RestockPage,
  ReturnPage,
  ScrapPage,
  SellPage,
  TransferReceivePage,
  TransferShipPage,
} from './pages/Operations'
import { SkuPage, SkusPage } from './pages/Skus'
import { LocationPage, LocationsPage } from './pages/Locations'
import { PartiesPage, PartyPage } from './pages/Parties'
import { DocumentPage, DocumentsPage } from './pages/Documents'
import { StockPage } from './pages/Stock'
import { LoginPage, PasswordPage } from './pages/Login'
import { UsersPage } from './pages/Users'

interface NavItem {
  to: string
  label: string
  /** Permission needed to see the entry (and the page). */
  needs: Permission
  key?: string
}

const NAV: { group: string; items: NavItem[] }[] = [
  {
    group: 'Overview',
    items: [
      { to: '/', label: 'Dashboard', needs: 'stock.read' },
      { to: '/stock', label: 'Stock', needs: 'stock.read' },
      { to: '/units', label: 'Units', needs: 'stock.read' },
      { to: '/documents', label: 'Documents', needs: 'stock.read' },
    ],
  },
  {
    group: 'Operations',
    items: [
      { to: '/receive', label: 'Receive', needs: 'stock.operate' },
      { to: '/move', label: 'Move', needs: 'stock.operate' },
      { to: '/transfer', label: 'Ship transfer', needs: 'stock.operate' },
      { to: '/transfer/receive', label: 'Receive transfer', needs: 'stock.operate' },
      { to: '/sell', label: 'Sell', needs: 'stock.operate' },
      { to: '/return', label: 'Customer return', needs: 'stock.operate' },
      { to: '/restock', label: 'Restock', needs: 'stock.operate' },
      { to: '/found', label: 'Stock found', needs: 'stock.adjust' },
      { to: '/lost', label: 'Stock lost', needs: 'stock.adjust' },
      { to: '/scrap', label: 'Scrap', needs: 'stock.adjust' },
    ],
  },
  {
    group: 'Catalog',
    items: [
      { to: '/skus', label: 'SKUs', needs: 'stock.read' },
      { to: '/locations', label: 'Locations', needs: 'stock.read' },
      { to: '/parties', label: 'Parties', needs: 'stock.read' },
    ],
  },
  { group: 'Admin', items: [{ to: '/users', label: 'Users', needs: 'users.manage' }] },
]

interface Route {
  path: string
  needs: Permission
  render: (p: Record<string, string>) => ReactNode
}

const ROUTES: Route[] = [
  { path: '/', needs: 'stock.read', render: () => <Dashboard /> },
  { path: '/units', needs: 'stock.read', render: () => <UnitsList /> },
  { path: '/units/:id', needs: 'stock.read', render: (p) => <UnitPage id={p.id!} /> },
  { path: '/lookup', needs: 'stock.read', render: () => <LookupPage /> },
  { path: '/stock', needs: 'stock.read', render: () => <StockPage /> },
  { path: '/documents', needs: 'stock.read', render: () => <DocumentsPage /> },
  {
    path: '/documents/:type/:number',
    needs: 'stock.read',
    render: (p) => <DocumentPage type={p.type!} number={p.number!} />,
  },
  { path: '/skus', needs: 'stock.read', render: () => <SkusPage /> },
  { path: '/skus/:code', needs: 'stock.read', render: (p) => <SkuPage code={p.code!} /> },
  { path: '/locations', needs: 'stock.read', render: () => <LocationsPage /> },
  { path: '/locations/:code', needs: 'stock.read', render: (p) => <LocationPage code={p.code!} /> },
  { path: '/parties', needs: 'stock.read', render: () => <PartiesPage /> },
  { path: '/parties/:code', needs: 'stock.read', render: (p) => <PartyPage code={p.code!} /> },
  { path: '/receive', needs: 'stock.operate', render: () => <ReceivePage /> },
  { path: '/move', needs: 'stock.operate', render: () => <MovePage /> },
  { path: '/transfer', needs: 'stock.operate', render: () => <TransferShipPage /> },
  { path: '/transfer/receive', needs: 'stock.operate', render: () => <TransferReceivePage /> },
  { path: '/sell', needs: 'stock.operate', render: () => <SellPage /> },
  { path: '/return', needs: 'stock.operate', render: () => <ReturnPage /> },
  { path: '/restock', needs: 'stock.operate', render: () => <RestockPage /> },
  { path: '/found', needs: 'stock.adjust', render: () => <FoundPage /> },
  { path: '/lost', needs: 'stock.adjust', render: () => <LostPage /> },
  { path: '/scrap', needs: 'stock.adjust', render: () => <ScrapPage /> },
  { path: '/users', needs: 'users.manage', render: () => <UsersPage /> },
]

export function App() {
  const auth = useAuth()
  const loc = useLocation()

  if (auth.status === 'loading') return <Loading what="Starting" />
  if (auth.status === 'signed-out' || !auth.user) return <LoginPage />
  if (auth.user.mustChangePassword) return <PasswordPage forced />

  let page: ReactNode = <NotFound />
  if (loc.path === '/password') page = <PasswordPage />
  else
    for (const r of ROUTES) {
      const params = match(r.path, loc.path)
      if (!params) continue
      page = auth.can(r.needs) ? r.render(params) : <Forbidden />
      break
    }
  return (
    <Shell>
      <main id="main" tabIndex={-1} key={loc.path}>
        {page}
      </main>
    </Shell>
  )
}

function Shell({ children }: { children: ReactNode }) {
  const auth = useAuth()
  const loc = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)
  useEffect(() => setMenuOpen(false), [loc.href])
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
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
      </header>
      <div className="body">
        <nav id="nav" className={`sidenav${menuOpen ? ' open' : ''}`} aria-label="Main">
          {NAV.map((g) => {
            const items = g.items.filter((i) => auth.can(i.needs))
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

/**
 * The scan box on every page: `/` or F2 focuses it; a serial, IMEI or GS1 barcode opens the unit. An
 * unknown code says so and offers the units list.
 */
function GlobalScan() {
  const [value, setValue] = useState('')
  const [message, setMessage] = useState<{ text: string; code?: string; tone: 'error' | 'info' } | undefined>()
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null
      const typing =
        !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
      if (e.key === 'F2' || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        e.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const code = value
    if (code.trim() === '') return
    setBusy(true)
    setMessage(undefined)
    try {
      const r = await resolveScan(code)
      if (r.ok && r.units.length === 1) {
        setValue('')
        navigate(`/units/${encodeURIComponent(r.units[0]!.id)}`)
      } else if (r.ok) {
        setValue('')
        navigate(`/lookup?code=${encodeURIComponent(code.trim())}`)
      } else {
        setMessage({
          text: r.message,
          code: r.scan.kind === 'gs1' ? r.scan.code : r.scan.kind === 'plain' ? r.scan.code : undefined,
          tone: 'error',
        })
        input.current?.select()
      }
    } catch (err) {
      setMessage({ text: messageOf(err), tone: 'error' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="global-scan" role="search" onSubmit={(e) => void submit(e)}>
      <label htmlFor="global-scan" className="visually-hidden">
        Find a unit by serial, IMEI or GS1 barcode
      </label>
      <input
        id="global-scan"
        ref={input}
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          if (message) setMessage(undefined)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setValue('')
            setMessage(undefined)
          }
        }}
        placeholder="Scan or type a serial…  ( / )"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={message ? 'global-scan-message' : undefined}
        aria-invalid={message?.tone === 'error'}
        aria-busy={busy}
      />
      <button type="submit" className="scan-go" disabled={busy}>
        Find
      </button>
      {message && (
        <div id="global-scan-message" className="scan-popover" role="alert">
          <p>{message.text}</p>
          {message.code && (
            <p>
              <Link
                to={`/units?find=${encodeURIComponent(message.code)}`}
                onClick={() => {
                  setMessage(undefined)
                  setValue('')
                }}
              >
                Search the units list for “{message.code}”
              </Link>
            </p>
          )}
          <button type="button" className="link-button" onClick={() => setMessage(undefined)}>
            Dismiss
          </button>
        </div>
      )}
    </form>
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
