/*
 * The one place that calls fetch: an openapi-fetch client typed by the generated `paths`, with the CSRF
 * header on every write, and `send`, which turns an answer into its data or an ApiError (with the
 * row/field/value issues a batch needs to mark its offending serials) and tells the app about a lost session.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import { ApiError, networkError, problemOf } from './problem'
import type { paths } from './schema.gen'

export const CSRF_COOKIE = 'sl_csrf'
export const CSRF_HEADER = 'x-csrf-token'

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
/** Keeps the token a sign-in answer carried, for when the cookie cannot be read. */
export const rememberCsrfToken = (token: string | undefined) => (csrfFromLogin = token)

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

/** Query strings leave out empty filters: the API would read `?status=` as a status named ''. */
function querySerializer(query: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v))
  return q.toString()
}

const csrfHeader: Middleware = {
  onRequest({ request }) {
    if (request.method === 'GET' || request.method === 'HEAD') return
    const token = csrfToken()
    if (token) request.headers.set(CSRF_HEADER, token)
  },
}

export const client = createClient<paths>({
  headers: { accept: 'application/json, application/problem+json' },
  credentials: 'same-origin',
  querySerializer,
})
client.use(csrfHeader)

export interface SendOptions {
  /** Do not go to sign-in on 401 (the sign-in check itself). */
  quiet401?: boolean
}

/** Awaits a client call: the answer's data, or an ApiError (status 0 when the server cannot be reached). */
export async function send<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  options: SendOptions = {},
): Promise<T> {
  let answer: Awaited<typeof call>
  try {
    answer = await call
  } catch (e) {
    // fetch rejects with a TypeError when no answer came; an abort (or anything else) is not a network error.
    if (e instanceof TypeError) throw networkError()
    throw e
  }
  const { data, error, response } = answer
  if (response.ok) return data as T
  const problem = problemOf(response, error)
  // Only a missing or expired session means "sign in again"; a wrong current password is a 401 too.
  if (response.status === 401 && problem.code === 'auth.required' && !options.quiet401)
    unauthorizedListeners.forEach((fn) => fn())
  if (problem.code === 'auth.password_change_required') passwordListeners.forEach((fn) => fn())
  throw problem
}

export { ApiError }
