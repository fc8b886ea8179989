/* The API's error answers (application/problem+json, docs/errors.md) as the app handles them. */

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

/** The ApiError for a refused answer: its problem+json body, or its text when it is not JSON. */
export function problemOf(response: Response, body: unknown): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const text = typeof body === 'string' ? body : ''
  return new ApiError(
    response.status,
    String(p.code ?? `http.${response.status}`),
    String(p.detail ?? (text.slice(0, 200) || response.statusText)),
    (p.issues as Issue[] | undefined) ?? [],
    p,
  )
}

/** The error for a request that got no answer at all. */
export const networkError = () =>
  new ApiError(0, 'network', 'the server cannot be reached; check the connection and try again')

/** A short sentence for any error, for a feedback line. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.detail
  return e instanceof Error ? e.message : String(e)
}
