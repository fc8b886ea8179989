/**
 * What kind of refusal an error is. The kind alone decides the HTTP status (`http/problem.ts` holds the
 * only kind → status table), so a module declares what its errors mean, never which status they get.
 */
export const ERROR_KINDS = [
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'unprocessable',
  'locked',
  'rate_limited',
  'internal',
  'unavailable',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

/**
 * Every error code the product can return, with its kind. Each module declares its own codes in its
 * `*.errors.ts` with `defineErrors` and adds them here by declaration merging:
 *
 *     export const CATALOG_ERRORS = defineErrors({ 'sku.not_found': 'not_found' })
 *     declare module '../../core/errors.js' { interface ErrorCodes extends CodesOf<typeof CATALOG_ERRORS> {} }
 *
 * `modules/registry.ts` combines the tables and fails to compile when one is missing, and
 * `docs/errors.md` lists them all (checked by a test).
 */
export interface ErrorCodes extends CodesOf<typeof CORE_ERRORS> {}
export type ErrorCode = keyof ErrorCodes

/** The codes of an error table, for the declaration merge above. */
export type CodesOf<T extends Record<string, ErrorKind>> = { [K in keyof T]: T[K] }

/** Declares a module's error codes and their kinds (the literal types are what the merge needs). */
export const defineErrors = <const T extends Record<string, ErrorKind>>(table: T): T => table

/** Codes any layer may raise: bad or oversized input or file, throttling, a busy database, our own failure. */
export const CORE_ERRORS = defineErrors({
  'request.invalid': 'invalid',
  'request.too_large': 'too_large',
  'rate.limited': 'rate_limited',
  'db.busy': 'unavailable',
  'import.invalid': 'invalid',
  internal: 'internal',
})

/** What a lookup found, or the refusal when it found nothing: `found(await findX(db, code), 'x.not_found', …)`. */
export function found<T>(value: T | null | undefined, code: ErrorCode, message: string): T {
  if (value === null || value === undefined) throw new AppError(code, message)
  return value
}

/** A refusal the user can act on: a stable code, a human sentence and optional structured details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** One problem with one row/field of an input, collected so a user sees all of them at once. */
export interface FieldIssue {
  row?: number
  field: string
  value?: string
  message: string
}

/** The most field issues one error carries; past this the message says how many more there were. */
export const MAX_REPORTED_ISSUES = 100

/** Collects row/field issues up to a limit and counts the rest. */
export class IssueList {
  readonly items: FieldIssue[] = []
  total = 0

  add(issue: FieldIssue): void {
    this.total++
    if (this.items.length < MAX_REPORTED_ISSUES) this.items.push(issue)
  }

  get isEmpty(): boolean {
    return this.total === 0
  }

  /** Throws one AppError describing every collected issue, if there are any. */
  throwIfAny(code: ErrorCode, what: string): void {
    if (this.isEmpty) return
    const first = this.items[0]!
    const where = first.row !== undefined ? `row ${first.row}, ` : ''
    const more = this.total > 1 ? ` (and ${this.total - 1} more)` : ''
    throw new AppError(code, `${what}: ${where}${first.field}: ${first.message}${more}`, {
      issues: this.items,
      issueCount: this.total,
    })
  }
}
