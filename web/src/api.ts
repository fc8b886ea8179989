/*
 * The one module that talks to the API: fetch, the CSRF header on every write, problem+json errors
 * turned into ApiError (with the row/field/value issues a batch needs to mark its offending serials),
 * and the 401 → sign-in redirect.
 */
import type {
  Dashboard,
  DocumentSummary,
  DocumentType,
  DocumentView,
  LedgerEvent,
  Location,
  MeAnswer,
  OperationResult,
  Party,
  Provenance,
  ReceiptResult,
  Requests,
  Sku,
  StockRow,
  TimelineEntry,
  Unit,
  UnitPage,
  UserRow,
} from './types'

export const API = '/api/v1'
export const CSRF_COOKIE = 'sl_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** One problem with one row/field of a request (docs/errors.md). */
export interface Issue {
  row?: number
  field: string
  value?: string
  message: string
}

/** An error answer of the API (application/problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly issues: Issue[] = [],
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail)
    this.name = 'ApiError'
  }
  /** Issues, or the `errors` of a schema refusal in the same shape. */
  get allIssues(): Issue[] {
    const errors = (this.problem.errors as { path: string; message: string }[] | undefined) ?? []
    return [...this.issues, ...errors.map((e) => ({ field: e.path, message: e.message }))]
  }
}

type Listener = () => void
const unauthorizedListeners = new Set<Listener>()
const passwordListeners = new Set<Listener>()
/** Called when the API says the session is gone (401); the app then shows the sign-in page. */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn)
  return () => unauthorizedListeners.delete(fn)
}
/** Called when the API refuses until the user sets a new password. */
export function onPasswordChangeRequired(fn: Listener): () => void {
  passwordListeners.add(fn)
  return () => passwordListeners.delete(fn)
}

let csrfFromLogin: string | undefined

/** The CSRF token: the readable `sl_csrf` cookie, or the one the sign-in answer carried. */
export function csrfToken(): string | undefined {
  const cookie = document.cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${CSRF_COOKIE}=`))
  return cookie ? decodeURIComponent(cookie.slice(CSRF_COOKIE.length + 1)) : csrfFromLogin
}

/** A random key for Idempotency-Key: a retried or double-submitted batch is applied once. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export interface RequestOptions {
  signal?: AbortSignal
  idempotencyKey?: string
  /** Do not redirect to sign-in on 401 (the sign-in check itself). */
  quiet401?: boolean
}

type Query = Record<string, string | number | undefined | null | false>

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken()
    if (token) headers[CSRF_HEADER] = token
  }
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey
  let res: Response
  try {
    res = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError(0, 'network', 'the server cannot be reached; check the connection and try again')
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  if (res.ok) return json as T
  const p = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>
  const error = new ApiError(
    res.status,
    String(p.code ?? `http.${res.status}`),
    String(p.detail ?? (text.slice(0, 200) || res.statusText)),
    (p.issues as Issue[] | undefined) ?? [],
    p,
  )
  // Only a missing or expired session means "sign in again"; a wrong current password is a 401 too.
  if (res.status === 401 && error.code === 'auth.required' && !options.quiet401)
    unauthorizedListeners.forEach((fn) => fn())
  if (error.code === 'auth.password_change_required') passwordListeners.forEach((fn) => fn())
  throw error
}

const get = <T>(path: string, query?: Query, options?: RequestOptions) =>
  request<T>('GET', withQuery(path, query), undefined, options)
const post = <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('POST', path, body, options)
const enc = encodeURIComponent

export const api = {
  // Accounts
  me: () => get<MeAnswer>('/auth/me', undefined, { quiet401: true }),
  login: async (username: string, password: string) => {
    const me = await request<MeAnswer>('POST', '/auth/login', { username, password }, { quiet401: true })
    csrfFromLogin = me.csrfToken
    return me
  },
  logout: () => request<void>('POST', '/auth/logout', undefined, { quiet401: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    post<void>('/auth/password', { currentPassword, newPassword }),
  users: () => get<UserRow[]>('/users'),
  createUser: (u: Requests['createUser']) => post<UserRow>('/users', u),
  updateUser: (username: string, patch: Requests['updateUser']) =>
    request<UserRow>('PATCH', `/users/${enc(username)}`, patch),

  // Reference data
  skus: (q: { search?: string; tracking?: string; limit?: number } = {}) => get<Sku[]>('/skus', { limit: 1000, ...q }),
  sku: (code: string) => get<Sku>(`/skus/${enc(code)}`),
  createSku: (body: Requests['createSku']) => post<Sku>('/skus', body),
  locations: (q: { search?: string; under?: string; limit?: number } = {}) =>
    get<Location[]>('/locations', { limit: 1000, ...q }),
  location: (code: string) => get<Location>(`/locations/${enc(code)}`),
  createLocation: (body: Requests['createLocation']) => post<Location>('/locations', body),
  parties: (q: { search?: string; role?: string; limit?: number } = {}) =>
    get<Party[]>('/parties', { limit: 1000, ...q }),
  party: (code: string) => get<Party>(`/parties/${enc(code)}`),
  createParty: (body: Requests['createParty']) => post<Party>('/parties', body),

  // Units and stock
  lookup: (code: string, signal?: AbortSignal) => get<Unit[]>('/units/lookup', { code }, { signal }),
  unit: (id: string) => get<Unit>(`/units/${enc(id)}`),
  timeline: (id: string) => get<TimelineEntry[]>(`/units/${enc(id)}/timeline`),
  provenance: (id: string) => get<Provenance>(`/units/${enc(id)}/provenance`),
  units: (q: Query) => get<UnitPage>('/units', q),
  stock: (q: { sku?: string; location?: string; limit?: number }) => get<StockRow[]>('/stock', q),
  documents: (q: { type?: DocumentType | ''; search?: string; limit?: number }) =>
    get<DocumentSummary[]>('/documents', q),
  document: (type: string, number: string) => get<DocumentView>(`/documents/${enc(type)}/${enc(number)}`),
  events: (afterSeq: number, limit = 100) => get<LedgerEvent[]>('/events', { afterSeq, limit }),
  dashboard: (weeks = 12) => get<Dashboard>('/reports/dashboard', { weeks, recent: 12 }),

  // Stock operations (one ledger event each; Idempotency-Key makes a retry apply once)
  receive: (body: Requests['receive'], key: string) => post<ReceiptResult>('/receipts', body, { idempotencyKey: key }),
  move: (body: Requests['move'], key: string) => post<OperationResult>('/moves', body, { idempotencyKey: key }),
  shipTransfer: (body: Requests['shipTransfer'], key: string) =>
    post<OperationResult>('/transfers', body, { idempotencyKey: key }),
  receiveTransfer: (number: string, body: Requests['receiveTransfer'], key: string) =>
    post<OperationResult>(`/transfers/${enc(number)}/receipt`, body, { idempotencyKey: key }),
  sell: (body: Requests['sell'], key: string) => post<OperationResult>('/sales', body, { idempotencyKey: key }),
  returnGoods: (body: Requests['returnGoods'], key: string) =>
    post<OperationResult>('/returns', body, { idempotencyKey: key }),
  restock: (body: Requests['restock'], key: string) =>
    post<OperationResult>('/restocks', body, { idempotencyKey: key }),
  adjust: (body: Requests['adjust'], key: string) =>
    post<OperationResult>('/adjustments', body, { idempotencyKey: key }),
  scrap: (body: Requests['scrap'], key: string) => post<OperationResult>('/scraps', body, { idempotencyKey: key }),
}

/** A short sentence for any error, for a feedback line. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.detail
  return e instanceof Error ? e.message : String(e)
}
