/** Every error code the product can return; `docs/errors.md` lists them with their HTTP status. */
export type ErrorCode =
  | 'request.invalid'
  | 'request.too_large'
  | 'idempotency.key_reused'
  | 'sku.not_found'
  | 'sku.duplicate'
  | 'sku.wrong_tracking'
  | 'gtin.invalid'
  | 'location.not_found'
  | 'location.duplicate'
  | 'location.invalid_parent'
  | 'party.not_found'
  | 'party.duplicate'
  | 'party.wrong_role'
  | 'document.not_found'
  | 'document.duplicate'
  | 'receipt.invalid'
  | 'serial.duplicate'
  | 'identifier.duplicate'
  | 'unit.not_found'
  | 'unit.ambiguous'
  | 'unit.illegal_transition'
  | 'unit.wrong_location'
  | 'stock.insufficient'
  | 'transfer.invalid'
  | 'import.invalid'
  | 'ledger.broken'
  | 'auth.required'
  | 'auth.invalid_credentials'
  | 'auth.locked'
  | 'auth.forbidden'
  | 'auth.csrf'
  | 'auth.password_change_required'
  | 'auth.out_of_scope'
  | 'user.not_found'
  | 'user.duplicate'
  | 'token.not_found'
  | 'rate.limited'
  | 'db.busy'
  | 'internal'

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
