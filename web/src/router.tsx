/* A small history-API router: paths, query strings, links and programmatic navigation. */
import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react'

const EVENT = 'sl:navigate'

/** What a page with unsent work asks before it is left (undefined: nothing to lose). */
type LeaveGuard = () => string | undefined
let leaveGuard: LeaveGuard | undefined
let shownHref = typeof location === 'undefined' ? '' : location.pathname + location.search

/** Makes leaving the page (a link, Back, navigate, a reload) ask first while `guard` names something to lose. */
export function setLeaveGuard(guard: LeaveGuard | undefined): () => void {
  leaveGuard = guard
  return () => {
    if (leaveGuard === guard) leaveGuard = undefined
  }
}

/** Whether the page may be left: nothing to lose, or the user said so. */
function mayLeave(): boolean {
  const question = leaveGuard?.()
  return question === undefined || window.confirm(question)
}

if (typeof window !== 'undefined') {
  // Registered before any page's listener: a refused Back puts the page's address back and goes no further.
  window.addEventListener('popstate', (e) => {
    const href = location.pathname + location.search
    if (href !== shownHref && !mayLeave()) {
      e.stopImmediatePropagation()
      history.pushState(null, '', shownHref)
      return
    }
    shownHref = href
  })
  window.addEventListener('beforeunload', (e) => {
    if (leaveGuard?.() === undefined) return
    e.preventDefault()
    e.returnValue = ''
  })
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return
  // Changing the query string (filters) stays on the page; another path leaves it.
  if (to.split('?')[0] !== location.pathname && !mayLeave()) return
  if (options.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  shownHref = to
  window.dispatchEvent(new Event(EVENT))
}

export interface Loc {
  path: string
  query: URLSearchParams
  href: string
}

const current = (): Loc => ({
  path: location.pathname,
  query: new URLSearchParams(location.search),
  href: location.pathname + location.search,
})

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current)
  useEffect(() => {
    const update = () => setLoc(current())
    window.addEventListener('popstate', update)
    window.addEventListener(EVENT, update)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener(EVENT, update)
    }
  }, [])
  return loc
}

/** Matches `/units/:id` against a path; returns the decoded params or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean)
  const s = path.split('/').filter(Boolean)
  if (p.length !== s.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(s[i]!)
    else if (seg !== s[i]) return undefined
  }
  return params
}

export function Link({ to, onClick, children, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  )
}

/** Replaces the query string of the current page (filters), keeping the path. */
export function setQuery(
  values: Record<string, string | undefined>,
  options: { replace?: boolean } = { replace: true },
): void {
  const q = new URLSearchParams(location.search)
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') q.delete(k)
    else q.set(k, v)
  }
  const s = q.toString()
  navigate(location.pathname + (s ? `?${s}` : ''), options)
}
